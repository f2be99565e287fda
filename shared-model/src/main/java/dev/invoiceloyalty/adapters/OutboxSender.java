package dev.invoiceloyalty.adapters;

/** Delivers one outbox message to its destination (MailQueue or the integration event bus). */
public interface OutboxSender {
    void send(OutboxMessage message);
}
