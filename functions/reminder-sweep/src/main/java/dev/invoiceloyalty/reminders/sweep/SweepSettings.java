package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.config.Env;

/**
 * The function's configuration, from its environment (template.yaml's Globals). The sweep sends nothing itself, so it
 * needs no queue or bus: {@code OutboxRelayFunction} has those.
 *
 * @param tableName        {@code TABLE_NAME}, required
 * @param arTeamEmail      {@code AR_TEAM_EMAIL}, required: the 30-days-overdue hand-off
 * @param collectionsEmail {@code COLLECTIONS_EMAIL}, required: the 60-days-overdue hand-off
 * @param businessName     {@code BUSINESS_NAME}, default {@code Example Co}
 */
public record SweepSettings(String tableName, String arTeamEmail, String collectionsEmail, String businessName) {

    public static SweepSettings fromEnvironment() {
        return new SweepSettings(required("TABLE_NAME"), required("AR_TEAM_EMAIL"), required("COLLECTIONS_EMAIL"),
                Env.get("BUSINESS_NAME", "Example Co"));
    }

    private static String required(String name) {
        String v = Env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is required");
        }
        return v.strip();
    }
}
