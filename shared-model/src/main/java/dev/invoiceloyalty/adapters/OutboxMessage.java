package dev.invoiceloyalty.adapters;

/**
 * A message announced by a state change: written in the same transaction as the change ({@link OutboxItems}) and
 * sent from the table's stream by the outbox relay ({@link OutboxRelay}). So a function that dies after its commit
 * loses nothing, and one that dies before it announced nothing. Delivery is at least once; receivers dedupe by
 * {@code messageId} (the mailer by email id).
 *
 * @param kind       {@code MAIL} (body is a MailMessage for MailQueue), {@code PAYMENT} (body is a payment message
 *                   for PaymentsQueue, of type {@code detailType}) or {@code EVENT} (body is the detail of an
 *                   EventBridge entry of type {@code detailType})
 * @param detailType the message type for {@code EVENT} and {@code PAYMENT}; null for {@code MAIL}
 */
public record OutboxMessage(String messageId, Kind kind, String detailType, String body) {
    public enum Kind { MAIL, PAYMENT, EVENT }

    public static OutboxMessage mail(String emailId, String mailMessageJson) {
        return new OutboxMessage("mail#" + emailId, Kind.MAIL, null, mailMessageJson);
    }

    public static OutboxMessage payment(String messageId, String type, String json) {
        return new OutboxMessage("payment#" + messageId, Kind.PAYMENT, type, json);
    }

    public static OutboxMessage event(String eventId, String detailType, String detailJson) {
        return new OutboxMessage("event#" + eventId, Kind.EVENT, detailType, detailJson);
    }
}
