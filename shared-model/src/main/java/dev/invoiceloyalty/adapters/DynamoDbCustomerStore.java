package dev.invoiceloyalty.adapters;

import dev.invoiceloyalty.domain.CreditLot;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Customers on the one table: {@code CUSTOMER#<id>} / {@code PROFILE}, with the reward ledger and credit lots in
 * the same partition (see {@link Keys}). The loyalty attributes are cached balances that only the reward side
 * writes; the profile route never touches them.
 */
public final class DynamoDbCustomerStore {
    private final DynamoDbClient ddb;
    private final String table;

    public DynamoDbCustomerStore(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    public Versioned<Customer> find(String customerId) {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Attr.key(Keys.customerPk(customerId), Keys.CUSTOMER_PROFILE_SK))).item();
        return item == null || item.isEmpty() ? null : new Versioned<>(decode(item), Attr.num(item, "version"));
    }

    /** Thrown when a create finds the customer already there (a concurrent create won). */
    public static final class AlreadyExists extends RuntimeException {
        AlreadyExists() {
            super(null, null, false, false);
        }
    }

    /** Thrown when an update's expected version is stale (a concurrent update won). */
    public static final class StaleVersion extends RuntimeException {
        StaleVersion() {
            super(null, null, false, false);
        }
    }

    /**
     * Creates the customer and its outbox messages in one transaction.
     * Guard: {@code attribute_not_exists(pk)} on the profile, so two concurrent creates yield one customer.
     */
    public void create(Customer customer, List<OutboxMessage> outbox) {
        String pk = Keys.customerPk(customer.customerId());
        Map<String, AttributeValue> item = encode(customer);
        item.put("version", Attr.n(1));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        if (!outbox.isEmpty()) {
            writes.add(OutboxItems.put(table, pk, outbox, customer.createdAt()));
        }
        try {
            ddb.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            CancellationReason first = e.cancellationReasons().get(0);
            if ("ConditionalCheckFailed".equals(first.code())) {
                throw new AlreadyExists();
            }
            throw e;
        }
    }

    /** Replaces the profile fields. Guard: {@code version = :expected}; loyalty attributes are left as they are. */
    public void updateProfile(Customer customer, long expectedVersion) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":name", Attr.s(customer.name()));
        values.put(":email", Attr.s(customer.email()));
        values.put(":language", Attr.s(customer.language()));
        values.put(":timeZone", Attr.s(customer.timeZone()));
        values.put(":segment", Attr.s(customer.segment()));
        values.put(":reminders", Attr.bool(customer.remindersEnabled()));
        values.put(":autopay", Attr.bool(customer.autopay()));
        values.put(":updatedAt", Attr.s(customer.updatedAt()));
        values.put(":expected", Attr.n(expectedVersion));
        values.put(":one", Attr.n(1));
        try {
            ddb.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(Attr.key(Keys.customerPk(customer.customerId()), Keys.CUSTOMER_PROFILE_SK))
                    // Every name through a placeholder: several (name, language, timeZone, segment) are reserved words.
                    .updateExpression("SET #name = :name, #email = :email, #language = :language, "
                            + "#timeZone = :timeZone, #segment = :segment, #reminders = :reminders, "
                            + "#autopay = :autopay, #updatedAt = :updatedAt, #version = #version + :one")
                    .conditionExpression("#version = :expected")
                    .expressionAttributeNames(Map.of("#name", "name", "#email", "email", "#language", "language",
                            "#timeZone", "timeZone", "#segment", "segment", "#reminders", "remindersEnabled",
                            "#autopay", "autopay", "#updatedAt", "updatedAt", "#version", "version"))
                    .expressionAttributeValues(values)
                    .build());
        } catch (ConditionalCheckFailedException e) {
            throw new StaleVersion();
        }
    }

    /**
     * Open credit lots of a customer in one currency at {@code now}, oldest-expiring first (the sort key orders
     * them). A lot past its expiry is not open even before the daily expiry run has written it off.
     */
    public List<CreditLot> openCreditLots(String customerId, String currency, java.time.Instant now) {
        List<CreditLot> lots = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var response = ddb.query(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.customerPk(customerId)),
                            ":prefix", Attr.s(Keys.creditLotPrefix(currency))))
                    .exclusiveStartKey(start)
                    .build());
            for (var item : response.items()) {
                long remaining = Attr.num(item, "remaining");
                String expiresAt = Attr.str(item, "expiresAt");
                if (remaining > 0 && (expiresAt == null || java.time.Instant.parse(expiresAt).isAfter(now))) {
                    lots.add(new CreditLot(Attr.str(item, "entryId"), currency, remaining, Attr.str(item, "expiresAt")));
                }
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return lots;
    }

    /** The newest {@code limit} ledger entries as stored (newest first). */
    public List<Map<String, AttributeValue>> recentLedger(String customerId, int limit) {
        return ddb.query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.customerPk(customerId)),
                        ":prefix", Attr.s(Keys.LEDGER_PREFIX)))
                .scanIndexForward(false)
                .limit(limit)
                .build()).items();
    }

    static Map<String, AttributeValue> encode(Customer c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, Attr.s(Keys.customerPk(c.customerId())));
        item.put(Keys.SK, Attr.s(Keys.CUSTOMER_PROFILE_SK));
        item.put("type", Attr.s("CUSTOMER"));
        item.put("customerId", Attr.s(c.customerId()));
        item.put("name", Attr.s(c.name()));
        item.put("email", Attr.s(c.email()));
        item.put("language", Attr.s(c.language()));
        item.put("timeZone", Attr.s(c.timeZone()));
        item.put("segment", Attr.s(c.segment()));
        item.put("remindersEnabled", Attr.bool(c.remindersEnabled()));
        item.put("autopay", Attr.bool(c.autopay()));
        item.put("tier", Attr.s(c.loyalty().tier()));
        item.put("points", Attr.n(c.loyalty().points()));
        Map<String, AttributeValue> credits = new HashMap<>();
        c.loyalty().credits().forEach((k, v) -> credits.put(k, Attr.n(v)));
        item.put("credits", AttributeValue.fromM(credits));
        item.put("onTimeStreak", Attr.n(c.loyalty().onTimeStreak()));
        item.put("paidInvoices", Attr.n(c.loyalty().paidInvoices()));
        item.put("createdAt", Attr.s(c.createdAt()));
        item.put("updatedAt", Attr.s(c.updatedAt()));
        return item;
    }

    /** A customer profile item as {@link #create} and the updates write it (for reads that fetch it themselves, e.g. in a batch). */
    public static Customer decode(Map<String, AttributeValue> item) {
        Map<String, Long> credits = new LinkedHashMap<>();
        AttributeValue m = item.get("credits");
        if (m != null && m.m() != null) {
            m.m().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> credits.put(e.getKey(), Long.parseLong(e.getValue().n())));
        }
        var loyalty = new Customer.Loyalty(Attr.str(item, "tier"), Attr.num(item, "points"), credits,
                (int) Attr.num(item, "onTimeStreak"), (int) Attr.num(item, "paidInvoices"));
        return new Customer(Attr.str(item, "customerId"), Attr.str(item, "name"), Attr.str(item, "email"),
                Attr.str(item, "language"), Attr.str(item, "timeZone"), Attr.str(item, "segment"),
                Attr.flag(item, "remindersEnabled", true), Attr.flag(item, "autopay", false), loyalty,
                Attr.str(item, "createdAt"), Attr.str(item, "updatedAt"));
    }
}
