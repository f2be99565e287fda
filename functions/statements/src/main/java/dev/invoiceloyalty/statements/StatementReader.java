package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.table.Keys;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every read the statements make, each through a key or an index (no Scan): see the access patterns in
 * {@code functions/statements/README.md}.
 */
public final class StatementReader {
    private final DynamoDbClient ddb;
    private final String table;

    public StatementReader(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    /**
     * Invoices of a currency that were receivable at some moment at or after {@code since}: GSI3 {@code AR#<cur>},
     * {@code gsi3sk > since} (open ones sort as {@code ~OPEN}). Every invoice issued, paid or refunded since then is
     * among them, because it was open when that happened. Cost: open invoices + those closed since {@code since}.
     */
    public List<Invoice> receivablesSince(String currency, Instant since) {
        List<Invoice> out = new ArrayList<>();
        for (var item : query(QueryRequest.builder().tableName(table).indexName(Keys.GSI3)
                .keyConditionExpression("gsi3pk = :pk AND gsi3sk > :since")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.receivablesGsi3Pk(currency)),
                        ":since", Attr.s(since.toString()))))) {
            out.add(invoice(item));
        }
        return out;
    }

    /** A customer's invoices issued on or before {@code lastIssueDate}: GSI1 {@code CUSTOMER#<id>#INVOICES}. */
    public List<Invoice> customerInvoices(String customerId, String lastIssueDate) {
        List<Invoice> out = new ArrayList<>();
        for (var item : query(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                .keyConditionExpression("gsi1pk = :pk AND gsi1sk < :to")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.customerInvoicesGsi1Pk(customerId)),
                        // '$' sorts after '#': every <lastIssueDate>#<invoiceId> is inside
                        ":to", Attr.s(lastIssueDate + "$"))))) {
            out.add(invoice(item));
        }
        return out;
    }

    /** An unapplied payment kept for reconciliation (SPEC §5). */
    public record UnappliedPayment(String provider, String paymentId, long amount, String currency, String invoiceId,
                                   String reason, String receivedAt) {
    }

    /** Unapplied payments received before {@code until}: GSI1 {@code UNAPPLIED} by time. */
    public List<UnappliedPayment> unappliedBefore(Instant until) {
        List<UnappliedPayment> out = new ArrayList<>();
        for (var item : query(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                .keyConditionExpression("gsi1pk = :pk AND gsi1sk < :until")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.UNAPPLIED_GSI1_PK),
                        ":until", Attr.s(until.toString()))))) {
            out.add(new UnappliedPayment(Attr.str(item, "provider"), Attr.str(item, "paymentId"),
                    Attr.num(item, "amount"), Attr.str(item, "currency"), Attr.str(item, "invoiceId"),
                    Attr.str(item, "reason"), Attr.str(item, "receivedAt")));
        }
        return out;
    }

    /** An open reward lot: points ({@code currency} null) or credit. */
    public record RewardLot(String customerId, String entryId, long remaining, String currency, String expiresAt) {
    }

    /**
     * Open reward lots that expire after {@code after}: the sparse GSI2 partition {@code REWARD_EXPIRY} (a lot
     * leaves it when spent or expired). Cost: the open lots. Overpayment credit never expires and is not listed
     * there; the customers' cached balances carry it.
     */
    public List<RewardLot> openLotsAfter(Instant after) {
        List<RewardLot> out = new ArrayList<>();
        for (var item : query(QueryRequest.builder().tableName(table).indexName(Keys.GSI2)
                .keyConditionExpression("gsi2pk = :pk AND gsi2sk > :t")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.REWARD_EXPIRY_GSI2_PK),
                        ":t", Attr.s(after.toString()))))) {
            long remaining = Attr.num(item, "remaining");
            if (remaining > 0) {
                out.add(new RewardLot(Attr.str(item, "customerId"), Attr.str(item, "entryId"), remaining,
                        Attr.str(item, "currency"), Attr.str(item, "expiresAt")));
            }
        }
        return out;
    }

    /** A reward ledger entry (append-only, in the customer's partition). */
    public record LedgerEntry(String customerId, String entryId, String entryType, String invoiceId, long points,
                              long amount, String currency, String createdAt) {
    }

    /** A customer's ledger entries created in [from, to): {@code LEDGER#<createdAt>} is a range of the partition. */
    public List<LedgerEntry> ledger(String customerId, Instant from, Instant to) {
        List<LedgerEntry> out = new ArrayList<>();
        for (var item : query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.customerPk(customerId)),
                        ":from", Attr.s(Keys.LEDGER_PREFIX + from),
                        ":to", Attr.s(Keys.LEDGER_PREFIX + to))))) {
            String createdAt = Attr.str(item, "createdAt");
            if (createdAt != null && Instant.parse(createdAt).isBefore(to)) {
                out.add(new LedgerEntry(customerId, Attr.str(item, "entryId"), Attr.str(item, "entryType"),
                        Attr.str(item, "invoiceId"), Attr.num(item, "points"), Attr.num(item, "amount"),
                        Attr.str(item, "currency"), createdAt));
            }
        }
        return out;
    }

    /** Customers with activity markers of a month: GSI1 {@code ACTIVITY#<yyyy-MM>} (empty when none are written). */
    public List<String> activeCustomers(String yearMonth) {
        List<String> out = new ArrayList<>();
        for (var item : query(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                .keyConditionExpression("gsi1pk = :pk")
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.activityGsi1Pk(yearMonth)))))) {
            out.add(Attr.str(item, Keys.GSI1_SK));
        }
        return out;
    }

    /** Customer profiles by id (BatchGetItem, 100 keys a call); unknown ids are absent from the map. */
    public Map<String, Customer> customers(Collection<String> customerIds) {
        Map<String, Customer> out = new LinkedHashMap<>();
        List<String> ids = customerIds.stream().distinct().toList();
        for (int i = 0; i < ids.size(); i += 100) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String id : ids.subList(i, Math.min(ids.size(), i + 100))) {
                keys.add(Attr.key(Keys.customerPk(id), Keys.CUSTOMER_PROFILE_SK));
            }
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).build());
            while (request != null && !request.isEmpty()) {
                final Map<String, KeysAndAttributes> r = request;
                var response = ddb.batchGetItem(b -> b.requestItems(r));
                for (var item : response.responses().getOrDefault(table, List.of())) {
                    Customer c = DynamoDbCustomerStore.decode(item);
                    out.put(c.customerId(), c);
                }
                request = response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty()
                        ? response.unprocessedKeys() : null;
            }
        }
        return out;
    }

    /** Invoices are stored whole as JSON in {@code doc} (shared-model README, "Why a document attribute"). */
    private static Invoice invoice(Map<String, AttributeValue> item) {
        return Json.read(Attr.str(item, "doc"), Invoice.class);
    }

    private List<Map<String, AttributeValue>> query(QueryRequest.Builder request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var response = ddb.query(request.exclusiveStartKey(start).build());
            items.addAll(response.items());
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }
}
