package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.config.Env;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code StatementFunction} reads from its environment (template.yaml's Globals).
 *
 * @param reportCurrencies {@code REPORT_CURRENCIES}, comma-separated, default {@code USD,EUR,GBP,JPY}: the
 *                         program configuration has no currency list, and aging needs one index partition
 *                         ({@code AR#<currency>}) per currency, so the currencies are named here
 * @param businessZone     {@code DEFAULT_TIME_ZONE} (default UTC): the business date of a run is the scheduled
 *                         time's date in this zone
 */
public record StatementSettings(String table, String fromAddress, String financeAddress, String businessName,
                                ZoneId businessZone, List<String> reportCurrencies) {
    public StatementSettings {
        reportCurrencies = List.copyOf(reportCurrencies);
    }

    public static StatementSettings fromEnvironment() {
        String table = Env.get("TABLE_NAME");
        if (table == null || table.isBlank()) {
            throw new IllegalStateException("environment variable TABLE_NAME is required");
        }
        return new StatementSettings(table,
                Env.get("FROM_EMAIL", "billing@example.com"),
                Env.get("FINANCE_EMAIL", "finance@example.com"),
                Env.get("BUSINESS_NAME", "Example Co"),
                ZoneId.of(Env.get("DEFAULT_TIME_ZONE", "UTC")),
                currencies(Env.get("REPORT_CURRENCIES", "USD,EUR,GBP,JPY")));
    }

    static List<String> currencies(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
