package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes the weekly {@link FinanceReport} from what {@link StatementReader} read. Pure: no clock, no I/O; every
 * figure is taken as of the end of {@code asOf}, so replaying a past Monday gives that Monday's figures.
 */
public final class FinanceReports {
    /** DSO's standard window: AR ÷ credit sales of the last 90 days × 90. */
    static final int DSO_DAYS = 90;

    private FinanceReports() {
    }

    /** The earliest instant whose receivables the report needs (the DSO window, with a day's margin for zones). */
    public static Instant windowStart(LocalDate asOf) {
        return asOf.minusDays(DSO_DAYS + 1).atStartOfDay(ZoneId.of("UTC")).toInstant();
    }

    /**
     * @param receivables per currency, the invoices receivable at some moment since {@link #windowStart}
     * @param zone        the business zone: the week is {@code asOf − 6 .. asOf} in it
     */
    public static FinanceReport compute(LocalDate asOf, ZoneId zone, Map<String, List<Invoice>> receivables,
                                        List<StatementReader.UnappliedPayment> unapplied,
                                        List<StatementReader.RewardLot> openLots,
                                        Map<String, dev.invoiceloyalty.domain.Customer> customers,
                                        List<StatementReader.LedgerEntry> rewardLedger, ProgramConfig config) {
        LocalDate weekStart = asOf.minusDays(6);
        Instant from = weekStart.atStartOfDay(zone).toInstant();
        Instant end = asOf.plusDays(1).atStartOfDay(zone).toInstant();
        List<FinanceReport.CurrencySection> sections = new ArrayList<>();
        List<FinanceReport.Escalated> escalations = new ArrayList<>();
        List<FinanceReport.Movement> movements = new ArrayList<>();
        for (var e : receivables.entrySet()) {
            String currency = e.getKey();
            List<Invoice> invoices = e.getValue();
            AgingReport aging = Aging.compute(asOf, currency, invoices);
            long sales = 0;
            long paid = 0;
            int payments = 0;
            LocalDate salesFrom = asOf.minusDays(DSO_DAYS - 1);
            for (Invoice inv : invoices) {
                if (!currency.equals(inv.currency())) {
                    continue;
                }
                LocalDate issued = LocalDate.parse(inv.issueDate());
                if (inv.status() != InvoiceStatus.VOID && !issued.isBefore(salesFrom) && !issued.isAfter(asOf)) {
                    sales += inv.total();
                }
                if (inv.status() != InvoiceStatus.VOID && !issued.isBefore(weekStart) && !issued.isAfter(asOf)) {
                    movements.add(new FinanceReport.Movement(inv.createdAt() == null ? inv.issueDate() : inv.createdAt(),
                            "INVOICE_ISSUED", inv.customerId(), inv.invoiceId(), currency, inv.total(), 0, inv.number()));
                }
                for (Invoice.Payment p : inv.payments()) {
                    if (within(p.paidAt(), from, end)) {
                        paid += p.amount();
                        payments++;
                        movements.add(new FinanceReport.Movement(p.paidAt(), "PAYMENT", inv.customerId(),
                                inv.invoiceId(), currency, -p.amount(), 0, p.provider() + ":" + p.paymentId()));
                    }
                }
                for (Invoice.Refund r : inv.refunds()) {
                    if (within(r.refundedAt(), from, end)) {
                        movements.add(new FinanceReport.Movement(r.refundedAt(), "REFUND", inv.customerId(),
                                inv.invoiceId(), currency, r.amount(), 0, r.refundId()));
                    }
                }
                long due = Aging.amountDueAsOf(inv, asOf);
                Escalation esc = inv.escalation();
                if (esc != null && esc != Escalation.NONE && due > 0 && inv.status() != InvoiceStatus.VOID
                        && !issued.isAfter(asOf)) {
                    escalations.add(new FinanceReport.Escalated(inv.invoiceId(), inv.number(), inv.customerId(),
                            currency, esc.name(), due, ChronoUnit.DAYS.between(LocalDate.parse(inv.dueDate()), asOf)));
                }
            }
            sections.add(new FinanceReport.CurrencySection(currency, aging, sales, dso(aging.totals().total(), sales),
                    paid, payments));
        }
        for (StatementReader.LedgerEntry l : rewardLedger) {
            movements.add(new FinanceReport.Movement(l.createdAt(), l.entryType(), l.customerId(), l.invoiceId(),
                    l.currency(), l.amount(), l.points(), l.entryId()));
        }
        movements.sort(Comparator.comparing(FinanceReport.Movement::at).thenComparing(FinanceReport.Movement::kind));
        escalations.sort(Comparator.comparing(FinanceReport.Escalated::daysOverdue).reversed()
                .thenComparing(FinanceReport.Escalated::invoiceId));

        List<FinanceReport.ReaderUnapplied> unappliedRows = new ArrayList<>();
        for (var u : unapplied) {
            if (u.receivedAt() != null && Instant.parse(u.receivedAt()).isBefore(end)) {
                unappliedRows.add(new FinanceReport.ReaderUnapplied(u.provider(), u.paymentId(), u.amount(),
                        u.currency(), u.reason(), u.receivedAt()));
            }
        }
        return new FinanceReport(asOf, weekStart, sections, escalations, unappliedRows,
                liability(end, openLots, customers, config), movements);
    }

    /**
     * Open credit per currency from the customers' cached balances (which include overpayment credit, never in the
     * expiry index), points likewise; what expires in the 30 days after asOf from the open lots.
     */
    static FinanceReport.RewardLiability liability(Instant end, List<StatementReader.RewardLot> lots,
                                                   Map<String, dev.invoiceloyalty.domain.Customer> customers,
                                                   ProgramConfig config) {
        Map<String, Long> credit = new TreeMap<>();
        long points = 0;
        for (var c : customers.values()) {
            if (c.loyalty() == null) {
                continue;
            }
            points += c.loyalty().points();
            c.loyalty().credits().forEach((cur, amount) -> {
                if (amount != 0) {
                    credit.merge(cur, amount, Long::sum);
                }
            });
        }
        Instant horizon = end.plus(30, ChronoUnit.DAYS);
        Map<String, Long> creditExpiring = new TreeMap<>();
        long pointsExpiring = 0;
        for (var lot : lots) {
            Instant expires = Instant.parse(lot.expiresAt());
            if (!expires.isAfter(end) || expires.isAfter(horizon)) {
                continue;
            }
            if (lot.currency() == null) {
                pointsExpiring += lot.remaining();
            } else {
                creditExpiring.merge(lot.currency(), lot.remaining(), Long::sum);
            }
        }
        var redemption = config.rewards().redemption();
        return new FinanceReport.RewardLiability(amounts(credit), amounts(creditExpiring), points, pointsExpiring,
                redemption.points(), redemption.creditMajor());
    }

    private static List<FinanceReport.CurrencyAmount> amounts(Map<String, Long> byCurrency) {
        return byCurrency.entrySet().stream().map(e -> new FinanceReport.CurrencyAmount(e.getKey(), e.getValue())).toList();
    }

    /** Days sales outstanding, one decimal, half-even; null when nothing was sold in the window. */
    static BigDecimal dso(long receivable, long creditSales) {
        if (creditSales <= 0) {
            return null;
        }
        return BigDecimal.valueOf(receivable).multiply(BigDecimal.valueOf(DSO_DAYS))
                .divide(BigDecimal.valueOf(creditSales), 1, RoundingMode.HALF_EVEN);
    }

    private static boolean within(String instant, Instant from, Instant end) {
        if (instant == null) {
            return false;
        }
        Instant t = Instant.parse(instant);
        return !t.isBefore(from) && t.isBefore(end);
    }
}
