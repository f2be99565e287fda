package dev.invoiceloyalty.adapters;

import dev.invoiceloyalty.adapters.DynamoDbRewardStore.LedgerEntry;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.util.HashMap;
import java.util.Map;

/**
 * The two items every balance change of a customer writes, whoever writes it (rewards, redemptions, overpayment
 * credit, credit applied to an invoice): an append-only ledger entry and, for money or points granted, a lot.
 * Both are put with {@code attribute_not_exists(pk)} on deterministic keys, so a retried transaction never doubles.
 */
final class LedgerItems {
    private LedgerItems() {
    }

    static TransactWriteItem entry(String table, String customerId, LedgerEntry e) {
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(Keys.customerPk(customerId),
                Keys.ledgerSk(e.createdAt(), e.entryId())));
        item.put("type", Attr.s("LEDGER"));
        item.put("entryId", Attr.s(e.entryId()));
        item.put("entryType", Attr.s(e.type()));
        item.put("rule", Attr.s(e.rule()));
        item.put("invoiceId", Attr.s(e.invoiceId()));
        item.put("points", Attr.n(e.points()));
        item.put("amount", Attr.n(e.amount()));
        item.put("currency", Attr.s(e.currency()));
        item.put("createdAt", Attr.s(e.createdAt()));
        item.put("expiresAt", Attr.s(e.expiresAt()));
        item.put("configVersion", Attr.s(e.configVersion()));
        return putNew(table, item);
    }

    /**
     * A new lot of points ({@code currency} null) or credit. With {@code expires} it is listed in the sparse expiry
     * index (GSI2 {@code REWARD_EXPIRY}) while it has something left; overpayment credit, the customer's own money,
     * is not.
     */
    static TransactWriteItem lot(String table, String customerId, String sk, String entryId, long amount,
                                 String currency, String expiresAt, boolean expires) {
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(Keys.customerPk(customerId), sk));
        item.put("type", Attr.s(currency == null ? "POINTS_LOT" : "CREDIT_LOT"));
        item.put("entryId", Attr.s(entryId));
        item.put("amount", Attr.n(amount));
        item.put("remaining", Attr.n(amount));
        item.put("currency", Attr.s(currency));
        item.put("expiresAt", Attr.s(expiresAt));
        item.put("customerId", Attr.s(customerId));
        if (expires) {
            item.put(Keys.GSI2_PK, Attr.s(Keys.REWARD_EXPIRY_GSI2_PK));
            item.put(Keys.GSI2_SK, Attr.s(expiresAt + "#" + customerId + "#" + sk));
        }
        return putNew(table, item);
    }

    private static TransactWriteItem putNew(String table, Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }
}
