package dev.invoiceloyalty.relay;

import java.util.Map;

/**
 * Where the relay sends, from its environment (set in template.yaml). All three are required: the relay exists to
 * reach them, and a missing one fails the container's start (loudly, at once) rather than every batch that happens
 * to hold a message of that kind.
 *
 * @param mailQueueUrl     {@code MAIL_QUEUE_URL}: MailQueue, for {@code MAIL} messages
 * @param paymentsQueueUrl {@code PAYMENTS_QUEUE_URL}: PaymentsQueue, for {@code PAYMENT} messages
 * @param eventBusName     {@code EVENT_BUS_NAME}: the integration event bus, for {@code EVENT} messages
 */
public record OutboxRelaySettings(String mailQueueUrl, String paymentsQueueUrl, String eventBusName) {

    public static OutboxRelaySettings fromEnvironment() {
        return from(dev.invoiceloyalty.config.Env.all());
    }

    static OutboxRelaySettings from(Map<String, String> env) {
        return new OutboxRelaySettings(required(env, "MAIL_QUEUE_URL"), required(env, "PAYMENTS_QUEUE_URL"),
                required(env, "EVENT_BUS_NAME"));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value.strip();
    }
}
