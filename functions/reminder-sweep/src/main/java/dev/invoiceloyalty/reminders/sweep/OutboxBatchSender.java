package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.adapters.OutboxBatches;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends committed outbox messages in batches and deletes each item once its message is out: emails to MailQueue with
 * {@code SendMessageBatch}, events to the bus with {@code PutEvents}, in the batches {@link OutboxBatches} cuts.
 *
 * <p>Each batch is claimed first ({@link OutboxItems#claim}, the lease every outbox sender uses), so the function that
 * committed a message and a sweep flushing it never both send it. Per message the order is claim, send, delete: a
 * crash before the send leaves the item (its lease runs out and the next flush sends it); a crash after the send and
 * before the delete sends it once more on the next flush, and the mailer's email-id record absorbs that copy.
 * A failed batch or entry gives its claims back and fails the run, so Lambda's retry (or the next day's run) sends it.
 */
final class OutboxBatchSender {
    /** As {@code OutboxDispatcher}: longer than a batch takes to send; a dead sender's claim runs out by itself. */
    static final long LEASE_MILLIS = 60_000;

    /** Some messages could not be handed over; they stay in the outbox for the next flush. */
    static final class SendFailed extends RuntimeException {
        SendFailed(String message) {
            super(message);
        }
    }

    private final DynamoDbClient ddb;
    private final String table;
    private final SqsClient sqs;
    private final String mailQueueUrl;
    private final String paymentsQueueUrl;
    private final EventBridgeClient events;
    private final String busName;
    private final Clock clock;

    OutboxBatchSender(DynamoDbClient ddb, String table, SqsClient sqs, String mailQueueUrl, String paymentsQueueUrl,
                      EventBridgeClient events, String busName, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.sqs = sqs;
        this.mailQueueUrl = mailQueueUrl;
        this.paymentsQueueUrl = paymentsQueueUrl;
        this.events = events;
        this.busName = busName;
        this.clock = clock;
    }

    /** Sends what it can claim of {@code messages}; returns how many went out. */
    int send(List<PendingMessage> messages) {
        List<PendingMessage> mail = new ArrayList<>();
        List<PendingMessage> payments = new ArrayList<>();
        List<PendingMessage> eventMessages = new ArrayList<>();
        for (PendingMessage m : messages) {
            switch (m.message().kind()) {
                case MAIL -> mail.add(m);
                case PAYMENT -> payments.add(m);
                case EVENT -> eventMessages.add(m);
                default -> throw new IllegalArgumentException(m.message().kind().name());
            }
        }
        int sent = 0;
        for (List<PendingMessage> batch : OutboxBatches.of(mail, m -> OutboxBatches.queueBytes(m.message()))) {
            sent += toQueue(mailQueueUrl, batch);
        }
        if (!payments.isEmpty()) {
            if (paymentsQueueUrl == null) {
                // Nothing the sweep writes; another function's message, left for a sender that knows the queue.
                Log.event("outbox_payment_skipped", "messages", payments.size(), "reason", "no PAYMENTS_QUEUE_URL");
            } else {
                for (List<PendingMessage> batch : OutboxBatches.of(payments, m -> OutboxBatches.queueBytes(m.message()))) {
                    sent += toQueue(paymentsQueueUrl, batch);
                }
            }
        }
        for (List<PendingMessage> batch : OutboxBatches.of(eventMessages, m -> OutboxBatches.eventBytes(m.message()))) {
            sent += toBus(batch);
        }
        return sent;
    }

    private int toQueue(String queueUrl, List<PendingMessage> candidates) {
        List<PendingMessage> batch = claim(candidates);
        if (batch.isEmpty()) {
            return 0;
        }
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .messageBody(batch.get(i).message().body()).build());
        }
        Set<Integer> failed = new HashSet<>();
        try {
            var response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            response.failed().forEach(f -> failed.add(Integer.parseInt(f.id())));
        } catch (RuntimeException e) {
            release(batch);
            throw e;
        }
        return settle(batch, failed, "SendMessageBatch");
    }

    private int toBus(List<PendingMessage> candidates) {
        List<PendingMessage> batch = claim(candidates);
        if (batch.isEmpty()) {
            return 0;
        }
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (PendingMessage m : batch) {
            entries.add(PutEventsRequestEntry.builder().eventBusName(busName).source(SqsEventBridgeOutboxSender.SOURCE)
                    .detailType(m.message().detailType()).detail(m.message().body()).build());
        }
        Set<Integer> failed = new HashSet<>();
        try {
            // PutEvents answers 200 with per-entry failures: each result entry at the index of its request entry.
            List<PutEventsResultEntry> results = events.putEvents(b -> b.entries(entries)).entries();
            for (int i = 0; i < batch.size(); i++) {
                if (i >= results.size() || results.get(i).errorCode() != null) {
                    failed.add(i);
                }
            }
        } catch (RuntimeException e) {
            release(batch);
            throw e;
        }
        return settle(batch, failed, "PutEvents");
    }

    /**
     * Deletes what went out and gives back the claims of what did not; then fails the run if anything was refused or
     * could not be deleted. An item whose delete failed is released too: its message went out, and the next flush
     * sends it once more rather than a day late (the mailer drops the copy by its email id).
     */
    private int settle(List<PendingMessage> batch, Set<Integer> failed, String call) {
        RuntimeException deleteFailure = null;
        for (int i = 0; i < batch.size(); i++) {
            PendingMessage m = batch.get(i);
            if (failed.contains(i)) {
                release(List.of(m));
                continue;
            }
            try {
                OutboxItems.delete(ddb, table, m.pk(), m.message().messageId());
            } catch (RuntimeException e) {
                release(List.of(m));
                if (deleteFailure == null) {
                    deleteFailure = e;
                }
            }
        }
        if (!failed.isEmpty()) {
            throw new SendFailed(call + " refused " + failed.size() + " of " + batch.size() + " messages");
        }
        if (deleteFailure != null) {
            throw deleteFailure;
        }
        return batch.size();
    }

    /** The messages of {@code candidates} this sender now holds; the others are gone or held by another sender. */
    private List<PendingMessage> claim(List<PendingMessage> candidates) {
        long now = clock.millis(); // leases are about processes, so the wall clock, never the business time
        List<PendingMessage> claimed = new ArrayList<>();
        try {
            for (PendingMessage m : candidates) {
                if (OutboxItems.claim(ddb, table, m.pk(), m.message().messageId(), now, LEASE_MILLIS)) {
                    claimed.add(m);
                }
            }
        } catch (RuntimeException e) {
            release(claimed);
            throw e;
        }
        return claimed;
    }

    private void release(List<PendingMessage> batch) {
        for (PendingMessage m : batch) {
            try {
                OutboxItems.release(ddb, table, m.pk(), m.message().messageId());
            } catch (RuntimeException e) {
                // the lease runs out by itself
            }
        }
    }
}
