package dev.invoiceloyalty.local;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalBackendsTest {
    private final LocalBackends backends = LocalBackends.shared();

    @Test
    void GIVEN_the_shared_backends_WHEN_asked_twice_THEN_the_same_emulators_come_back() {
        LocalBackends again = LocalBackends.shared();

        assertSame(backends, again);
        assertSame(backends.dynamoDb(), again.dynamoDb());
        assertSame(backends.sqs(), again.sqs());
        assertSame(backends.ses(), again.ses());
        assertSame(backends.eventBridge(), again.eventBridge());
    }

    @Test
    void GIVEN_two_test_classes_WHEN_each_creates_a_table_THEN_they_get_different_empty_tables() {
        SamTemplate template = Templates.fixture();
        String first = backends.createTable(template);
        backends.dynamoDb().client().putItem(p -> p.tableName(first).item(Map.of(
                "pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("b"))));

        String second = backends.createTable(template);

        assertNotEquals(first, second);
        assertTrue(second.startsWith("invoices-"), second);
        assertEquals(0, backends.dynamoDb().client().scan(s -> s.tableName(second)).count());
    }

    @Test
    void GIVEN_two_test_classes_WHEN_each_creates_queues_THEN_no_queue_url_is_shared() {
        SamTemplate template = Templates.fixture();

        Map<String, String> first = backends.createQueues(template);
        Map<String, String> second = backends.createQueues(template);

        assertEquals(first.keySet(), second.keySet());
        var all = new HashSet<>(first.values());
        all.addAll(second.values());
        assertEquals(first.size() + second.size(), all.size());
    }

    @Test
    void GIVEN_the_repository_template_WHEN_the_default_table_and_queues_are_created_THEN_they_follow_it() {
        org.junit.jupiter.api.Assumptions.assumeTrue(SamTemplate.find().isPresent(), "no template.yaml yet");

        String table = backends.createTable();
        Map<String, String> queues = backends.createQueues();

        assertEquals(List.of("pk", "sk"), backends.dynamoDb().client().describeTable(d -> d.tableName(table)).table()
                .keySchema().stream().map(k -> k.attributeName()).toList());
        assertEquals(backends.template().queueLogicalIds(), List.copyOf(queues.keySet()));
    }
}
