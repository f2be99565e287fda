package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.config.Env;

/**
 * The function's configuration, from its environment (template.yaml's Globals).
 *
 * @param tableName        {@code TABLE_NAME}, required
 * @param mailQueueUrl     {@code MAIL_QUEUE_URL}, required: reminders and escalation emails go there
 * @param paymentsQueueUrl {@code PAYMENTS_QUEUE_URL}: only for payment messages another function left in the outbox;
 *                         may be null, and such a message then stays in the outbox (logged)
 * @param busName          {@code EVENT_BUS_NAME}, default {@code default}: {@code ReminderSent}, {@code InvoiceEscalated}
 * @param arTeamEmail      {@code AR_TEAM_EMAIL}, required: the 30-days-overdue hand-off
 * @param collectionsEmail {@code COLLECTIONS_EMAIL}, required: the 60-days-overdue hand-off
 * @param businessName     {@code BUSINESS_NAME}, default {@code Example Co}
 */
public record SweepSettings(String tableName, String mailQueueUrl, String paymentsQueueUrl, String busName,
                            String arTeamEmail, String collectionsEmail, String businessName) {

    public static SweepSettings fromEnvironment() {
        return new SweepSettings(required("TABLE_NAME"), required("MAIL_QUEUE_URL"), blankToNull(Env.get("PAYMENTS_QUEUE_URL")),
                Env.get("EVENT_BUS_NAME", "default"), required("AR_TEAM_EMAIL"), required("COLLECTIONS_EMAIL"),
                Env.get("BUSINESS_NAME", "Example Co"));
    }

    private static String required(String name) {
        String v = Env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is required");
        }
        return v.strip();
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
