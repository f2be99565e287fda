package dev.invoiceloyalty.adapters;

import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reward ledger on the one table (see {@link Keys}): append-only ledger entries, points and credit lots that
 * expire, the natural-key guards {@code REWARD#<invoiceId>#<rule>} that make every reward happen once, and the
 * customer's cached balances, all changed in one transaction per fact.
 */
public final class DynamoDbRewardStore {
    private final DynamoDbClient ddb;
    private final String table;

    public DynamoDbRewardStore(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    /** One open lot: points (currency null) or credit. {@code sk} is its sort key in the customer's partition. */
    public record Lot(String sk, String entryId, long remaining, String expiresAt, String currency) {
    }

    /** A reward already credited, as its guard recorded it, with what has been reversed of it so far. */
    /** {@code reversedBasis} is the refunded or disputed money already reversed against (minor units). */
    public record Guard(String rule, long points, long credit, String currency, String lotSk, long reversedPoints,
                        long reversedCredit, long reversedBasis) {
    }

    /** An append-only ledger entry. Negative points / amount take away. {@code expiresAt} may be null. */
    public record LedgerEntry(String entryId, String type, String rule, String invoiceId, long points, long amount,
                              String currency, String createdAt, String expiresAt, String configVersion) {
    }

    /** Rewards credited for an invoice, by rule (only the ones that exist). */
    public Map<String, Guard> guards(String invoiceId, List<String> rules) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String rule : rules) {
            keys.add(Attr.key(Keys.rewardGuardPk(invoiceId, rule), Keys.REWARD_GUARD_SK));
        }
        Map<String, Guard> out = new LinkedHashMap<>();
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        while (request != null && !request.isEmpty()) {
            final Map<String, KeysAndAttributes> r = request;
            var response = ddb.batchGetItem(b -> b.requestItems(r));
            for (var item : response.responses().getOrDefault(table, List.of())) {
                out.put(Attr.str(item, "rule"), new Guard(Attr.str(item, "rule"), Attr.num(item, "points"),
                        Attr.num(item, "credit"), Attr.str(item, "currency"), Attr.str(item, "lotSk"),
                        Attr.num(item, "reversedPoints"), Attr.num(item, "reversedCredit"), Attr.num(item, "reversedBasis")));
            }
            request = response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty() ? response.unprocessedKeys() : null;
        }
        return out;
    }

    /**
     * Paid invoices of a customer with {@code from <= paidAt <= to}, other than {@code excludeInvoiceId} (the one
     * being evaluated): {count, onTimeCount}. Another invoice paid in the same second counts.
     */
    public int[] paidWindow(String customerId, String fromInstant, String toInstant, String excludeInvoiceId) {
        int paid = 0;
        int onTime = 0;
        Map<String, AttributeValue> start = null;
        do {
            var response = ddb.query(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.customerPk(customerId)),
                            ":from", Attr.s(Keys.PAID_RECORD_PREFIX + fromInstant),
                            // '$' sorts after '#': every PAID#<to>#<invoiceId> is inside the range
                            ":to", Attr.s(Keys.PAID_RECORD_PREFIX + toInstant + "$")))
                    .projectionExpression("onTime, invoiceId")
                    .exclusiveStartKey(start).build());
            for (var item : response.items()) {
                if (excludeInvoiceId.equals(Attr.str(item, "invoiceId"))) {
                    continue;
                }
                paid++;
                if (Attr.flag(item, "onTime", false)) {
                    onTime++;
                }
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return new int[]{paid, onTime};
    }

    /** Open points lots of a customer, oldest-expiring first. */
    public List<Lot> pointsLots(String customerId) {
        List<Lot> lots = new ArrayList<>();
        for (var item : queryPrefix(Keys.customerPk(customerId), Keys.POINTS_LOT_PREFIX)) {
            if (Attr.num(item, "remaining") > 0) {
                lots.add(new Lot(Attr.str(item, Keys.SK), Attr.str(item, "entryId"), Attr.num(item, "remaining"),
                        Attr.str(item, "expiresAt"), null));
            }
        }
        return lots;
    }

    /** One lot by its sort key, or null. */
    public Lot lot(String customerId, String sk) {
        var item = ddb.getItem(b -> b.tableName(table).consistentRead(true).key(Attr.key(Keys.customerPk(customerId), sk))).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        return new Lot(sk, Attr.str(item, "entryId"), Attr.num(item, "remaining"), Attr.str(item, "expiresAt"),
                Attr.str(item, "currency"));
    }

    /** Lots whose expiry is at or before {@code instant}, one page of the sparse GSI2 at a time. */
    public record ExpiringPage(List<Map<String, AttributeValue>> lots, Map<String, AttributeValue> next) {
    }

    public ExpiringPage expiring(String instant, Map<String, AttributeValue> start) {
        var response = ddb.query(QueryRequest.builder().tableName(table).indexName(Keys.GSI2)
                .keyConditionExpression("gsi2pk = :pk AND gsi2sk <= :t")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.REWARD_EXPIRY_GSI2_PK), ":t", Attr.s(instant + "~")))
                .exclusiveStartKey(start).build());
        return new ExpiringPage(response.items(), response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey() : null);
    }

    private List<Map<String, AttributeValue>> queryPrefix(String pk, String prefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var response = ddb.query(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(pk), ":p", Attr.s(prefix)))
                    .exclusiveStartKey(start).build());
            items.addAll(response.items());
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }



    public Commit commit(String markerPk, List<OutboxMessage> messages, Instant now, long ttlSeconds) {
        return new Commit(markerPk, messages, now, ttlSeconds);
    }

    /** A fact whose marker is a whole item of its own (an idempotency record), not a {@code REWARD} marker. */
    public Commit commit(Map<String, AttributeValue> markerItem, Instant now) {
        return new Commit(markerItem, now);
    }

    /**
     * One fact's transaction. The first item is its marker ({@code attribute_not_exists}: the fact is processed
     * once; a redelivery gets the marker back with the messages to re-send).
     */
    public final class Commit {
        private final List<TransactWriteItem> writes = new ArrayList<>();
        private final String now;

        private Commit(String markerPk, List<OutboxMessage> messages, Instant now, long ttlSeconds) {
            this.now = now.toString();
            Map<String, AttributeValue> marker = new HashMap<>(Attr.key(markerPk, Keys.REWARD_GUARD_SK));
            marker.put("type", Attr.s("REWARD_FACT"));
            marker.put("processedAt", Attr.s(this.now));
            if (ttlSeconds > 0) {
                marker.put(Keys.TTL, Attr.n(now.getEpochSecond() + ttlSeconds));
            }
            writes.add(FactTransaction.marker(table, marker, messages));
        }

        private Commit(Map<String, AttributeValue> markerItem, Instant now) {
            this.now = now.toString();
            writes.add(FactTransaction.marker(table, markerItem, List.of()));
        }

        public int size() {
            return writes.size();
        }

        /** The natural-key guard of one reward. Guard: {@code attribute_not_exists(pk)} — credited once, ever. */
        public Commit guard(String invoiceId, String customerId, String rule, long points, long credit, String currency,
                            String lotSk) {
            Map<String, AttributeValue> item = new HashMap<>(Attr.key(Keys.rewardGuardPk(invoiceId, rule), Keys.REWARD_GUARD_SK));
            item.put("type", Attr.s("REWARD"));
            item.put("rule", Attr.s(rule));
            item.put("customerId", Attr.s(customerId));
            item.put("invoiceId", Attr.s(invoiceId));
            item.put("points", Attr.n(points));
            item.put("credit", Attr.n(credit));
            item.put("currency", Attr.s(currency));
            item.put("lotSk", Attr.s(lotSk));
            item.put("reversedPoints", Attr.n(0));
            item.put("reversedCredit", Attr.n(0));
            item.put("createdAt", Attr.s(now));
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build()).build());
            return this;
        }

        /** Records more reversal on a guard. Guard: the reversed totals are what was read. */
        public Commit guardReversed(String invoiceId, Guard g, long addPoints, long addCredit, long addBasis) {
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                    .key(Attr.key(Keys.rewardGuardPk(invoiceId, g.rule()), Keys.REWARD_GUARD_SK))
                    .updateExpression("SET reversedPoints = :rp, reversedCredit = :rc, reversedBasis = :rb")
                    .conditionExpression("reversedPoints = :rp0 AND reversedCredit = :rc0")
                    .expressionAttributeValues(Map.of(":rp", Attr.n(g.reversedPoints() + addPoints),
                            ":rc", Attr.n(g.reversedCredit() + addCredit), ":rp0", Attr.n(g.reversedPoints()),
                            ":rc0", Attr.n(g.reversedCredit()), ":rb", Attr.n(g.reversedBasis() + addBasis)))
                    .build()).build());
            return this;
        }

        /** Appends a ledger entry. Guard: {@code attribute_not_exists(pk)} on its deterministic key. */
        public Commit ledger(String customerId, LedgerEntry e) {
            writes.add(LedgerItems.entry(table, customerId, e));
            return this;
        }

        /** A new lot, listed in the sparse expiry index while it has something left. */
        public Commit newLot(String customerId, String sk, String entryId, long amount, String currency, String expiresAt) {
            writes.add(LedgerItems.lot(table, customerId, sk, entryId, amount, currency, expiresAt, true));
            return this;
        }

        /**
         * Sets what is left of a lot. Guard: {@code remaining = :before} (never spent twice, never overdrawn). An
         * emptied lot leaves the expiry index.
         */
        public Commit lotRemaining(String customerId, String sk, long before, long after) {
            Update.Builder u = Update.builder().tableName(table).key(Attr.key(Keys.customerPk(customerId), sk))
                    .conditionExpression("remaining = :before")
                    .expressionAttributeValues(Map.of(":before", Attr.n(before), ":after", Attr.n(after)));
            u.updateExpression(after == 0 ? "SET remaining = :after REMOVE gsi2pk, gsi2sk" : "SET remaining = :after");
            writes.add(TransactWriteItem.builder().update(u.build()).build());
            return this;
        }

        /**
         * The customer's cached balances and standing. Guard: {@code version = :expected}, so concurrent facts of one
         * customer apply one after the other and no update is lost.
         */
        public Commit customer(String customerId, long expectedVersion, long pointsDelta, Map<String, Long> creditDeltas,
                               Map<String, AttributeValue> set) {
            StringBuilder expr = new StringBuilder("SET #version = #version + :one, points = if_not_exists(points, :zero) + :dp");
            Map<String, String> names = new HashMap<>(Map.of("#version", "version"));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", Attr.n(1), ":zero", Attr.n(0),
                    ":dp", Attr.n(pointsDelta), ":expected", Attr.n(expectedVersion)));
            int i = 0;
            for (var e : creditDeltas.entrySet()) {
                expr.append(", credits.#c").append(i).append(" = if_not_exists(credits.#c").append(i)
                        .append(", :zero) + :dc").append(i);
                names.put("#c" + i, e.getKey());
                values.put(":dc" + i, Attr.n(e.getValue()));
                i++;
            }
            int j = 0;
            for (var e : set.entrySet()) {
                expr.append(", #s").append(j).append(" = :s").append(j);
                names.put("#s" + j, e.getKey());
                values.put(":s" + j, e.getValue());
                j++;
            }
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                    .key(Attr.key(Keys.customerPk(customerId), Keys.CUSTOMER_PROFILE_SK))
                    .updateExpression(expr.toString())
                    .conditionExpression("#version = :expected")
                    .expressionAttributeNames(names).expressionAttributeValues(values).build()).build());
            return this;
        }

        /** The paid-invoice record of the tier window. Guard: {@code attribute_not_exists(pk)}. */
        public Commit paidRecord(String customerId, String paidAt, String invoiceId, boolean onTime) {
            Map<String, AttributeValue> item = new HashMap<>(Attr.key(Keys.customerPk(customerId),
                    Keys.paidRecordSk(paidAt, invoiceId)));
            item.put("type", Attr.s("PAID_INVOICE"));
            item.put("invoiceId", Attr.s(invoiceId));
            item.put("onTime", Attr.bool(onTime));
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build()).build());
            return this;
        }

        /** Runs the transaction (≤ 100 items); {@link AlreadyProcessed} when the marker exists, else {@link WriteConflict}. */
        public void run() {
            var outcome = FactTransaction.run(ddb, table, writes);
            if (outcome.duplicate()) {
                throw new AlreadyProcessed(outcome.storedMessages());
            }
            if (!outcome.committed()) {
                throw new WriteConflict(outcome.reasons());
            }
        }
    }
}
