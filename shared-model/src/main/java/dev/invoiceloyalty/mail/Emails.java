package dev.invoiceloyalty.mail;

import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Currencies;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.RewardOffer;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.rewards.RewardRules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link MailMessage}s of the customer-facing emails: recipients, the stable email id and the
 * template model with every display string already formatted in the customer's language.
 */
public final class Emails {
    private static final Set<String> KNOWN_RULES = Set.of(RewardRules.EARLY_PAYMENT,
            RewardRules.ON_TIME, RewardRules.LARGE_INVOICE, RewardRules.STREAK);

    /**
     * Tier names by language. Tier codes come from the configuration, so they are translated here rather than
     * by sections in every template: a code this map does not know (a tier added to the configuration) and a
     * language it does not know both fall back to English, and an unknown code to its own name ("Platinum").
     */
    private static final Map<String, Map<String, String>> TIER_LABELS = Map.of(
            "en", Map.of("BRONZE", "Bronze", "SILVER", "Silver", "GOLD", "Gold"),
            "de", Map.of("BRONZE", "Bronze", "SILVER", "Silber", "GOLD", "Gold"),
            "fr", Map.of("BRONZE", "Bronze", "SILVER", "Argent", "GOLD", "Or"),
            "es", Map.of("BRONZE", "Bronce", "SILVER", "Plata", "GOLD", "Oro"));

    /** The language of the internal hand-off emails to the AR and collections teams. */
    private static final String INTERNAL_LANGUAGE = "en";

    /** The early steps that get the warmer variant for a long relationship (SPEC §7). */
    private static final Set<String> WARM_STEPS = Set.of("pre_due", "due_today", "overdue_3");

    /** Step name → its boolean in the reminder model (mustache has no switch). */
    private static final Map<String, String> STEP_FLAGS = orderedMap(
            "pre_due", "isPreDue", "due_today", "isDueToday", "overdue_3", "isOverdue3", "overdue_7", "isOverdue7",
            "overdue_14", "isOverdue14", "overdue_30", "isOverdue30", "collections_60", "isCollections60");

    private static final String TONE_FORMAL = "formal";
    private static final String TONE_FINAL = "final";

    /** Tone → its boolean in the reminder model; a tone not listed here is read as polite or firm. */
    private static final Map<String, String> TONE_FLAGS = orderedMap(
            "courteous", "isCourteous", "polite", "isPolite", "gentle", "isGentle", "firm", "isFirm",
            TONE_FORMAL, "isFormal", TONE_FINAL, "isFinal");

    private static final DateTimeFormatter SENT_AT =
            DateTimeFormatter.ofPattern("MMM d, yyyy, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

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

    /**
     * Sent once per invoice, when it is paid in full: thanks, what was received, any cash discount or credit.
     * Built by the reward side from the webhook's {@code PaymentRecorded} (see {@link PaymentMessage}).
     */
    public MailMessage paymentReceived(PaymentMessage paid, Customer c) {
        String lang = c.language();
        String cur = paid.currency();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("customerName", c.name());
        model.put("businessName", businessName);
        model.put("invoiceNumber", paid.invoiceNumber());
        model.put("currency", cur);
        model.put("total", MoneyFormat.money(paid.total(), cur, lang));
        model.put("amountPaid", MoneyFormat.money(paid.amountPaid(), cur, lang));
        String paidDate = paid.paidAt() == null ? null : LocalDate.ofInstant(Instant.parse(paid.paidAt()),
                java.time.ZoneId.of(paid.timeZone() == null ? c.timeZone() : paid.timeZone())).toString();
        model.put("paidDate", MoneyFormat.date(paidDate, lang));
        model.put("paidOnTime", paidDate != null && paidDate.compareTo(paid.dueDate()) <= 0);
        if (paid.cashDiscount() > 0) {
            model.put("cashDiscount", MoneyFormat.money(paid.cashDiscount(), cur, lang));
        }
        if (paid.credited() > 0) {
            model.put("credited", MoneyFormat.money(paid.credited(), cur, lang));
        }
        return new MailMessage("payment-received#" + paid.invoiceId(), "payment-received", lang, List.of(c.email()),
                List.of(), c.customerId(), paid.invoiceId(), model);
    }

    /**
     * After rewards are credited for a paid invoice: what was earned, the balances, the tier. One per invoice:
     * emailId {@code reward-notice#<invoiceId>}.
     *
     * @param currency       the invoice's currency: the awards' credit and {@code pointsValue} are in it
     * @param awards         the rewards credited for the invoice. An award that earned nothing (zero, or negative
     *                       as a reversal would be) is left out: the email lists only what was earned
     * @param pointsBalance  the customer's points after this invoice's rewards
     * @param creditBalances open credit by currency in minor units, after this invoice's rewards; only positive
     *                       balances are listed (a clawback's negative balance is nothing the customer can spend)
     * @param tier           the customer's tier code after this invoice, e.g. {@code SILVER}
     */
    public MailMessage rewardNotice(Customer c, String invoiceId, String invoiceNumber, String currency,
                                    List<RewardRules.Award> awards, long pointsBalance, Map<String, Long> creditBalances,
                                    String tier) {
        var r = config.rewards();
        String lang = c.language();
        List<Map<String, Object>> earned = new ArrayList<>();
        for (var a : awards) {
            if (a.points() <= 0 && a.credit() <= 0) {
                continue;
            }
            // Mustache has no switch: one boolean per rule lets each language word the rule its own way.
            Map<String, Object> award = new LinkedHashMap<>();
            award.put("ruleName", a.rule());
            award.put("isEarlyPayment", RewardRules.EARLY_PAYMENT.equals(a.rule()));
            award.put("isOnTime", RewardRules.ON_TIME.equals(a.rule()));
            award.put("isLargeInvoice", RewardRules.LARGE_INVOICE.equals(a.rule()));
            award.put("isStreak", RewardRules.STREAK.equals(a.rule()));
            award.put("isOther", !KNOWN_RULES.contains(a.rule()));
            if (a.points() > 0) {
                award.put("points", count(a.points(), lang));
            }
            if (a.credit() > 0) {
                award.put("credit", MoneyFormat.money(a.credit(), currency, lang));
            }
            earned.add(award);
        }
        // The invoice's currency first (the credit just earned is in it), then the others alphabetically.
        List<Map<String, Object>> credits = new ArrayList<>();
        creditBalances.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue() > 0)
                .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> !e.getKey().equals(currency))
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> credits.add(Map.of("amount", MoneyFormat.money(e.getValue(), e.getKey(), lang),
                        "currency", e.getKey())));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("customerName", c.name());
        model.put("businessName", businessName);
        model.put("invoiceNumber", invoiceNumber);
        model.put("currency", currency);
        model.put("awards", earned);
        model.put("hasAwards", !earned.isEmpty());
        model.put("pointsBalance", count(pointsBalance, lang));
        model.put("pointsValue", MoneyFormat.money(redemptionValue(pointsBalance, currency), currency, lang));
        model.put("credits", credits);
        model.put("hasCredits", !credits.isEmpty());
        model.put("tier", tier);
        model.put("tierLabel", tierLabel(tier, lang));
        model.put("tierMultiplier", decimal(r.tier(tier).multiplier(), lang));
        model.put("redemptionPoints", r.redemption().points());
        model.put("redemptionCredit", MoneyFormat.money(redemptionValue(r.redemption().points(), currency), currency, lang));
        return new MailMessage("reward-notice#" + invoiceId, "reward-notice", lang, List.of(c.email()), List.of(),
                c.customerId(), invoiceId, model);
    }

    /**
     * The customer's tier changed with the payment of {@code invoiceId}: emailId
     * {@code tier-changed#<customerId>#<invoiceId>}. Up or down is read from the order of the tiers in the
     * configuration (lowest first); the next tier's requirements are included when there is a higher tier.
     */
    public MailMessage tierChanged(Customer c, String fromTier, String toTier, String invoiceId) {
        var r = config.rewards();
        String lang = c.language();
        List<String> order = r.tiers().stream().map(ProgramConfig.Tier::name).toList();
        int to = order.indexOf(toTier);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("customerName", c.name());
        model.put("businessName", businessName);
        model.put("fromTier", fromTier);
        model.put("fromTierLabel", tierLabel(fromTier, lang));
        model.put("toTier", toTier);
        model.put("toTierLabel", tierLabel(toTier, lang));
        model.put("upgraded", to > order.indexOf(fromTier));
        model.put("multiplier", decimal(r.tier(toTier).multiplier(), lang));
        model.put("tierWindowMonths", r.tierWindowMonths());
        boolean hasNext = to >= 0 && to + 1 < order.size();
        model.put("hasNextTier", hasNext);
        if (hasNext) {
            var next = r.tiers().get(to + 1);
            model.put("nextTier", next.name());
            model.put("nextTierLabel", tierLabel(next.name(), lang));
            model.put("nextTierMinOnTime", next.minOnTimeInvoices());
            model.put("nextTierMinRate", decimal(next.minOnTimeRatePercent(), lang));
            model.put("nextTierMultiplier", decimal(next.multiplier(), lang));
        }
        return new MailMessage("tier-changed#" + c.customerId() + "#" + invoiceId, "tier-changed", lang,
                List.of(c.email()), List.of(), c.customerId(), invoiceId, model);
    }

    /**
     * The on-time streak perk was earned with the payment of {@code invoiceId}: emailId
     * {@code streak-perk#<customerId>#<invoiceId>}.
     *
     * @param streak the consecutive on-time invoices now reached (the streak length or a multiple of it)
     * @param points the bonus points credited for it
     */
    public MailMessage streakPerk(Customer c, int streak, long points, String invoiceId) {
        String lang = c.language();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("customerName", c.name());
        model.put("businessName", businessName);
        model.put("streak", streak);
        model.put("points", count(points, lang));
        model.put("streakLength", config.rewards().streak().length());
        return new MailMessage("streak-perk#" + c.customerId() + "#" + invoiceId, "streak-perk", lang,
                List.of(c.email()), List.of(), c.customerId(), invoiceId, model);
    }

    /** One reminder step to the customer. emailId "reminder#<invoiceId>#<step>", onlyIfCollectible = true. */
    public MailMessage reminder(Invoice inv, Customer c, ProgramConfig.ReminderStep step, int paidInvoices, LocalDate today) {
        String lang = c.language();
        String cur = inv.currency();
        LocalDate due = LocalDate.parse(inv.dueDate());
        long untilDue = ChronoUnit.DAYS.between(today, due);
        int daysOverdue = (int) Math.max(0, -untilDue);
        int daysUntilDue = (int) Math.max(0, untilDue);
        String tone = effectiveTone(step.tone(), daysOverdue);

        Map<String, Object> model = new LinkedHashMap<>();
        model.put("customerName", c.name());
        model.put("businessName", businessName);
        model.put("invoiceNumber", inv.number());
        model.put("issueDate", MoneyFormat.date(inv.issueDate(), lang));
        model.put("dueDate", MoneyFormat.date(inv.dueDate(), lang));
        model.put("currency", cur);
        model.put("amountDue", MoneyFormat.money(inv.amountDue(), cur, lang));
        model.put("total", MoneyFormat.money(inv.total(), cur, lang));
        model.put("amountPaid", MoneyFormat.money(inv.amountPaid(), cur, lang));
        model.put("partiallyPaid", inv.amountPaid() > 0);
        model.put("daysOverdue", daysOverdue);
        model.put("daysUntilDue", daysUntilDue);
        // Timing, so the wording of the due date follows the calendar whatever the configured step or tone.
        model.put("beforeDue", untilDue > 0);
        model.put("dueToday", untilDue == 0);
        model.put("overdue", untilDue < 0);
        model.put("oneDayUntilDue", daysUntilDue == 1);
        model.put("oneDayOverdue", daysOverdue == 1);
        if (inv.paymentUrl() != null && !inv.paymentUrl().isBlank()) {
            model.put("paymentUrl", inv.paymentUrl());
        }
        Map<String, Object> reward = rewardStillAvailable(inv, step, today, lang);
        if (reward != null) {
            model.put("rewardStillAvailable", reward);
        }
        model.put("step", step.step());
        STEP_FLAGS.forEach((name, flag) -> model.put(flag, name.equals(step.step())));
        model.put("tone", tone);
        TONE_FLAGS.forEach((name, flag) -> model.put(flag, name.equals(tone)));
        model.put("formalTone", TONE_FORMAL.equals(tone) || TONE_FINAL.equals(tone));
        model.put("handedToAccountsTeam", "AR_TEAM".equals(step.escalation()));
        model.put("handedToCollections", "COLLECTIONS".equals(step.escalation()));
        model.put("warm", paidInvoices >= config.reminders().warmRelationshipPaidInvoices()
                && WARM_STEPS.contains(step.step()));
        return new MailMessage("reminder#" + inv.invoiceId() + "#" + step.step(), "reminder", lang,
                List.of(c.email()), List.of(), c.customerId(), inv.invoiceId(), model, true);
    }

    /** The 30-days-overdue hand-off to the AR team (internal, English unless you find a reason otherwise), with the reminder history. emailId "escalation-ar#<invoiceId>". to = arTeamEmail. */
    public MailMessage arEscalation(Invoice inv, Customer c, String arTeamEmail, LocalDate today) {
        return escalation("escalation-ar", inv, c, arTeamEmail, today);
    }

    /** The 60-days final hand-off to collections, with the full history. emailId "escalation-collections#<invoiceId>". to = collectionsEmail. */
    public MailMessage collectionsEscalation(Invoice inv, Customer c, String collectionsEmail, LocalDate today) {
        return escalation("escalation-collections", inv, c, collectionsEmail, today);
    }

    /**
     * Both hand-offs share one model, in English ({@link #INTERNAL_LANGUAGE}): the recipients are the business's
     * own teams, whatever the customer's language. {@code onlyIfCollectible} is set as for reminders: an invoice
     * paid (or disputed) between the sweep and the send must not be handed to AR or collections.
     */
    private MailMessage escalation(String template, Invoice inv, Customer c, String to, LocalDate today) {
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException(template + " needs a recipient address");
        }
        String lang = INTERNAL_LANGUAGE;
        String cur = inv.currency();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("businessName", businessName);
        model.put("invoiceId", inv.invoiceId());
        model.put("invoiceNumber", inv.number());
        model.put("customerId", c.customerId());
        model.put("customerName", c.name());
        model.put("customerEmail", c.email());
        model.put("customerLanguage", c.language());
        model.put("issueDate", MoneyFormat.date(inv.issueDate(), lang));
        model.put("dueDate", MoneyFormat.date(inv.dueDate(), lang));
        model.put("currency", cur);
        model.put("total", MoneyFormat.money(inv.total(), cur, lang));
        model.put("amountPaid", MoneyFormat.money(inv.amountPaid(), cur, lang));
        model.put("partiallyPaid", inv.amountPaid() > 0);
        model.put("amountDue", MoneyFormat.money(inv.amountDue(), cur, lang));
        model.put("daysOverdue", (int) Math.max(0, ChronoUnit.DAYS.between(LocalDate.parse(inv.dueDate()), today)));
        if (inv.externalReference() != null && !inv.externalReference().isBlank()) {
            model.put("externalReference", inv.externalReference());
        }
        if (inv.paymentUrl() != null && !inv.paymentUrl().isBlank()) {
            model.put("paymentUrl", inv.paymentUrl());
        }
        List<Map<String, Object>> history = new ArrayList<>();
        for (var r : inv.reminders()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("step", r.step());
            entry.put("stepLabel", stepLabel(r.step()));
            entry.put("sentAt", sentAt(r.sentAt()));
            history.add(entry);
        }
        model.put("history", history);
        model.put("hasHistory", !history.isEmpty());
        model.put("reminderCount", history.size());
        return new MailMessage(template + "#" + inv.invoiceId(), template, lang, List.of(to), List.of(),
                c.customerId(), inv.invoiceId(), model, true);
    }

    /**
     * What paying now still earns, for a step planned on or before the due date ({@code offsetDays <= 0}, i.e.
     * {@code pre_due} and {@code due_today} by default) while {@code today} is still on time. Null otherwise,
     * and when the offer holds nothing.
     */
    private static Map<String, Object> rewardStillAvailable(Invoice inv, ProgramConfig.ReminderStep step,
                                                            LocalDate today, String lang) {
        RewardOffer offer = inv.rewardOffer();
        if (offer == null || step.offsetDays() > 0) {
            return null;
        }
        LocalDate onTimeBy = LocalDate.parse(offer.onTime() != null && offer.onTime().payBy() != null
                ? offer.onTime().payBy() : inv.dueDate());
        if (today.isAfter(onTimeBy)) {
            return null;
        }
        Map<String, Object> reward = new LinkedHashMap<>();
        long points = offer.onTime() == null ? 0 : offer.onTime().points();
        if (points > 0) {
            reward.put("onTimePoints", count(points, lang));
        }
        if (offer.largeInvoiceBonusPoints() > 0) {
            reward.put("largeInvoiceBonusPoints", count(offer.largeInvoiceBonusPoints(), lang));
        }
        // The best early-payment credit whose window is still open today (tiers close one after the other).
        offer.earlyPayment().stream()
                .filter(e -> e.credit() > 0 && e.payBy() != null && !today.isAfter(LocalDate.parse(e.payBy())))
                .max(Comparator.comparingLong(RewardOffer.EarlyCredit::credit))
                .ifPresent(e -> reward.put("earlyCredit", Map.of(
                        "amount", MoneyFormat.money(e.credit(), inv.currency(), lang),
                        "percent", percent(e.percent(), lang),
                        "payByDate", MoneyFormat.date(e.payBy(), lang))));
        if (reward.isEmpty()) {
            return null;
        }
        reward.put("onTimeByDate", MoneyFormat.date(onTimeBy.toString(), lang));
        return reward;
    }

    /** The configured tone when the templates know it; otherwise polite before the due date and firm after. */
    private static String effectiveTone(String tone, int daysOverdue) {
        String t = tone == null ? "" : tone.toLowerCase(Locale.ROOT);
        if (TONE_FLAGS.containsKey(t)) {
            return t;
        }
        return daysOverdue > 0 ? "firm" : "polite";
    }

    /** "3 days before the due date", "on the due date", "30 days overdue (handed to the AR team)". */
    private String stepLabel(String stepName) {
        for (var s : config.reminders().steps()) {
            if (s.step().equals(stepName)) {
                int d = Math.abs(s.offsetDays());
                String days = d + (d == 1 ? " day" : " days");
                String label = s.offsetDays() < 0 ? days + " before the due date"
                        : s.offsetDays() == 0 ? "on the due date" : days + " overdue";
                if ("AR_TEAM".equals(s.escalation())) {
                    label += " (handed to the AR team)";
                } else if ("COLLECTIONS".equals(s.escalation())) {
                    label += " (final notice, handed to collections)";
                }
                return label;
            }
        }
        return stepName;
    }

    /** An ISO instant as "Dec 1, 2026, 09:00 UTC"; anything else as it is. */
    private static String sentAt(String iso) {
        if (iso == null || iso.isBlank()) {
            return "time not recorded";
        }
        try {
            return SENT_AT.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    private static String percent(String percent, String lang) {
        try {
            return decimal(new BigDecimal(percent), lang);
        } catch (NumberFormatException | NullPointerException e) {
            return String.valueOf(percent);
        }
    }

    private static String tierLabel(String tier, String languageTag) {
        String language = MoneyFormat.locale(languageTag).getLanguage();
        String label = TIER_LABELS.getOrDefault(language, TIER_LABELS.get("en")).get(tier);
        if (label == null) {
            label = TIER_LABELS.get("en").get(tier);
        }
        if (label == null) {
            label = tier.isEmpty() ? tier
                    : tier.substring(0, 1).toUpperCase(Locale.ROOT) + tier.substring(1).toLowerCase(Locale.ROOT);
        }
        return label;
    }

    /**
     * What {@code points} are worth at the program's redemption rate, in minor units of {@code currency}:
     * points / redemption.points × redemption.creditMajor, rounded down, so the email never promises a fraction
     * of a cent that cannot be redeemed.
     */
    private long redemptionValue(long points, String currency) {
        var rate = config.rewards().redemption();
        return BigDecimal.valueOf(points).multiply(rate.creditMajor())
                .movePointRight(Currencies.exponent(currency))
                .divide(BigDecimal.valueOf(rate.points()), 0, RoundingMode.DOWN).longValueExact();
    }

    /** A whole number with the language's grouping: "1,234" (en), "1.234" (de), "1 234" (fr). */
    private static String count(long n, String lang) {
        return formatMajor(BigDecimal.valueOf(n), lang);
    }

    /** A factor or percentage as short as it is exact: "1.25", "1,5", "95", "87,5". */
    private static String decimal(BigDecimal d, String lang) {
        BigDecimal stripped = d.stripTrailingZeros();
        return formatMajor(stripped.scale() < 0 ? stripped.setScale(0) : stripped, lang);
    }

    private static String formatMajor(BigDecimal major, String lang) {
        var f = java.text.NumberFormat.getNumberInstance(MoneyFormat.locale(lang));
        f.setMinimumFractionDigits(major.scale());
        f.setMaximumFractionDigits(major.scale());
        return f.format(major);
    }
}
