package dev.invoiceloyalty.statements;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accounts-receivable aging of one currency as of the end of {@code asOf} (SPEC §8). {@code customers} holds one
 * row per customer with something due, sorted by {@code customerId}; {@code totals} is their sum
 * ({@code customerId} null).
 */
public record AgingReport(LocalDate asOf, String currency, AgingRow totals, List<AgingRow> customers) {

    public AgingReport {
        customers = List.copyOf(customers);
    }

    /**
     * SPEC §4's JSON: {@code {"asOf","currency","totals":{"current","1-30","31-60","61-90","90+"},
     * "customers":[{"customerId","current","1-30","31-60","61-90","90+"}]}}; amounts in minor units.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("asOf", asOf.toString());
        json.put("currency", currency);
        json.put("totals", totals.buckets());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AgingRow row : customers) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("customerId", row.customerId());
            r.putAll(row.buckets());
            rows.add(r);
        }
        json.put("customers", rows);
        return json;
    }
}
