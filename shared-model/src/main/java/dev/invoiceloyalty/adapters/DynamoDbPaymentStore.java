package dev.invoiceloyalty.adapters;

import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.payments.HeldRefund;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the payment webhook reads and writes. One event = at most one read round trip (BatchGetItem of the
 * provider payment's stub and the invoice), plus the customer when an invoice becomes paid, and one transaction
 * that holds the dedup record with the messages to send, so a retried delivery re-sends exactly those messages.
 */
public final class DynamoDbPaymentStore {
    /** Provider event ids are kept 30 days (SPEC asks at least 7); providers retry for up to 3 days. */
    public static final long DEDUP_TTL_SECONDS = 30L * 24 * 3600;

    private final DynamoDbClient ddb;
    private final String table;

    public DynamoDbPaymentStore(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    /**
     * The provider payment's stub as stored: {@code invoiceId} is set once the payment is recorded (or
     * {@code UNAPPLIED}); {@code held} are refunds that arrived before it.
     */
    public record PaymentStub(boolean exists, String invoiceId, List<HeldRefund> held) {
        public boolean recorded() {
            return invoiceId != null;
        }

        public boolean unapplied() {
            return UNAPPLIED.equals(invoiceId);
        }
    }

    public static final String UNAPPLIED = "UNAPPLIED";

    public record Loaded(PaymentStub stub, Versioned<Invoice> invoice) {
    }

    /** Reads the payment stub and the invoice ({@code invoiceId} if known, else the stub's) consistently. */
    public Loaded load(String provider, String paymentId, String invoiceId) {
        var stubKey = Attr.key(Keys.providerPaymentPk(provider, paymentId), Keys.PROVIDER_PAYMENT_SK);
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(stubKey);
        if (invoiceId != null) {
            keys.add(Attr.key(Keys.invoicePk(invoiceId), Keys.INVOICE_SK));
        }
        Map<String, Map<String, AttributeValue>> byPk = new HashMap<>();
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        while (request != null && !request.isEmpty()) {
            final Map<String, KeysAndAttributes> r = request;
            BatchGetItemResponse response = ddb.batchGetItem(b -> b.requestItems(r));
            for (var item : response.responses().getOrDefault(table, List.of())) {
                byPk.put(Attr.str(item, Keys.PK), item);
            }
            request = response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty() ? response.unprocessedKeys() : null;
        }
        var stubItem = byPk.get(Keys.providerPaymentPk(provider, paymentId));
        PaymentStub stub = stubItem == null ? new PaymentStub(false, null, List.of()) : decodeStub(stubItem);
        String wanted = invoiceId != null ? invoiceId : (stub.recorded() && !stub.unapplied() ? stub.invoiceId() : null);
        Versioned<Invoice> invoice = null;
        if (wanted != null) {
            var item = byPk.get(Keys.invoicePk(wanted));
            if (item == null && invoiceId == null) {
                item = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                        .key(Attr.key(Keys.invoicePk(wanted), Keys.INVOICE_SK))).item();
            }
            if (item != null && !item.isEmpty()) {
                invoice = new Versioned<>(DynamoDbInvoiceStore.decode(item), Attr.num(item, "version"));
            }
        }
        return new Loaded(stub, invoice);
    }

    private static PaymentStub decodeStub(Map<String, AttributeValue> item) {
        List<HeldRefund> held = new ArrayList<>();
        AttributeValue list = item.get("heldRefunds");
        if (list != null && list.hasL()) {
            for (AttributeValue v : list.l()) {
                var m = v.m();
                held.add(new HeldRefund(Attr.str(m, "refundId"), Attr.num(m, "amount"), Attr.flag(m, "cumulative", false),
                        Attr.str(m, "occurredAt")));
            }
        }
        return new PaymentStub(true, Attr.str(item, "invoiceId"), held);
    }



    /** Builds the one transaction of a webhook event. */
    public final class Commit {
        private final List<TransactWriteItem> writes = new ArrayList<>();
        private final List<String> roles = new ArrayList<>();
        private final String now;

        private Commit(String provider, String eventId, String outcome, List<OutboxMessage> messages, Instant now) {
            this.now = now.toString();
            Map<String, AttributeValue> dedup = new HashMap<>(Attr.key(Keys.webhookEventPk(provider, eventId),
                    Keys.WEBHOOK_EVENT_SK));
            dedup.put("type", Attr.s("WEBHOOK_EVENT"));
            dedup.put("outcome", Attr.s(outcome));
            dedup.put("receivedAt", Attr.s(this.now));
            dedup.put(Keys.TTL, Attr.n(now.getEpochSecond() + DEDUP_TTL_SECONDS));
            // Guard: attribute_not_exists(pk) — one provider event id is processed once; a redelivery gets the item back.
            add("DEDUP", FactTransaction.marker(table, dedup, messages));
        }

        private Commit add(String role, TransactWriteItem write) {
            writes.add(write);
            roles.add(role);
            return this;
        }

        /** Guard: {@code version = :expected} — two payments on one invoice at once both count, in turn. */
        public Commit invoice(Invoice invoice, long expectedVersion) {
            Map<String, AttributeValue> item = DynamoDbInvoiceStore.encode(invoice);
            item.put("version", Attr.n(expectedVersion + 1));
            return add("INVOICE", TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                    .conditionExpression("version = :expected")
                    .expressionAttributeValues(Map.of(":expected", Attr.n(expectedVersion))).build()).build());
        }

        /**
         * Records the provider payment (its invoice, or UNAPPLIED). Guard: not recorded before, and no refund was
         * held for it since we read it ({@code heldCount} unchanged), so a held refund is never lost.
         */
        public Commit paymentRecorded(String provider, String paymentId, String invoiceId, long amount, String currency,
                                      int heldCountRead) {
            Map<String, AttributeValue> item = new HashMap<>(Attr.key(Keys.providerPaymentPk(provider, paymentId),
                    Keys.PROVIDER_PAYMENT_SK));
            item.put("type", Attr.s("PROVIDER_PAYMENT"));
            item.put("invoiceId", Attr.s(invoiceId));
            item.put("amount", Attr.n(amount));
            item.put("currency", Attr.s(currency));
            item.put("recordedAt", Attr.s(now));
            item.put("heldCount", Attr.n(heldCountRead));
            Put.Builder put = Put.builder().tableName(table).item(item);
            if (heldCountRead == 0) {
                put.conditionExpression("attribute_not_exists(pk)");
            } else {
                put.conditionExpression("attribute_not_exists(invoiceId) AND heldCount = :held")
                        .expressionAttributeValues(Map.of(":held", Attr.n(heldCountRead)));
            }
            return add("STUB", TransactWriteItem.builder().put(put.build()).build());
        }

        /** Holds a refund whose payment has not arrived. Guard: the payment is still unrecorded. */
        public Commit holdRefund(String provider, String paymentId, HeldRefund refund) {
            Map<String, AttributeValue> r = new HashMap<>();
            r.put("refundId", Attr.s(refund.refundId()));
            r.put("amount", Attr.n(refund.amount()));
            r.put("cumulative", Attr.bool(refund.cumulative()));
            r.put("occurredAt", Attr.s(refund.occurredAt()));
            return add("STUB", TransactWriteItem.builder().update(Update.builder().tableName(table)
                    .key(Attr.key(Keys.providerPaymentPk(provider, paymentId), Keys.PROVIDER_PAYMENT_SK))
                    .updateExpression("SET heldRefunds = list_append(if_not_exists(heldRefunds, :empty), :r), "
                            + "heldCount = if_not_exists(heldCount, :zero) + :one, #type = :type")
                    .conditionExpression("attribute_not_exists(invoiceId)")
                    .expressionAttributeNames(Map.of("#type", "type"))
                    .expressionAttributeValues(Map.of(":empty", AttributeValue.fromL(List.of()),
                            ":r", AttributeValue.fromL(List.of(AttributeValue.fromM(r))), ":zero", Attr.n(0),
                            ":one", Attr.n(1), ":type", Attr.s("PROVIDER_PAYMENT")))
                    .build()).build());
        }

        /** A payment kept for reconciliation. Guard: {@code attribute_not_exists(pk)}. */
        public Commit unapplied(String provider, String paymentId, long amount, String currency, String invoiceId,
                                String reason, String receivedAt) {
            Map<String, AttributeValue> item = new HashMap<>(Attr.key(Keys.unappliedPaymentPk(provider, paymentId),
                    Keys.UNAPPLIED_SK));
            item.put("type", Attr.s("UNAPPLIED_PAYMENT"));
            item.put("provider", Attr.s(provider));
            item.put("paymentId", Attr.s(paymentId));
            item.put("amount", Attr.n(amount));
            item.put("currency", Attr.s(currency));
            item.put("invoiceId", Attr.s(invoiceId));
            item.put("reason", Attr.s(reason));
            item.put("receivedAt", Attr.s(receivedAt));
            item.put(Keys.GSI1_PK, Attr.s(Keys.UNAPPLIED_GSI1_PK));
            item.put(Keys.GSI1_SK, Attr.s(receivedAt + "#" + provider + "#" + paymentId));
            return add("UNAPPLIED", TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk)").build()).build());
        }

        /**
         * Overpayment becomes customer credit: a credit lot (spent oldest-expiring first by the next invoices; it
         * is the customer's money, so it does not expire), its ledger entry, and the cached balance, together.
         */
        public Commit overpaymentCredit(String customerId, String invoiceId, String paymentId, long amount, String currency) {
            String entryId = "overpayment#" + invoiceId + "#" + paymentId;
            String neverExpires = "9999-12-31T00:00:00Z";
            String pk = Keys.customerPk(customerId);
            add("CREDIT_LOT", LedgerItems.lot(table, customerId, Keys.creditLotSk(currency, neverExpires, entryId), entryId,
                    amount, currency, neverExpires, false));
            add("LEDGER", LedgerItems.entry(table, customerId, new DynamoDbRewardStore.LedgerEntry(entryId,
                    "OVERPAYMENT_CREDIT", "overpayment", invoiceId, 0, amount, currency, now, null, null)));
            return add("CUSTOMER", TransactWriteItem.builder().update(Update.builder().tableName(table)
                    .key(Attr.key(pk, Keys.CUSTOMER_PROFILE_SK))
                    .conditionExpression("attribute_exists(pk)")
                    .updateExpression("SET credits.#cur = if_not_exists(credits.#cur, :zero) + :amount")
                    .expressionAttributeNames(Map.of("#cur", currency))
                    .expressionAttributeValues(Map.of(":zero", Attr.n(0), ":amount", Attr.n(amount)))
                    .build()).build());
        }

        /** Runs the transaction; throws {@link AlreadyProcessed} when the event was processed before, else {@link WriteConflict}. */
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

    public Commit commit(String provider, String eventId, String outcome, List<OutboxMessage> messages, Instant now) {
        return new Commit(provider, eventId, outcome, messages, now);
    }

}
