package dev.invoiceloyalty.adapters;

import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fact processed exactly once: one transaction whose first item is the fact's marker (written with
 * {@code attribute_not_exists(pk)}) and carries the messages the fact sends ({@link OutboxItems#attach}), which
 * {@code OutboxRelayFunction} sends from the table's stream. A redelivery fails on the marker and gets it back
 * ({@code ReturnValuesOnConditionCheckFailure}): the fact was processed, its messages were committed with it.
 * Shared by the webhook (provider events) and the reward side (paid invoices, reversals, expiries).
 */
final class FactTransaction {
    private FactTransaction() {
    }

    /** What running the transaction found. */
    record Outcome(boolean committed, boolean duplicate, List<OutboxMessage> storedMessages, String reasons) {
    }

    /**
     * The marker put: {@code item} plus the {@code messages} for the relay. Guard: {@code attribute_not_exists(pk)}.
     */
    static TransactWriteItem marker(String table, Map<String, AttributeValue> item, List<OutboxMessage> messages) {
        Map<String, AttributeValue> marker = new HashMap<>(item);
        OutboxItems.attach(marker, messages);
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(marker)
                .conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build();
    }

    /** Runs {@code writes} (the marker first) as one transaction of at most 100 items. */
    static Outcome run(DynamoDbClient ddb, String table, List<TransactWriteItem> writes) {
        if (writes.size() > 100) {
            throw new IllegalStateException("a transaction holds at most 100 items, this one " + writes.size());
        }
        try {
            ddb.transactWriteItems(b -> b.transactItems(writes));
            return new Outcome(true, false, List.of(), null);
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (!reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code())) {
                Map<String, AttributeValue> item = reasons.get(0).item();
                if (item == null || item.isEmpty()) {
                    // Emulators without ReturnValuesOnConditionCheckFailure: read the marker.
                    var key = Attr.key(writes.get(0).put().item().get(Keys.PK).s(), writes.get(0).put().item().get(Keys.SK).s());
                    item = ddb.getItem(b -> b.tableName(table).consistentRead(true).key(key)).item();
                }
                return new Outcome(false, true, OutboxItems.messagesOf(item), null);
            }
            return new Outcome(false, false, List.of(), reasons.isEmpty() ? e.getMessage() : reasons.toString());
        }
    }

}
