package dev.invoiceloyalty.domain;

import dev.invoiceloyalty.config.ProgramConfig;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a validated {@link InvoiceRequest} into a new invoice: line arithmetic, credits, totals, cash-discount
 * terms and the reward offer. Pure: ids, the number and the applied credits are decided by the caller.
 */
public final class InvoiceFactory {
    private final ProgramConfig config;

    public InvoiceFactory(ProgramConfig config) {
        this.config = config;
    }

    /** The issue date: the one requested, else today in the customer's time zone. */
    public static LocalDate issueDate(InvoiceRequest request, Customer customer, Instant now) {
        return request.issueDate() != null ? request.issueDate() : LocalDate.ofInstant(now, ZoneId.of(customer.timeZone()));
    }

    /** The due date: the one requested, else issue date + netDays (or the configured default). */
    public LocalDate dueDate(InvoiceRequest request, LocalDate issueDate) {
        if (request.dueDate() != null) {
            if (request.dueDate().isBefore(issueDate)) {
                throw ProblemException.invalid("dueDate", "must not be before the issue date " + issueDate);
            }
            return request.dueDate();
        }
        int net = request.netDays() != null ? request.netDays() : config.invoice().defaultNetDays();
        return issueDate.plusDays(net);
    }

    /** The lines with their computed amount and tax, each rounded half-even once. */
    public static List<Invoice.LineItem> lines(InvoiceRequest request) {
        List<Invoice.LineItem> lines = new ArrayList<>();
        for (InvoiceRequest.Line l : request.lineItems()) {
            long amount = MoneyMath.times(l.unitAmount(), l.quantity());
            long tax = MoneyMath.percentOf(amount, l.taxRate());
            lines.add(new Invoice.LineItem(l.description(), l.quantity().toPlainString(), l.unitAmount(),
                    l.taxRate().stripTrailingZeros().toPlainString(), amount, tax));
        }
        return lines;
    }

    /** Subtotal plus tax: what credits may be applied against. */
    public static long gross(List<Invoice.LineItem> lines) {
        long subtotal = 0;
        long tax = 0;
        for (Invoice.LineItem l : lines) {
            subtotal = MoneyMath.add(subtotal, l.amount());
            tax = MoneyMath.add(tax, l.tax());
        }
        long gross = MoneyMath.add(subtotal, tax);
        if (gross > MoneyMath.MAX_AMOUNT) {
            throw ProblemException.invalid("lineItems", "the invoice total exceeds the largest supported amount");
        }
        return gross;
    }

    public Invoice create(String invoiceId, String number, InvoiceRequest request, Customer customer,
                          LocalDate issueDate, LocalDate dueDate, List<Invoice.LineItem> lines,
                          List<AppliedCredit> credits, Instant now) {
        long subtotal = lines.stream().mapToLong(Invoice.LineItem::amount).sum();
        long tax = lines.stream().mapToLong(Invoice.LineItem::tax).sum();
        List<Invoice.Discount> discounts = new ArrayList<>();
        long discounted = 0;
        for (AppliedCredit c : credits) {
            discounts.add(new Invoice.Discount("Reward credit", c.amount(), c.lot().entryId()));
            discounted += c.amount();
        }
        long total = subtotal + tax - discounted;
        if (total < 0) {
            throw new IllegalStateException("credits exceed the invoice; AppliedCredit.apply must cap them");
        }
        String currency = request.currency();
        Invoice.EarlyPaymentDiscount early = null;
        if (request.earlyPaymentDiscount() != null) {
            var e = request.earlyPaymentDiscount();
            // SPEC §4: a payment of at least total × (1 − percent) settles; that minimum is the computed amount.
            BigDecimal keep = BigDecimal.ONE.subtract(e.percent().movePointLeft(2));
            long minimum = MoneyMath.times(total, keep);
            early = new Invoice.EarlyPaymentDiscount(e.percent().stripTrailingZeros().toPlainString(), e.withinDays(),
                    issueDate.plusDays(e.withinDays()).toString(), total - minimum, minimum);
        }
        String at = now.toString();
        return new Invoice(invoiceId, number, customer.customerId(), currency, InvoiceStatus.OPEN,
                issueDate.toString(), dueDate.toString(), lines, subtotal, tax, discounts, total, 0, total, 0,
                List.of(), List.of(), List.of(), false, Escalation.NONE, null, early, request.paymentUrl(),
                request.externalReference(), rewardOffer(total, currency, issueDate, dueDate, customer), at, at,
                null, customer.timeZone(), 0, 0, List.of());
    }

    /** What paying early or on time would earn under the current program and the customer's current tier. */
    public RewardOffer rewardOffer(long total, String currency, LocalDate issueDate, LocalDate dueDate,
                                   Customer customer) {
        var rewards = config.rewards();
        List<RewardOffer.EarlyCredit> early = new ArrayList<>();
        for (var tier : rewards.earlyPayment()) {
            early.add(new RewardOffer.EarlyCredit(issueDate.plusDays(tier.withinDays()).toString(),
                    tier.percent().stripTrailingZeros().toPlainString(), MoneyMath.percentOf(total, tier.percent())));
        }
        var tier = rewards.tier(customer.loyalty().tier());
        long points = onTimePoints(total, currency, tier.multiplier());
        // Compared in major units so a threshold finer than the currency (10000.50 in JPY) cannot fail.
        boolean large = MoneyMath.toMajor(total, currency).compareTo(rewards.largeInvoice().thresholdMajor()) >= 0;
        int bonus = large ? rewards.largeInvoice().points() : 0;
        return new RewardOffer(early, new RewardOffer.OnTime(dueDate.toString(), points, tier.name()), bonus);
    }

    /** 1 point per {@code perMajorUnits} whole major units of the total (at least the minimum), times the tier multiplier. */
    public long onTimePoints(long total, String currency, BigDecimal multiplier) {
        var rule = config.rewards().onTimePoints();
        long base = total / Currencies.minorPerMajor(currency) / rule.perMajorUnits();
        base = Math.max(base, rule.minimum());
        return BigDecimal.valueOf(base).multiply(multiplier).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** {@code INV-2026-000001}: the year is the issue date's; the sequence is gap-free per year. */
    public static String number(int year, long sequence) {
        return String.format("INV-%d-%06d", year, sequence);
    }
}
