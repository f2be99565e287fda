package dev.invoiceloyalty.domain;

import java.util.List;

/**
 * What paying this invoice early or on time will earn, computed at issue from the program configuration and
 * the customer's tier at that moment (the rules themselves are evaluated again on payment).
 *
 * @param earlyPayment one entry per early-payment tier: pay in full on or before {@code payBy} → {@code credit}
 * @param onTime       pay in full on or before the due date → {@code points} (tier multiplier included)
 * @param largeInvoiceBonusPoints bonus points for paying this large invoice on time; 0 when it is not large
 */
public record RewardOffer(List<EarlyCredit> earlyPayment, OnTime onTime, int largeInvoiceBonusPoints) {
    public RewardOffer {
        earlyPayment = List.copyOf(earlyPayment);
    }

    public record EarlyCredit(String payBy, String percent, long credit) {
    }

    public record OnTime(String payBy, long points, String tier) {
    }
}
