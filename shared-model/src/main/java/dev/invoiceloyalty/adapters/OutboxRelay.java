package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox relay: sends the messages of the items a DynamoDB stream batch shows inserted with the relay marker
 * ({@link OutboxItems}), and answers which record Lambda must retry from.
 *
 * <p>Lambda's DynamoDB event source hands records in stream order per shard; with {@code ReportBatchItemFailures}
 * the answer {@code {"batchItemFailures":[{"itemIdentifier":"<SequenceNumber>"}]}} checkpoints everything before
 * that record and retries from it. So the relay first sends the whole batch at once (one call per destination and
 * batch of ten), and when that fails, record by record in order, answering the first record that still fails. A
 * message sent before a failure may be sent again by the retry: receivers dedupe by message id (the mailer by email
 * id, the reward side by its natural keys), as at-least-once delivery requires anyway.
 *
 * <p>A record that is not an {@code INSERT} or carries no relay marker is skipped: the template's event filter
 * already drops those, but a stack without filtering must not fail on them. A record whose messages cannot be read
 * fails from that record on, so Lambda's retries, bisection and failure destination take it (nothing is dropped
 * silently).
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html">Partial batch responses for DynamoDB streams</a>
 */
public final class OutboxRelay {
    private final OutboxSender sender;

    public OutboxRelay(OutboxSender sender) {
        this.sender = sender;
    }

    /**
     * What one batch came to.
     *
     * @param records  records in the batch
     * @param outboxes records that carried messages
     * @param relayed  of those, how many had all their messages sent
     * @param messages messages sent (counting a record's messages once, even when a fallback sent them again)
     * @param failedSequenceNumber the record Lambda must retry from, or null when the whole batch is done
     */
    public record Result(int records, int outboxes, int relayed, int messages, String failedSequenceNumber) {
        /** The partial batch response Lambda reads. */
        public Map<String, Object> response() {
            List<Map<String, String>> failures = failedSequenceNumber == null ? List.of()
                    : List.of(Map.of("itemIdentifier", failedSequenceNumber));
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("batchItemFailures", failures);
            return response;
        }
    }

    private record Outbox(String sequenceNumber, List<OutboxMessage> messages) {
    }

    /** Relays one event of Lambda's DynamoDB stream event source ({@code {"Records":[...]}}). */
    public Result relay(JsonNode event) {
        JsonNode records = event.path("Records");
        List<Outbox> outboxes = new ArrayList<>();
        String unreadable = null;
        for (JsonNode record : records) {
            JsonNode change = record.path("dynamodb");
            String sequenceNumber = change.path("SequenceNumber").asText(null);
            JsonNode image = change.path("NewImage");
            if (!"INSERT".equals(record.path("eventName").asText())
                    || !OutboxItems.RELAY_OUTBOX.equals(image.path(OutboxItems.RELAY).path("S").asText(null))) {
                continue;
            }
            if (sequenceNumber == null) {
                throw new IllegalArgumentException("a stream record without dynamodb.SequenceNumber");
            }
            try {
                outboxes.add(new Outbox(sequenceNumber, decode(image.path(OutboxItems.MESSAGES))));
            } catch (RuntimeException e) {
                Log.event("outbox_relay_unreadable", "sequenceNumber", sequenceNumber, "error", e.getMessage());
                unreadable = sequenceNumber;
                break;
            }
        }
        int messages = 0;
        List<OutboxMessage> all = new ArrayList<>();
        for (Outbox o : outboxes) {
            all.addAll(o.messages());
            messages += o.messages().size();
        }
        if (all.isEmpty()) {
            return new Result(records.size(), outboxes.size(), outboxes.size(), 0, unreadable);
        }
        try {
            sender.sendAll(all);
            return new Result(records.size(), outboxes.size(), outboxes.size(), messages, unreadable);
        } catch (RuntimeException batchFailure) {
            Log.event("outbox_relay_batch_failed", "records", outboxes.size(), "messages", all.size(),
                    "error", batchFailure.getMessage());
        }
        int relayed = 0;
        int sent = 0;
        for (Outbox o : outboxes) {
            try {
                sender.sendAll(o.messages());
            } catch (RuntimeException e) {
                Log.event("outbox_relay_failed", "sequenceNumber", o.sequenceNumber(), "relayed", relayed,
                        "error", e.getMessage());
                return new Result(records.size(), outboxes.size(), relayed, sent, o.sequenceNumber());
            }
            relayed++;
            sent += o.messages().size();
        }
        return new Result(records.size(), outboxes.size(), relayed, sent, unreadable);
    }

    /** The messages of a {@code messages} attribute in DynamoDB's JSON ({@code {"L":[{"S":"<json>"}, …]}}). */
    private static List<OutboxMessage> decode(JsonNode attribute) {
        JsonNode list = attribute.get("L");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("messages is not a list");
        }
        List<OutboxMessage> messages = new ArrayList<>(list.size());
        for (JsonNode element : list) {
            JsonNode s = element.get("S");
            if (s == null || !s.isTextual()) {
                throw new IllegalArgumentException("a message is not a string");
            }
            OutboxMessage m = Json.read(s.asText(), OutboxMessage.class);
            if (m.messageId() == null || m.kind() == null || m.body() == null) {
                throw new IllegalArgumentException("a message lacks its id, kind or body");
            }
            messages.add(m);
        }
        return messages;
    }
}
