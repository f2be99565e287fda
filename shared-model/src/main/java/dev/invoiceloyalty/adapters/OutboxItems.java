package dev.invoiceloyalty.adapters;

import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transactional outbox: the messages a state change announces are written in the same transaction as the
 * change, on an item that transaction inserts, and {@code OutboxRelayFunction} sends them from the table's stream
 * (see {@link OutboxRelay}). No function sends on its request path, and a function that dies after its commit
 * loses nothing: the stream holds the inserted item for 24 hours and Lambda retries the relay until it succeeds.
 *
 * <p>An item carries messages as {@code messages} (a list of JSON strings, one {@link OutboxMessage} each) and the
 * marker {@code relay = "outbox"}, which the relay's event filter matches on {@code INSERT}. Two kinds of item do:
 * the markers of facts processed once ({@link FactTransaction}: webhook events, rewards) and, where the change has
 * no such marker, an {@code OUTBOX#<first message id>} item in the entity's partition ({@link #put}), kept
 * {@link #TTL_HOURS} hours for inspection and then removed by the table's TTL.
 */
public final class OutboxItems {
    /** The attribute holding the encoded messages. */
    public static final String MESSAGES = "messages";
    /** The attribute the relay's event filter matches, with the value {@link #RELAY_OUTBOX}. */
    public static final String RELAY = "relay";
    public static final String RELAY_OUTBOX = "outbox";
    /** How long an {@code OUTBOX#} item stays after its transaction (the stream itself keeps records 24 hours). */
    public static final long TTL_HOURS = 7 * 24;

    private OutboxItems() {
    }

    /**
     * Adds {@code messages} and the relay marker to {@code item} (nothing when there are none, so the relay never
     * sees the item).
     */
    public static void attach(Map<String, AttributeValue> item, List<OutboxMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<AttributeValue> encoded = new ArrayList<>(messages.size());
        for (OutboxMessage m : messages) {
            encoded.add(Attr.s(Json.write(m)));
        }
        item.put(MESSAGES, AttributeValue.fromL(encoded));
        item.put(RELAY, Attr.s(RELAY_OUTBOX));
    }

    /** The messages an item carries ({@link #attach}); empty when it carries none. */
    public static List<OutboxMessage> messagesOf(Map<String, AttributeValue> item) {
        List<OutboxMessage> messages = new ArrayList<>();
        AttributeValue list = item == null ? null : item.get(MESSAGES);
        if (list != null && list.hasL()) {
            for (AttributeValue v : list.l()) {
                messages.add(Json.read(v.s(), OutboxMessage.class));
            }
        }
        return messages;
    }

    /**
     * The transactional put of one outbox item carrying {@code messages} (at least one) in partition {@code pk}, keyed
     * by the first message's id. Guard: {@code attribute_not_exists(pk)} (message ids are unique), so the put is
     * always an {@code INSERT} on the stream.
     */
    public static TransactWriteItem put(String table, String pk, List<OutboxMessage> messages, String createdAt) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("an outbox item carries at least one message");
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, Attr.s(pk));
        item.put(Keys.SK, Attr.s(Keys.outboxSk(messages.get(0).messageId())));
        item.put("type", Attr.s("OUTBOX"));
        item.put("createdAt", Attr.s(createdAt));
        item.put(Keys.TTL, Attr.n(DynamoDbInvoiceStore.ttlAfter(Instant.parse(createdAt), TTL_HOURS)));
        attach(item, messages);
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }
}
