package dev.invoiceloyalty.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** How much of one {@link CreditLot} an invoice uses; {@code remainingBefore} guards the lot's conditional update. */
public record AppliedCredit(CreditLot lot, long amount) {

    /**
     * Spends open credit lots against {@code gross}, oldest-expiring first, never past zero: the invoice total
     * cannot go negative and a lot is never overdrawn.
     */
    public static List<AppliedCredit> apply(List<CreditLot> lots, long gross) {
        List<CreditLot> ordered = new ArrayList<>(lots);
        ordered.sort(Comparator.comparing(CreditLot::expiresAt).thenComparing(CreditLot::entryId));
        List<AppliedCredit> applied = new ArrayList<>();
        long left = gross;
        for (CreditLot lot : ordered) {
            if (left <= 0) {
                break;
            }
            long use = Math.min(left, lot.remaining());
            if (use > 0) {
                applied.add(new AppliedCredit(lot, use));
                left -= use;
            }
        }
        return applied;
    }
}
