package dev.invoiceloyalty.mail;

import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.RewardOffer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link MailMessage}s of the customer-facing emails: recipients, the stable email id and the
 * template model with every display string already formatted in the customer's language.
 */
public final class Emails {
    private final ProgramConfig config;
    private final String businessName;

    public Emails(ProgramConfig config, String businessName) {
        this.config = config;
        this.businessName = businessName;
    }

    /** Sent once per customer, on creation: payment terms and how the reward program works. */
    public MailMessage welcome(Customer c) {
        var r = config.rewards();
        String lang = c.language();
        List<Map<String, Object>> tiers = new ArrayList<>();
        for (var t : r.earlyPayment()) {
            tiers.add(Map.of("withinDays", t.withinDays(), "percent", t.percent().stripTrailingZeros().toPlainString()));
        }
        Map<String, Object> rewards = new LinkedHashMap<>();
        rewards.put("earlyPaymentTiers", tiers);
        rewards.put("pointsPerMajorUnits", r.onTimePoints().perMajorUnits());
        rewards.put("largeInvoiceThreshold", formatMajor(r.largeInvoice().thresholdMajor(), lang));
        rewards.put("largeInvoiceBonusPoints", r.largeInvoice().points());
        rewards.put("streakLength", r.streak().length());
        rewards.put("streakBonusPoints", r.streak().points());
        rewards.put("redemptionPoints", r.redemption().points());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("customerName", c.name());
        model.put("businessName", businessName);
        model.put("paymentTermsDays", config.invoice().defaultNetDays());
        model.put("rewards", rewards);
        return new MailMessage("welcome#" + c.customerId(), "welcome", lang, List.of(c.email()), List.of(),
                c.customerId(), null, model);
    }

    /** Sent once per invoice, on issue. */
    public MailMessage invoiceIssued(Invoice inv, Customer c) {
        String lang = c.language();
        String cur = inv.currency();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("customerName", c.name());
        model.put("businessName", businessName);
        model.put("invoiceNumber", inv.number());
        model.put("issueDate", MoneyFormat.date(inv.issueDate(), lang));
        model.put("dueDate", MoneyFormat.date(inv.dueDate(), lang));
        model.put("currency", cur);
        model.put("subtotal", MoneyFormat.money(inv.subtotal(), cur, lang));
        model.put("tax", MoneyFormat.money(inv.tax(), cur, lang));
        model.put("total", MoneyFormat.money(inv.total(), cur, lang));
        model.put("amountDue", MoneyFormat.money(inv.amountDue(), cur, lang));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (var l : inv.lineItems()) {
            lines.add(Map.of("description", l.description(), "quantity", l.quantity(),
                    "unitAmount", MoneyFormat.money(l.unitAmount(), cur, lang),
                    "amount", MoneyFormat.money(l.amount(), cur, lang)));
        }
        model.put("lineItems", lines);
        List<Map<String, Object>> discounts = new ArrayList<>();
        for (var d : inv.discounts()) {
            discounts.add(Map.of("description", d.description(), "amount", MoneyFormat.money(d.amount(), cur, lang)));
        }
        model.put("discounts", discounts);
        model.put("hasDiscounts", !discounts.isEmpty());
        if (inv.paymentUrl() != null) {
            model.put("paymentUrl", inv.paymentUrl());
        }
        if (inv.earlyPaymentDiscount() != null) {
            var e = inv.earlyPaymentDiscount();
            model.put("earlyPaymentDiscount", Map.of("percent", e.percent(), "withinDays", e.withinDays(),
                    "payByDate", MoneyFormat.date(e.payBy(), lang),
                    "amount", MoneyFormat.money(e.minimumPayment(), cur, lang)));
        }
        RewardOffer offer = inv.rewardOffer();
        List<Map<String, Object>> early = new ArrayList<>();
        for (var e : offer.earlyPayment()) {
            early.add(Map.of("payByDate", MoneyFormat.date(e.payBy(), lang), "percent", e.percent(),
                    "amount", MoneyFormat.money(e.credit(), cur, lang)));
        }
        Map<String, Object> reward = new LinkedHashMap<>();
        reward.put("earlyCredits", early);
        reward.put("onTimePoints", offer.onTime().points());
        reward.put("onTimeByDate", MoneyFormat.date(offer.onTime().payBy(), lang));
        reward.put("largeInvoiceBonusPoints", offer.largeInvoiceBonusPoints());
        model.put("rewardOffer", reward);
        return new MailMessage("invoice-issued#" + inv.invoiceId(), "invoice-issued", lang, List.of(c.email()),
                List.of(), c.customerId(), inv.invoiceId(), model);
    }

    /** Sent once per invoice, when it is paid in full: thanks, what was received, any cash discount or credit. */
    public MailMessage paymentReceived(Invoice inv, Customer c) {
        String lang = c.language();
        String cur = inv.currency();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("customerName", c.name());
        model.put("businessName", businessName);
        model.put("invoiceNumber", inv.number());
        model.put("currency", cur);
        model.put("total", MoneyFormat.money(inv.total(), cur, lang));
        model.put("amountPaid", MoneyFormat.money(inv.amountPaid(), cur, lang));
        String paidDate = inv.closedAt() == null ? null : java.time.LocalDate.ofInstant(java.time.Instant.parse(inv.closedAt()),
                java.time.ZoneId.of(inv.timeZone() == null ? c.timeZone() : inv.timeZone())).toString();
        model.put("paidDate", MoneyFormat.date(paidDate, lang));
        model.put("paidOnTime", paidDate != null && paidDate.compareTo(inv.dueDate()) <= 0);
        if (inv.cashDiscountTaken() > 0) {
            model.put("cashDiscount", MoneyFormat.money(inv.cashDiscountTaken(), cur, lang));
        }
        if (inv.amountCredited() > 0) {
            model.put("credited", MoneyFormat.money(inv.amountCredited(), cur, lang));
        }
        return new MailMessage("payment-received#" + inv.invoiceId(), "payment-received", lang, List.of(c.email()),
                List.of(), c.customerId(), inv.invoiceId(), model);
    }

    private static String formatMajor(BigDecimal major, String lang) {
        var f = java.text.NumberFormat.getNumberInstance(MoneyFormat.locale(lang));
        f.setMinimumFractionDigits(major.scale());
        f.setMaximumFractionDigits(major.scale());
        return f.format(major);
    }
}
