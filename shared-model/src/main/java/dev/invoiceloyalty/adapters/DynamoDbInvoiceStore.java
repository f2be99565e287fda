package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.domain.AppliedCredit;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.domain.ProblemException;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Invoices on the one table: the invoice document at {@code INVOICE#<id>} / {@code INVOICE}, with the attributes
 * its indexes and conditions need lifted out of the document ({@code status}, {@code version}, GSI keys).
 * Every write is conditional; the comment at each names its guard.
 */
public final class DynamoDbInvoiceStore {
    private final DynamoDbClient ddb;
    private final String table;

    public DynamoDbInvoiceStore(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    public DynamoDbClient client() {
        return ddb;
    }

    public String table() {
        return table;
    }

    // --- reads -----------------------------------------------------------------------------------------------

    public Versioned<Invoice> find(String invoiceId) {
        var item = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Attr.key(Keys.invoicePk(invoiceId), Keys.INVOICE_SK))).item();
        return item == null || item.isEmpty() ? null : new Versioned<>(decode(item), Attr.num(item, "version"));
    }

    public IdempotencyRecord findIdempotency(String scope, String key) {
        var item = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Attr.key(Keys.idempotencyPk(scope, key), Keys.IDEMPOTENCY_SK))).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        return new IdempotencyRecord(scope, key, Attr.str(item, "requestHash"), (int) Attr.num(item, "status"),
                Attr.str(item, "responseBody"), Attr.str(item, "resourcePk"));
    }

    /** The last invoice number used in {@code year}, 0 before the first. */
    public long lastSequence(int year) {
        var item = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Attr.key(Keys.invoiceCounterPk(year), Keys.COUNTER_SK))).item();
        return item == null || item.isEmpty() ? 0 : Attr.num(item, "last");
    }

    public String existingInvoiceForReference(String customerId, String reference) {
        var item = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Attr.key(Keys.externalReferencePk(customerId, reference), Keys.EXTERNAL_REFERENCE_SK))).item();
        return item == null || item.isEmpty() ? null : Attr.str(item, "invoiceId");
    }

    /** One page of a customer's invoices, newest issue date first, optionally of one status. */
    public record Page(List<Invoice> invoices, String nextToken) {
    }

    public Page listByCustomer(String customerId, InvoiceStatus status, int limit, String nextToken) {
        var request = QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                .keyConditionExpression("gsi1pk = :pk")
                .scanIndexForward(false)
                .limit(limit)
                .exclusiveStartKey(decodeToken(nextToken, Keys.customerInvoicesGsi1Pk(customerId)));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", Attr.s(Keys.customerInvoicesGsi1Pk(customerId)));
        if (status != null) {
            request.filterExpression("#status = :status").expressionAttributeNames(Map.of("#status", "status"));
            values.put(":status", Attr.s(status.name()));
        }
        var response = ddb.query(request.expressionAttributeValues(values).build());
        List<Invoice> invoices = response.items().stream().map(DynamoDbInvoiceStore::decode).toList();
        String token = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? encodeToken(response.lastEvaluatedKey()) : null;
        return new Page(invoices, token);
    }

    // --- create ------------------------------------------------------------------------------------------------

    /** Everything one invoice creation writes, in one transaction. */
    public record NewInvoice(Invoice invoice, int year, long previousSequence, IdempotencyRecord idempotency,
                             List<AppliedCredit> credits, List<OutboxMessage> outbox, long idempotencyTtlEpoch) {
    }

    /** The idempotency key was taken by a concurrent request: re-read it and replay or refuse. */
    public static final class IdempotencyKeyTaken extends RuntimeException {
        IdempotencyKeyTaken() {
            super(null, null, false, false);
        }
    }

    /** Something read before the transaction moved (the number counter, a credit lot) or a transaction conflict. */
    public static final class Contention extends RuntimeException {
        Contention(String what) {
            super(what, null, false, false);
        }
    }

    private enum Role { COUNTER, INVOICE, IDEMPOTENCY, EXTERNAL_REFERENCE, CUSTOMER, CREDIT_LOT, LEDGER, OUTBOX }

    /**
     * Writes the invoice with everything that must happen exactly once with it. Guards:
     * the year's counter {@code last = :previous} (or absent for the first) — gap-free, unique numbers;
     * the invoice {@code attribute_not_exists(pk)}; the idempotency key {@code attribute_not_exists(pk)};
     * the external reference {@code attribute_not_exists(pk)} (duplicate → 409); the customer
     * {@code attribute_exists(pk)}; each spent credit lot {@code remaining = :before} (never overdrawn).
     * A transaction holds at most 100 items (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html);
     * this one holds 5 + 2 per applied credit lot + the outbox, and credits are capped accordingly by the caller.
     */
    public void create(NewInvoice n) {
        Invoice inv = n.invoice();
        String pk = Keys.invoicePk(inv.invoiceId());
        List<TransactWriteItem> writes = new ArrayList<>();
        List<Role> roles = new ArrayList<>();

        var counter = Update.builder().tableName(table)
                .key(Attr.key(Keys.invoiceCounterPk(n.year()), Keys.COUNTER_SK))
                .updateExpression("SET #last = :next");
        if (n.previousSequence() == 0) {
            counter.conditionExpression("attribute_not_exists(pk)")
                    .expressionAttributeNames(Map.of("#last", "last"))
                    .expressionAttributeValues(Map.of(":next", Attr.n(1)));
        } else {
            counter.conditionExpression("#last = :previous")
                    .expressionAttributeNames(Map.of("#last", "last"))
                    .expressionAttributeValues(Map.of(":next", Attr.n(n.previousSequence() + 1),
                            ":previous", Attr.n(n.previousSequence())));
        }
        writes.add(TransactWriteItem.builder().update(counter.build()).build());
        roles.add(Role.COUNTER);

        Map<String, AttributeValue> item = encode(inv);
        item.put("version", Attr.n(1));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        roles.add(Role.INVOICE);

        IdempotencyRecord idem = n.idempotency();
        Map<String, AttributeValue> idemItem = new HashMap<>(Attr.key(Keys.idempotencyPk(idem.scope(), idem.key()),
                Keys.IDEMPOTENCY_SK));
        idemItem.put("type", Attr.s("IDEMPOTENCY"));
        idemItem.put("requestHash", Attr.s(idem.requestHash()));
        idemItem.put("status", Attr.n(idem.status()));
        idemItem.put("responseBody", Attr.s(idem.responseBody()));
        idemItem.put("resourcePk", Attr.s(pk));
        idemItem.put(Keys.TTL, Attr.n(n.idempotencyTtlEpoch()));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(idemItem)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        roles.add(Role.IDEMPOTENCY);

        if (inv.externalReference() != null) {
            Map<String, AttributeValue> ref = new HashMap<>(Attr.key(
                    Keys.externalReferencePk(inv.customerId(), inv.externalReference()), Keys.EXTERNAL_REFERENCE_SK));
            ref.put("type", Attr.s("EXTERNAL_REFERENCE"));
            ref.put("invoiceId", Attr.s(inv.invoiceId()));
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(ref)
                    .conditionExpression("attribute_not_exists(pk)").build()).build());
            roles.add(Role.EXTERNAL_REFERENCE);
        }

        var customerKey = Attr.key(Keys.customerPk(inv.customerId()), Keys.CUSTOMER_PROFILE_SK);
        long spent = n.credits().stream().mapToLong(AppliedCredit::amount).sum();
        if (spent == 0) {
            writes.add(TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                    .key(customerKey).conditionExpression("attribute_exists(pk)").build()).build());
        } else {
            // The cached balance moves in the same transaction as the lots it summarises.
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(customerKey)
                    .conditionExpression("attribute_exists(pk)")
                    .updateExpression("SET credits.#cur = if_not_exists(credits.#cur, :zero) - :spent")
                    .expressionAttributeNames(Map.of("#cur", inv.currency()))
                    .expressionAttributeValues(Map.of(":zero", Attr.n(0), ":spent", Attr.n(spent)))
                    .build()).build());
        }
        roles.add(Role.CUSTOMER);

        for (AppliedCredit c : n.credits()) {
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                    .key(Attr.key(Keys.customerPk(inv.customerId()),
                            Keys.creditLotSk(inv.currency(), c.lot().expiresAt(), c.lot().entryId())))
                    // An emptied lot leaves the sparse expiry index, as every spend of a lot does.
                    .updateExpression(c.lot().remaining() == c.amount()
                            ? "SET remaining = :after REMOVE gsi2pk, gsi2sk" : "SET remaining = :after")
                    .conditionExpression("remaining = :before")
                    .expressionAttributeValues(Map.of(":after", Attr.n(c.lot().remaining() - c.amount()),
                            ":before", Attr.n(c.lot().remaining())))
                    .build()).build());
            roles.add(Role.CREDIT_LOT);
            String entryId = "credit-applied#" + inv.invoiceId() + "#" + c.lot().entryId();
            writes.add(LedgerItems.entry(table, inv.customerId(), new DynamoDbRewardStore.LedgerEntry(entryId,
                    "CREDIT_APPLIED", "credit-applied", inv.invoiceId(), 0, -c.amount(), inv.currency(),
                    inv.createdAt(), null, null)));
            roles.add(Role.LEDGER);
        }

        if (!n.outbox().isEmpty()) {
            writes.add(OutboxItems.put(table, pk, n.outbox(), inv.createdAt()));
            roles.add(Role.OUTBOX);
        }

        try {
            ddb.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            throw translate(e, roles);
        }
    }

    private static RuntimeException translate(TransactionCanceledException e, List<Role> roles) {
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        for (int i = 0; i < reasons.size() && i < roles.size(); i++) {
            if (!"ConditionalCheckFailed".equals(reasons.get(i).code())) {
                continue;
            }
            switch (roles.get(i)) {
                case IDEMPOTENCY:
                    return new IdempotencyKeyTaken();
                case EXTERNAL_REFERENCE:
                    return ProblemException.conflict("duplicate-external-reference",
                            "an invoice with this externalReference already exists for this customer");
                case CUSTOMER:
                    return ProblemException.unprocessable("unknown-customer", "the customer does not exist");
                default:
                    return new Contention(roles.get(i).name());
            }
        }
        // TransactionConflict (a concurrent transaction on the same items) and throttling: try again.
        return new Contention(reasons.isEmpty() ? e.getMessage() : reasons.toString());
    }

    // --- update ------------------------------------------------------------------------------------------------

    /** Replaces the invoice. Guard: {@code version = :expected}, so a concurrent change is never overwritten. */
    public void update(Invoice invoice, long expectedVersion, List<OutboxMessage> outbox) {
        String pk = Keys.invoicePk(invoice.invoiceId());
        Map<String, AttributeValue> item = encode(invoice);
        item.put("version", Attr.n(expectedVersion + 1));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                .conditionExpression("version = :expected")
                .expressionAttributeValues(Map.of(":expected", Attr.n(expectedVersion))).build()).build());
        if (!outbox.isEmpty()) {
            writes.add(OutboxItems.put(table, pk, outbox, invoice.updatedAt()));
        }
        try {
            ddb.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            throw new Contention("invoice version");
        }
    }

    // --- encoding ----------------------------------------------------------------------------------------------

    /**
     * The invoice item as stored: the document, its lifted attributes and its index keys (GSI2 {@code REMINDER_DUE}
     * included), without {@code version}, which the writer sets to what its condition expects plus one. Public for
     * writers that compose their own transaction around an invoice change (the reminder sweep adds the step's log
     * item), so every invoice write keeps the indexes true through this one method.
     */
    public static Map<String, AttributeValue> encode(Invoice inv) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, Attr.s(Keys.invoicePk(inv.invoiceId())));
        item.put(Keys.SK, Attr.s(Keys.INVOICE_SK));
        item.put("type", Attr.s("INVOICE"));
        item.put("doc", Attr.s(Json.write(inv)));
        item.put("invoiceId", Attr.s(inv.invoiceId()));
        item.put("number", Attr.s(inv.number()));
        item.put("customerId", Attr.s(inv.customerId()));
        item.put("status", Attr.s(inv.status().name()));
        item.put("currency", Attr.s(inv.currency()));
        item.put("issueDate", Attr.s(inv.issueDate()));
        item.put("dueDate", Attr.s(inv.dueDate()));
        item.put("total", Attr.n(inv.total()));
        item.put("amountDue", Attr.n(inv.amountDue()));
        item.put(Keys.GSI1_PK, Attr.s(Keys.customerInvoicesGsi1Pk(inv.customerId())));
        item.put(Keys.GSI1_SK, Attr.s(Keys.customerInvoicesGsi1Sk(inv.issueDate(), inv.invoiceId())));
        // The sweep's sparse index is maintained here, so every state change (creation, payment, void, dispute,
        // pause, step sent) keeps it true: an invoice is in it only while a reminder step lies ahead.
        var nextReminder = dev.invoiceloyalty.reminders.ReminderLadder.current().nextDue(inv);
        if (nextReminder != null) {
            item.put(Keys.GSI2_PK, Attr.s(Keys.REMINDER_DUE_GSI2_PK));
            item.put(Keys.GSI2_SK, Attr.s(nextReminder + "#" + inv.invoiceId()));
        }
        if (inv.status() != InvoiceStatus.VOID) {
            item.put(Keys.GSI3_PK, Attr.s(Keys.receivablesGsi3Pk(inv.currency())));
            item.put(Keys.GSI3_SK, Attr.s(Keys.receivablesGsi3Sk(inv.closedAt(), inv.invoiceId())));
        }
        return item;
    }

    static Invoice decode(Map<String, AttributeValue> item) {
        return Json.read(Attr.str(item, "doc"), Invoice.class);
    }

    private static String encodeToken(Map<String, AttributeValue> key) {
        Map<String, String> plain = new LinkedHashMap<>();
        key.forEach((k, v) -> plain.put(k, v.s()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(plain).getBytes(StandardCharsets.UTF_8));
    }

    /** A token is only valid for the listing that issued it (same GSI1 partition). */
    private static Map<String, AttributeValue> decodeToken(String token, String gsi1pk) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            String json = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            JsonNode tree = Json.tree(json);
            if (!tree.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            Map<String, String> plain = new LinkedHashMap<>();
            tree.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException("not a key attribute");
                }
                plain.put(e.getKey(), e.getValue().textValue());
            });
            Map<String, AttributeValue> key = new HashMap<>();
            plain.forEach((k, v) -> key.put(k, Attr.s(v)));
            if (!key.containsKey(Keys.PK) || !gsi1pk.equals(plain.get(Keys.GSI1_PK))) {
                throw new IllegalArgumentException("incomplete token");
            }
            return key;
        } catch (Exception e) {
            throw ProblemException.invalid("nextToken", "is not a token this API returned");
        }
    }

    /** Seconds since the epoch of {@code instant} plus {@code hours}: a TTL value. */
    public static long ttlAfter(Instant instant, long hours) {
        return instant.getEpochSecond() + hours * 3600;
    }
}
