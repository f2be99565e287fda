package dev.invoiceloyalty.adapters;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.util.ArrayList;
import java.util.List;

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
        sendAll(List.of(m));
    }

    /**
     * One call per destination and batch: the messages of each queue in one {@code SendMessage} (a single message)
     * or {@code SendMessageBatch}, the events in one {@code PutEvents} (up to {@link OutboxBatches#MAX_ENTRIES} each).
     * A refused entry fails the whole send, so the caller's retry sends the batch again.
     */
    @Override
    public void sendAll(List<OutboxMessage> messages) {
        for (SdkRequest request : requests(messages)) {
            if (request instanceof SendMessageRequest one) {
                sqs.sendMessage(one);
            } else if (request instanceof SendMessageBatchRequest batch) {
                var response = sqs.sendMessageBatch(batch);
                if (!response.failed().isEmpty()) {
                    throw new IllegalStateException("SQS refused " + response.failed().size() + " of "
                            + batch.entries().size() + " messages: " + response.failed().get(0).code());
                }
            } else {
                PutEventsRequest put = (PutEventsRequest) request;
                var response = events.putEvents(put);
                // PutEvents reports per-entry failures in a 200 answer; treat them as a failed send so it is retried.
                if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                    String code = response.entries().stream().map(e -> e.errorCode()).filter(c -> c != null)
                            .findFirst().orElse("unknown");
                    throw new IllegalStateException("EventBridge refused " + response.failedEntryCount() + " of "
                            + put.entries().size() + " events: " + code);
                }
            }
        }
    }

    /**
     * The requests {@link #sendAll} makes for {@code messages}, in order, without making them: mail first, then
     * payment messages, then events. SnapStart priming builds them to load their classes.
     */
    public List<SdkRequest> requests(List<OutboxMessage> messages) {
        List<OutboxMessage> mail = new ArrayList<>();
        List<OutboxMessage> payments = new ArrayList<>();
        List<OutboxMessage> eventMessages = new ArrayList<>();
        for (OutboxMessage m : messages) {
            switch (m.kind()) {
                case MAIL -> mail.add(m);
                case PAYMENT -> payments.add(m);
                case EVENT -> eventMessages.add(m);
                default -> throw new IllegalArgumentException(m.kind().name());
            }
        }
        List<SdkRequest> requests = new ArrayList<>();
        queueRequests(mailQueueUrl, mail, requests);
        queueRequests(paymentsQueueUrl, payments, requests);
        for (List<OutboxMessage> batch : OutboxBatches.of(eventMessages, OutboxBatches::eventBytes)) {
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (OutboxMessage m : batch) {
                entries.add(PutEventsRequestEntry.builder().eventBusName(busName).source(SOURCE)
                        .detailType(m.detailType()).detail(m.body()).build());
            }
            requests.add(PutEventsRequest.builder().entries(entries).build());
        }
        return requests;
    }

    private static void queueRequests(String queueUrl, List<OutboxMessage> messages, List<SdkRequest> requests) {
        for (List<OutboxMessage> batch : OutboxBatches.of(messages, OutboxBatches::queueBytes)) {
            if (batch.size() == 1) {
                requests.add(SendMessageRequest.builder().queueUrl(queueUrl).messageBody(batch.get(0).body()).build());
                continue;
            }
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .messageBody(batch.get(i).body()).build());
            }
            requests.add(SendMessageBatchRequest.builder().queueUrl(queueUrl).entries(entries).build());
        }
    }
}
