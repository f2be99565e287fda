package dev.invoiceloyalty.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableStreamTest {
    private final LocalBackends backends = LocalBackends.shared();

    @Test
    void GIVEN_the_template_table_WHEN_items_are_written_THEN_each_poll_hands_over_only_the_new_records_in_lambda_shape() {
        String table = backends.createTable();
        var ddb = backends.dynamoDb().client();
        try (TableStream stream = TableStream.open(backends.dynamoDb(), table)) {
            assertTrue(stream.poll(100).isEmpty(), "a new table's stream is empty");

            ddb.putItem(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS("A"), "sk", AttributeValue.fromS("1"),
                    "relay", AttributeValue.fromS("outbox"),
                    "messages", AttributeValue.fromL(List.of(AttributeValue.fromS("{\"messageId\":\"m\"}"))),
                    "n", AttributeValue.fromN("42"), "flag", AttributeValue.fromBool(true),
                    "b", AttributeValue.fromB(SdkBytes.fromUtf8String("hi")),
                    "m", AttributeValue.fromM(Map.of("x", AttributeValue.fromS("y"))))));
            ddb.putItem(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS("A"), "sk", AttributeValue.fromS("1"),
                    "n", AttributeValue.fromN("43"))));

            List<ObjectNode> first = stream.poll(100);

            assertEquals(List.of("INSERT", "MODIFY"), first.stream().map(r -> r.path("eventName").asText()).toList());
            JsonNode insert = first.get(0);
            assertEquals("aws:dynamodb", insert.path("eventSource").asText());
            assertEquals(stream.streamArn(), insert.path("eventSourceARN").asText());
            JsonNode change = insert.path("dynamodb");
            assertEquals("NEW_IMAGE", change.path("StreamViewType").asText());
            assertFalse(change.path("SequenceNumber").asText().isEmpty());
            assertEquals("A", change.path("Keys").path("pk").path("S").asText());
            JsonNode image = change.path("NewImage");
            assertEquals("outbox", image.path("relay").path("S").asText());
            assertEquals("{\"messageId\":\"m\"}", image.path("messages").path("L").get(0).path("S").asText());
            assertEquals("42", image.path("n").path("N").asText());
            assertTrue(image.path("flag").path("BOOL").asBoolean());
            assertEquals("aGk=", image.path("b").path("B").asText());
            assertEquals("y", image.path("m").path("M").path("x").path("S").asText());
            assertEquals("43", first.get(1).path("dynamodb").path("NewImage").path("n").path("N").asText());

            ddb.deleteItem(d -> d.tableName(table).key(Map.of("pk", AttributeValue.fromS("A"), "sk", AttributeValue.fromS("1"))));
            ObjectNode next = stream.pollEvent(100);

            assertEquals(1, next.path("Records").size(), next.toString());
            assertEquals("REMOVE", next.path("Records").get(0).path("eventName").asText());
            assertTrue(stream.poll(100).isEmpty(), "nothing is handed over twice");
        }
    }

    @Test
    void GIVEN_more_records_than_asked_for_WHEN_polled_THEN_the_rest_comes_with_the_next_poll() {
        String table = backends.createTable();
        var ddb = backends.dynamoDb().client();
        try (TableStream stream = TableStream.open(backends.dynamoDb(), table)) {
            for (int i = 0; i < 5; i++) {
                String sk = Integer.toString(i);
                ddb.putItem(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS("A"), "sk", AttributeValue.fromS(sk))));
            }

            List<ObjectNode> first = stream.poll(3);
            List<ObjectNode> second = stream.poll(3);

            assertEquals(3, first.size());
            assertEquals(2, second.size());
            assertEquals(List.of("0", "1", "2", "3", "4"), java.util.stream.Stream.concat(first.stream(), second.stream())
                    .map(r -> r.path("dynamodb").path("Keys").path("sk").path("S").asText()).toList());
        }
    }

    @Test
    void GIVEN_marked_and_plain_inserts_WHEN_delivered_THEN_the_handler_gets_the_marked_ones_in_batches_and_a_named_record_again() {
        String table = backends.createTable();
        var ddb = backends.dynamoDb().client();
        try (TableStream stream = TableStream.open(backends.dynamoDb(), table)) {
            for (int i = 0; i < 5; i++) {
                String sk = Integer.toString(i);
                ddb.putItem(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS("A"), "sk", AttributeValue.fromS(sk),
                        "relay", AttributeValue.fromS("outbox"))));
                ddb.putItem(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS("B"), "sk", AttributeValue.fromS(sk))));
            }
            List<List<String>> handed = new java.util.ArrayList<>();
            boolean[] failedOnce = {false};

            TableStream.Delivered delivered = stream.deliver(2, TableStream.insertsWith("relay", "outbox"), event -> {
                List<String> keys = new java.util.ArrayList<>();
                event.path("Records").forEach(r -> keys.add(r.path("dynamodb").path("Keys").path("sk").path("S").asText()));
                handed.add(keys);
                if (keys.contains("3") && !failedOnce[0]) {
                    failedOnce[0] = true;
                    for (JsonNode r : event.path("Records")) {
                        if (r.path("dynamodb").path("Keys").path("sk").path("S").asText().equals("3")) {
                            return r.path("dynamodb").path("SequenceNumber").asText();
                        }
                    }
                }
                return null;
            }, 1);

            assertEquals(new TableStream.Delivered(5, 1), delivered);
            assertEquals(List.of(List.of("0", "1"), List.of("2", "3"), List.of("3"), List.of("4")), handed);
            assertEquals(new TableStream.Delivered(0, 0), stream.deliver(2, r -> true, e -> null, 0));
        }
    }

    @Test
    void GIVEN_a_handler_that_keeps_failing_WHEN_delivered_THEN_it_throws_after_the_retries() {
        String table = backends.createTable();
        backends.dynamoDb().client().putItem(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS("A"),
                "sk", AttributeValue.fromS("1"))));
        try (TableStream stream = TableStream.open(backends.dynamoDb(), table)) {
            int[] calls = {0};

            IllegalStateException e = assertThrows(IllegalStateException.class, () -> stream.deliver(10, r -> true, event -> {
                calls[0]++;
                return event.path("Records").get(0).path("dynamodb").path("SequenceNumber").asText();
            }, 2));

            assertEquals(3, calls[0]);
            assertTrue(e.getMessage().contains("after 2 retries"), e.getMessage());
        }
    }

    @Test
    void GIVEN_a_table_without_a_stream_WHEN_opened_THEN_the_error_says_so() {
        String table = backends.createTable(Templates.fixture());

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> TableStream.open(backends.dynamoDb(), table));

        assertTrue(error.getMessage().contains("no stream"), error.getMessage());
    }
}
