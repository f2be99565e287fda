package dev.invoiceloyalty.statements;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * A customer's monthly statement (SPEC §8): per currency the opening balance (amount due at the end of the day
 * before the month), the month's invoices and payments, credits and adjustments (what else moved the balance:
 * cash discounts taken, write-offs, overpayment; the figure that makes the section add up), the closing balance
 * and its aging; and the reward balance.
 */
public record CustomerStatement(String customerId, String name, String email, String language, YearMonth month,
                                List<Section> sections, long points, Map<String, Long> rewardCredits) {
    public CustomerStatement {
        sections = List.copyOf(sections);
        rewardCredits = Map.copyOf(rewardCredits);
    }

    public record Section(String currency, long opening, List<Line> invoices, List<Line> payments, long credits,
                          long closing, AgingRow aging) {
        public Section {
            invoices = List.copyOf(invoices);
            payments = List.copyOf(payments);
        }

        public long invoiced() {
            return invoices.stream().mapToLong(Line::amount).sum();
        }

        public long paid() {
            return payments.stream().mapToLong(Line::amount).sum();
        }
    }

    /** An invoice ({@code date} = issue date, {@code due} its due date) or a payment ({@code date} paid, {@code due} null). */
    public record Line(String reference, String date, String due, long amount) {
    }
}
