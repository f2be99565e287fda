package dev.invoiceloyalty.adapters;

import java.util.List;

/** Delivers outbox messages to their destination (MailQueue, PaymentsQueue or the integration event bus). */
public interface OutboxSender {
    void send(OutboxMessage message);

    /**
     * Delivers every message, or throws; what was delivered before a failure may be delivered again by the caller's
     * retry (receivers dedupe by message id). A sender may batch messages of one destination into one call.
     */
    default void sendAll(List<OutboxMessage> messages) {
        for (OutboxMessage m : messages) {
            send(m);
        }
    }
}
