package dev.invoiceloyalty.rewards;

import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.InvoiceFactory;
import dev.invoiceloyalty.domain.MoneyMath;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The reward rules of SPEC §6 as a pure function of a paid invoice and the customer's standing. Dates are the
 * customer's local dates (the caller converts the provider's payment instant in the invoice's time zone); every
 * boundary is inclusive: paid on day 7 after issue is "within 7 days", paid on the due date is on time.
 */
public final class RewardRules {
    public static final String EARLY_PAYMENT = "early-payment";
    public static final String ON_TIME = "on-time";
    public static final String LARGE_INVOICE = "large-invoice";
    public static final String STREAK = "streak";

    private final ProgramConfig config;

    public RewardRules(ProgramConfig config) {
        this.config = config;
    }

    /** A paid invoice as the rules see it. */
    public record PaidInvoice(String invoiceId, String currency, long total, LocalDate issueDate, LocalDate dueDate,
                              LocalDate paidDate) {
        public boolean onTime() {
            return !paidDate.isAfter(dueDate);
        }
    }

    /** The customer's standing before this invoice: tier, current on-time streak, and the tier window's counts. */
    public record Standing(String tier, int onTimeStreak, int paidInWindow, int onTimeInWindow) {
    }

    /**
     * One reward: points, or credit in the invoice's currency. {@code rule} is the natural key's second half
     * ({@code invoiceId#rule}); {@code detail} says why, for the ledger and the email.
     */
    public record Award(String rule, long points, long credit, String detail) {
    }

    /** Everything a paid invoice changes. */
    public record Evaluation(List<Award> awards, boolean onTime, int onTimeStreak, String tier, boolean tierChanged,
                             boolean streakPerk) {
        public long points() {
            return awards.stream().mapToLong(Award::points).sum();
        }

        public long credit() {
            return awards.stream().mapToLong(Award::credit).sum();
        }
    }

    public Evaluation evaluate(PaidInvoice inv, Standing before) {
        var r = config.rewards();
        List<Award> awards = new ArrayList<>();
        // Early payment: the first (shortest) window the payment falls in; one early credit per invoice.
        for (var tier : r.earlyPayment()) {
            if (!inv.paidDate().isAfter(inv.issueDate().plusDays(tier.withinDays()))) {
                long credit = MoneyMath.percentOf(inv.total(), tier.percent());
                if (credit > 0) {
                    awards.add(new Award(EARLY_PAYMENT, 0, credit, "paid within " + tier.withinDays() + " days: "
                            + tier.percent().stripTrailingZeros().toPlainString() + "%"));
                }
                break;
            }
        }
        boolean onTime = inv.onTime();
        int streak = onTime ? before.onTimeStreak() + 1 : 0;
        boolean perk = false;
        if (onTime) {
            var multiplier = r.tier(before.tier()).multiplier();
            long points = new InvoiceFactory(config).onTimePoints(inv.total(), inv.currency(), multiplier);
            awards.add(new Award(ON_TIME, points, 0, "paid on time at " + before.tier() + " ×"
                    + multiplier.stripTrailingZeros().toPlainString()));
            if (MoneyMath.toMajor(inv.total(), inv.currency()).compareTo(r.largeInvoice().thresholdMajor()) >= 0
                    && r.largeInvoice().points() > 0) {
                awards.add(new Award(LARGE_INVOICE, r.largeInvoice().points(), 0, "large invoice paid on time"));
            }
            // Every streak-length-th consecutive on-time invoice earns the perk (6, 12, 18...).
            if (streak % r.streak().length() == 0 && r.streak().points() > 0) {
                perk = true;
                awards.add(new Award(STREAK, r.streak().points(), 0, streak + " invoices in a row paid on time"));
            }
        }
        String tier = tierFor(before.paidInWindow() + 1, before.onTimeInWindow() + (onTime ? 1 : 0));
        return new Evaluation(awards, onTime, streak, tier, !tier.equals(before.tier()), perk);
    }

    /** The highest tier whose minimum on-time count and on-time rate (in the window) are met. */
    public String tierFor(int paidInWindow, int onTimeInWindow) {
        String best = config.rewards().baseTier().name();
        for (var t : config.rewards().tiers()) {
            // Exact: onTime / paid >= min% ⇔ onTime × 100 >= min% × paid (no rounding lifts 79.99995 % to 80 %).
            boolean rateMet = BigDecimal.valueOf(onTimeInWindow).multiply(BigDecimal.valueOf(100))
                    .compareTo(t.minOnTimeRatePercent().multiply(BigDecimal.valueOf(paidInWindow))) >= 0;
            if (onTimeInWindow >= t.minOnTimeInvoices() && rateMet) {
                best = t.name();
            }
        }
        return best;
    }
}
