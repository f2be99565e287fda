package dev.invoiceloyalty.statements;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The weekly finance statement's figures, as of the end of {@code asOf} (SPEC §8). Amounts are minor units of
 * the currency named next to them.
 *
 * @param weekStart first day of the week reported ({@code asOf} − 6): payments and movements of
 *                  {@code weekStart..asOf}
 */
public record FinanceReport(LocalDate asOf, LocalDate weekStart, List<CurrencySection> currencies,
                            List<Escalated> escalations, List<ReaderUnapplied> unapplied, RewardLiability rewards,
                            List<Movement> movements) {
    public FinanceReport {
        currencies = List.copyOf(currencies);
        escalations = List.copyOf(escalations);
        unapplied = List.copyOf(unapplied);
        movements = List.copyOf(movements);
    }

    /**
     * One currency: its aging, DSO and the week's payments.
     *
     * @param creditSales90 totals of the invoices issued in the 90 days ending on asOf (not void)
     * @param dso           AR at asOf ÷ credit sales of the last 90 days × 90, one decimal; null without sales
     */
    public record CurrencySection(String currency, AgingReport aging, long creditSales90, BigDecimal dso,
                                  long paymentsInWeek, int paymentCount) {
    }

    /** An open invoice handed to the AR team or collections, with what is due on it at asOf. */
    public record Escalated(String invoiceId, String number, String customerId, String currency, String escalation,
                            long amountDue, long daysOverdue) {
    }

    public record ReaderUnapplied(String provider, String paymentId, long amount, String currency, String reason,
                                  String receivedAt) {
    }

    /**
     * What the business owes in rewards: open credit per currency, the points outstanding and their value at the
     * redemption rate ({@code redemptionPoints} points = {@code redemptionCreditMajor} of the currency redeemed
     * in), and what expires in the 30 days after asOf.
     */
    public record RewardLiability(List<CurrencyAmount> openCredit, List<CurrencyAmount> creditExpiring30,
                                  long points, long pointsExpiring30, int redemptionPoints,
                                  BigDecimal redemptionCreditMajor) {
        public RewardLiability {
            openCredit = List.copyOf(openCredit);
            creditExpiring30 = List.copyOf(creditExpiring30);
        }

        /** The points' value in major units of whatever currency they are redeemed in. */
        public BigDecimal pointsValueMajor(long points) {
            return BigDecimal.valueOf(points).multiply(redemptionCreditMajor)
                    .divide(BigDecimal.valueOf(redemptionPoints), 2, java.math.RoundingMode.HALF_EVEN);
        }
    }

    public record CurrencyAmount(String currency, long amount) {
    }

    /**
     * One ledger movement of the week: {@code INVOICE_ISSUED}, {@code PAYMENT}, {@code REFUND} (receivables) or a
     * reward ledger entry type ({@code points} then may be non-zero).
     */
    public record Movement(String at, String kind, String customerId, String invoiceId, String currency, long amount,
                           long points, String reference) {
    }
}
