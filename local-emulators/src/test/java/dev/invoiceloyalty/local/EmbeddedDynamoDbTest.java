package dev.invoiceloyalty.local;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EmbeddedDynamoDbTest {

    @Test
    void GIVEN_a_started_emulator_WHEN_an_item_is_written_THEN_it_reads_back_through_the_loopback_endpoint() {
        try (EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start()) {
            DynamoDbClient client = ddb.client();
            client.createTable(t -> t.tableName("items").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk").keyType("HASH")));
            client.putItem(p -> p.tableName("items").item(Map.of(
                    "pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("1"))));

            var item = client.getItem(g -> g.tableName("items").key(Map.of("pk", AttributeValue.fromS("a")))).item();

            assertEquals("1", item.get("n").n());
            assertEquals("127.0.0.1", ddb.endpoint().getHost());
        }
    }

    @Test
    void GIVEN_two_emulators_WHEN_both_run_THEN_each_has_its_own_port_and_data() {
        try (EmbeddedDynamoDb first = EmbeddedDynamoDb.start(); EmbeddedDynamoDb second = EmbeddedDynamoDb.start()) {
            first.client().createTable(t -> t.tableName("only-in-first").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk").keyType("HASH")));

            assertEquals(1, first.client().listTables().tableNames().size());
            assertEquals(0, second.client().listTables().tableNames().size());
        }
    }

    @Test
    void GIVEN_a_closed_emulator_WHEN_it_is_called_THEN_the_call_fails() {
        EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start();
        var endpoint = ddb.endpoint();
        ddb.close();

        try (DynamoDbClient client = LocalClients.configure(DynamoDbClient.builder(), endpoint).build()) {
            assertThrows(SdkClientException.class, client::listTables);
        }
    }
}
