package dev.invoiceloyalty.mailer;

import java.time.Duration;
import java.util.Map;

/**
 * The function's configuration, from its environment (set in template.yaml).
 *
 * @param tableName        {@code TABLE_NAME}, required: the single table that holds the sent-email records
 * @param fromAddress      {@code FROM_EMAIL}, default {@code billing@example.com}: a verified SES identity
 * @param configurationSet {@code SES_CONFIGURATION_SET}, optional (null when unset)
 * @param lease            {@code SEND_LEASE_SECONDS}, default 120: how long a claim keeps other consumers
 *                         from sending the same email; keep it below the queue's visibility timeout
 */
public record MailerSettings(String tableName, String fromAddress, String configurationSet, Duration lease) {
    public static final String DEFAULT_FROM = "billing@example.com";

    public static MailerSettings fromEnvironment() {
        return from(dev.invoiceloyalty.config.Env.all());
    }

    static MailerSettings from(Map<String, String> env) {
        String table = env.get("TABLE_NAME");
        if (table == null || table.isBlank()) {
            throw new IllegalStateException("TABLE_NAME is not set");
        }
        String from = env.get("FROM_EMAIL");
        String configurationSet = env.get("SES_CONFIGURATION_SET");
        String leaseSeconds = env.get("SEND_LEASE_SECONDS");
        Duration lease = leaseSeconds == null || leaseSeconds.isBlank()
                ? DynamoDbSentEmailLog.DEFAULT_LEASE
                : Duration.ofSeconds(Long.parseLong(leaseSeconds.strip()));
        return new MailerSettings(table,
                from == null || from.isBlank() ? DEFAULT_FROM : from.strip(),
                configurationSet == null || configurationSet.isBlank() ? null : configurationSet.strip(),
                lease);
    }
}
