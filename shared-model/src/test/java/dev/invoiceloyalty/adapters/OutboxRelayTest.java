package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay's batching and partial-failure answer, on hand-built stream events and a recording sender. */
class OutboxRelayTest {
    /** Records every sendAll call; fails any call that contains a message id in {@link #failing}. */
    private static final class RecordingSender implements OutboxSender {
        final List<List<String>> calls = new ArrayList<>();
        final Set<String> failing = new java.util.HashSet<>();

        @Override
        public void send(OutboxMessage message) {
            sendAll(List.of(message));
        }

        @Override
        public void sendAll(List<OutboxMessage> messages) {
            List<String> ids = messages.stream().map(OutboxMessage::messageId).toList();
            calls.add(ids);
            for (String id : ids) {
                if (failing.contains(id)) {
                    throw new IllegalStateException("refused " + id);
                }
            }
        }

        List<String> delivered() {
            List<String> out = new ArrayList<>();
            for (List<String> call : calls) {
                if (call.stream().noneMatch(failing::contains)) {
                    out.addAll(call);
                }
            }
            return out;
        }
    }

    private final RecordingSender sender = new RecordingSender();
    private final OutboxRelay relay = new OutboxRelay(sender);

    private static ObjectNode record(String eventName, String sequenceNumber, Map<String, AttributeValue> image) {
        ObjectNode record = Json.mapper().createObjectNode();
        record.put("eventName", eventName);
        record.put("eventSource", "aws:dynamodb");
        ObjectNode change = record.putObject("dynamodb");
        change.put("SequenceNumber", sequenceNumber);
        ObjectNode newImage = change.putObject("NewImage");
        image.forEach((name, value) -> newImage.set(name, ddbJson(value)));
        return record;
    }

    private static JsonNode ddbJson(AttributeValue v) {
        ObjectNode node = Json.mapper().createObjectNode();
        if (v.s() != null) {
            node.put("S", v.s());
        } else if (v.hasL()) {
            ArrayNode list = node.putArray("L");
            v.l().forEach(e -> list.add(ddbJson(e)));
        } else {
            node.put("N", v.n());
        }
        return node;
    }

    /** An item as OutboxItems.attach marks it, carrying messages with these ids. */
    private static Map<String, AttributeValue> outbox(String... ids) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", Attr.s("INVOICE#1"));
        List<OutboxMessage> messages = new ArrayList<>();
        for (String id : ids) {
            messages.add(new OutboxMessage(id, OutboxMessage.Kind.MAIL, null, "{\"emailId\":\"" + id + "\"}"));
        }
        OutboxItems.attach(item, messages);
        return item;
    }

    private static ObjectNode event(ObjectNode... records) {
        ObjectNode event = Json.mapper().createObjectNode();
        ArrayNode array = event.putArray("Records");
        for (ObjectNode r : records) {
            array.add(r);
        }
        return event;
    }

    @Test
    void GIVEN_inserted_outbox_items_WHEN_relayed_THEN_all_their_messages_go_in_one_send_and_nothing_is_retried() {
        var result = relay.relay(event(record("INSERT", "100", outbox("a", "b")), record("INSERT", "101", outbox("c"))));

        assertEquals(List.of(List.of("a", "b", "c")), sender.calls);
        assertEquals(new OutboxRelay.Result(2, 2, 2, 3, null), result);
        assertEquals(Map.of("batchItemFailures", List.of()), result.response());
    }

    @Test
    void GIVEN_records_that_are_not_inserts_or_carry_no_marker_WHEN_relayed_THEN_they_are_skipped() {
        Map<String, AttributeValue> plain = new HashMap<>(Map.of("pk", Attr.s("CUSTOMER#1")));
        Map<String, AttributeValue> noMessages = new HashMap<>(plain);
        OutboxItems.attach(noMessages, List.of());

        var result = relay.relay(event(record("MODIFY", "1", outbox("m")), record("REMOVE", "2", outbox("r")),
                record("INSERT", "3", plain), record("INSERT", "4", noMessages), record("INSERT", "5", outbox("x"))));

        assertEquals(List.of(List.of("x")), sender.calls);
        assertEquals(new OutboxRelay.Result(5, 1, 1, 1, null), result);
        assertTrue(noMessages.isEmpty() || !noMessages.containsKey(OutboxItems.RELAY), "no marker without messages");
    }

    @Test
    void GIVEN_a_send_that_fails_for_one_record_WHEN_relayed_THEN_the_records_before_it_are_sent_and_it_is_the_retry_point() {
        sender.failing.add("c");

        var result = relay.relay(event(record("INSERT", "100", outbox("a")), record("INSERT", "101", outbox("b")),
                record("INSERT", "102", outbox("c")), record("INSERT", "103", outbox("d"))));

        assertEquals("102", result.failedSequenceNumber());
        assertEquals(2, result.relayed());
        assertEquals(List.of("a", "b"), sender.delivered());
        assertEquals(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "102"))), result.response());

        // Lambda retries from 102 once the destination takes messages again: c and d arrive, nothing is lost.
        sender.failing.clear();
        sender.calls.clear();
        var retry = relay.relay(event(record("INSERT", "102", outbox("c")), record("INSERT", "103", outbox("d"))));

        assertNull(retry.failedSequenceNumber());
        assertEquals(List.of("c", "d"), sender.delivered());
    }

    @Test
    void GIVEN_a_record_whose_messages_cannot_be_read_WHEN_relayed_THEN_the_ones_before_are_sent_and_it_is_the_retry_point() {
        Map<String, AttributeValue> broken = new HashMap<>(outbox("ignored"));
        broken.put(OutboxItems.MESSAGES, AttributeValue.fromL(List.of(Attr.s("not json"))));

        var result = relay.relay(event(record("INSERT", "7", outbox("a")), record("INSERT", "8", broken),
                record("INSERT", "9", outbox("b"))));

        assertEquals("8", result.failedSequenceNumber());
        assertEquals(List.of("a"), sender.delivered());
    }

    @Test
    void GIVEN_an_item_written_by_attach_WHEN_its_messages_are_read_back_THEN_they_are_the_same() {
        List<OutboxMessage> messages = List.of(OutboxMessage.mail("e1", "{\"x\":1}"),
                OutboxMessage.event("InvoicePaid#1", "InvoicePaid", "{\"invoiceId\":\"1\"}"),
                OutboxMessage.payment("p1", "PaymentRecorded", "{}"));
        Map<String, AttributeValue> item = new HashMap<>();

        OutboxItems.attach(item, messages);

        assertEquals(messages, OutboxItems.messagesOf(item));
        assertEquals(OutboxItems.RELAY_OUTBOX, item.get(OutboxItems.RELAY).s());
    }

    @Test
    void GIVEN_an_outbox_record_without_a_sequence_number_WHEN_relayed_THEN_the_whole_batch_fails() {
        ObjectNode record = record("INSERT", "1", outbox("a"));
        ((ObjectNode) record.get("dynamodb")).remove("SequenceNumber");

        assertThrows(IllegalArgumentException.class, () -> relay.relay(event(record)));
        assertTrue(sender.calls.isEmpty());
    }
}
