package dev.invoiceloyalty.adapters;

import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Mail goes to {@code MailQueue}, payment messages to {@code PaymentsQueue}; integration events go to the bus with source {@code invoice-loyalty} (SPEC §9).
 * Either client may be null in a function that never sends that kind.
 */
public final class SqsEventBridgeOutboxSender implements OutboxSender {
    public static final String SOURCE = "invoice-loyalty";
    private final SqsClient sqs;
    private final String mailQueueUrl;
    private final String paymentsQueueUrl;
    private final EventBridgeClient events;
    private final String busName;

    public SqsEventBridgeOutboxSender(SqsClient sqs, String mailQueueUrl, EventBridgeClient events, String busName) {
        this(sqs, mailQueueUrl, null, events, busName);
    }

    /** @param paymentsQueueUrl PaymentsQueue, for functions that publish payment messages; may be null */
    public SqsEventBridgeOutboxSender(SqsClient sqs, String mailQueueUrl, String paymentsQueueUrl,
                                      EventBridgeClient events, String busName) {
        this.sqs = sqs;
        this.mailQueueUrl = mailQueueUrl;
        this.paymentsQueueUrl = paymentsQueueUrl;
        this.events = events;
        this.busName = busName;
    }

    @Override
    public void send(OutboxMessage m) {
        switch (m.kind()) {
            case MAIL -> sqs.sendMessage(b -> b.queueUrl(mailQueueUrl).messageBody(m.body()));
            case PAYMENT -> sqs.sendMessage(b -> b.queueUrl(paymentsQueueUrl).messageBody(m.body()));
            case EVENT -> {
                var response = events.putEvents(b -> b.entries(PutEventsRequestEntry.builder()
                        .eventBusName(busName).source(SOURCE).detailType(m.detailType()).detail(m.body()).build()));
                // PutEvents reports per-entry failures in a 200 answer; treat them as a failed send so it is retried.
                if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                    throw new IllegalStateException("EventBridge refused " + m.detailType() + ": "
                            + response.entries().get(0).errorCode());
                }
            }
            default -> throw new IllegalArgumentException(m.kind().name());
        }
    }
}
