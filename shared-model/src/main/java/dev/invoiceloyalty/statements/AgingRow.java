package dev.invoiceloyalty.statements;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of an aging report: amounts due in minor units of the report's currency, by days overdue (SPEC §8).
 * {@code customerId} is null for the totals row.
 */
public record AgingRow(String customerId, long current, long days1to30, long days31to60, long days61to90,
                       long days90plus) {

    /** The bucket keys of SPEC §4, in report order. */
    public static final String CURRENT = "current";
    public static final String DAYS_1_TO_30 = "1-30";
    public static final String DAYS_31_TO_60 = "31-60";
    public static final String DAYS_61_TO_90 = "61-90";
    public static final String DAYS_90_PLUS = "90+";

    public static AgingRow empty(String customerId) {
        return new AgingRow(customerId, 0, 0, 0, 0, 0);
    }

    public long total() {
        return current + days1to30 + days31to60 + days61to90 + days90plus;
    }

    /** This row with {@code amount} added to the bucket of {@code daysOverdue} (≤ 0 is current). */
    public AgingRow plus(long daysOverdue, long amount) {
        if (daysOverdue <= 0) {
            return new AgingRow(customerId, current + amount, days1to30, days31to60, days61to90, days90plus);
        }
        if (daysOverdue <= 30) {
            return new AgingRow(customerId, current, days1to30 + amount, days31to60, days61to90, days90plus);
        }
        if (daysOverdue <= 60) {
            return new AgingRow(customerId, current, days1to30, days31to60 + amount, days61to90, days90plus);
        }
        if (daysOverdue <= 90) {
            return new AgingRow(customerId, current, days1to30, days31to60, days61to90 + amount, days90plus);
        }
        return new AgingRow(customerId, current, days1to30, days31to60, days61to90, days90plus + amount);
    }

    /** The bucket-wise sum, keeping this row's {@code customerId}. */
    public AgingRow plus(AgingRow other) {
        return new AgingRow(customerId, current + other.current, days1to30 + other.days1to30,
                days31to60 + other.days31to60, days61to90 + other.days61to90, days90plus + other.days90plus);
    }

    /** The buckets under SPEC's keys, in order. */
    public Map<String, Long> buckets() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(CURRENT, current);
        m.put(DAYS_1_TO_30, days1to30);
        m.put(DAYS_31_TO_60, days31to60);
        m.put(DAYS_61_TO_90, days61to90);
        m.put(DAYS_90_PLUS, days90plus);
        return m;
    }
}
