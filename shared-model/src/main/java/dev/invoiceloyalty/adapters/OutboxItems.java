package dev.invoiceloyalty.adapters;

import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Outbox items of a partition: written inside a state change's transaction, deleted once sent. */
public final class OutboxItems {
    /** DynamoDB's limit of actions in one transaction. */
    public static final int MAX_PER_TRANSACTION = 100;

    private OutboxItems() {
    }

    /** The transactional put of one outbox message. Guard: {@code attribute_not_exists(pk)} (ids are unique). */
    public static TransactWriteItem put(String table, String pk, OutboxMessage m, String createdAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, Attr.s(pk));
        item.put(Keys.SK, Attr.s(Keys.outboxSk(m.messageId())));
        item.put("type", Attr.s("OUTBOX"));
        item.put("messageId", Attr.s(m.messageId()));
        item.put("kind", Attr.s(m.kind().name()));
        item.put("detailType", Attr.s(m.detailType()));
        item.put("body", Attr.s(m.body()));
        item.put(Keys.GSI2_PK, Attr.s(Keys.OUTBOX_GSI2_PK));
        item.put(Keys.GSI2_SK, Attr.s(createdAt + "#" + pk + "#" + m.messageId()));
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }

    /** Messages still waiting in a partition (a previous attempt committed but did not get to send them). */
    public static List<OutboxMessage> pending(DynamoDbClient ddb, String table, String pk) {
        List<OutboxMessage> messages = new ArrayList<>();
        var items = ddb.query(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":prefix", Attr.s(Keys.OUTBOX_PREFIX)))
                .build()).items();
        for (var item : items) {
            messages.add(new OutboxMessage(Attr.str(item, "messageId"),
                    OutboxMessage.Kind.valueOf(Attr.str(item, "kind")), Attr.str(item, "detailType"),
                    Attr.str(item, "body")));
        }
        return messages;
    }

    /**
     * Claims a message for sending for {@code leaseMillis}, so a replay flushing the partition and the request
     * that committed it do not both send it. Guard: the item still exists and no live claim holds it. A claimer
     * that dies leaves a lease that simply expires. Returns false when someone else holds it or it is gone.
     */
    public static boolean claim(DynamoDbClient ddb, String table, String pk, String messageId, long nowMillis,
                                long leaseMillis) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(Attr.key(pk, Keys.outboxSk(messageId)))
                    .updateExpression("SET claimedUntil = :until")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)")
                    .expressionAttributeValues(Map.of(":until", Attr.n(nowMillis + leaseMillis), ":now", Attr.n(nowMillis))));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Gives a claim back after a failed send, so the next flush need not wait for the lease. */
    public static void release(DynamoDbClient ddb, String table, String pk, String messageId) {
        ddb.updateItem(b -> b.tableName(table).key(Attr.key(pk, Keys.outboxSk(messageId)))
                .updateExpression("REMOVE claimedUntil")
                .conditionExpression("attribute_exists(pk)"));
    }

    public static void delete(DynamoDbClient ddb, String table, String pk, String messageId) {
        ddb.deleteItem(b -> b.tableName(table).key(Attr.key(pk, Keys.outboxSk(messageId))));
    }

    /**
     * Claims every message of {@code messageIds} at once, in one {@code TransactWriteItems} (the call the state
     * change already made, so no further SDK operation is loaded on a cold start): the same guard as
     * {@link #claim} on each. Returns false if any is held by someone else or gone; then nothing is claimed.
     */
    public static boolean claimAll(DynamoDbClient ddb, String table, String pk, List<String> messageIds, long nowMillis,
                                   long leaseMillis) {
        List<TransactWriteItem> updates = new ArrayList<>();
        for (String id : messageIds) {
            updates.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(Attr.key(pk, Keys.outboxSk(id)))
                    .updateExpression("SET claimedUntil = :until")
                    .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)")
                    .expressionAttributeValues(Map.of(":until", Attr.n(nowMillis + leaseMillis), ":now", Attr.n(nowMillis))))
                    .build());
        }
        try {
            ddb.transactWriteItems(b -> b.transactItems(updates));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException e) {
            return false;
        }
    }

    /** Deletes sent messages in one {@code TransactWriteItems} (at most {@link #MAX_PER_TRANSACTION}). */
    public static void deleteAll(DynamoDbClient ddb, String table, String pk, List<String> messageIds) {
        List<TransactWriteItem> deletes = new ArrayList<>();
        for (String id : messageIds) {
            deletes.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(Attr.key(pk, Keys.outboxSk(id))))
                    .build());
        }
        ddb.transactWriteItems(b -> b.transactItems(deletes));
    }
}
