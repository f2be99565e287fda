package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.Versioned;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sweep's view of the one table (shared-model/README.md, access patterns 4, 12, 13 and 19):
 * <ul>
 *   <li>due invoices: Query GSI2 {@code gsi2pk = REMINDER_DUE AND gsi2sk <= <T>~}, one 1 MB page at a time. The index
 *       is sparse (an invoice is in it only while a step lies ahead, keyed by the instant that step falls due, see
 *       {@code DynamoDbInvoiceStore.encode}), so the sweep reads due invoices only, never the table;</li>
 *   <li>pending outbox messages: Query GSI2 {@code gsi2pk = OUTBOX AND gsi2sk <= <T>~} ({@code gsi2sk} is
 *       {@code <createdAt>#<pk>#<messageId>});</li>
 *   <li>one invoice: consistent GetItem (through {@link DynamoDbInvoiceStore#find});</li>
 *   <li>a step: one transaction of the reminder-log item, the invoice and the step's outbox messages.</li>
 * </ul>
 */
final class DynamoDbReminderStore {
    private final DynamoDbClient ddb;
    private final String table;
    private final DynamoDbInvoiceStore invoices;
    /** Items per page; 0 lets DynamoDB fill 1 MB pages (production). Tests set a small one to cross pages. */
    private final int pageLimit;

    DynamoDbReminderStore(DynamoDbClient ddb, String table, int pageLimit) {
        this.ddb = ddb;
        this.table = table;
        this.invoices = new DynamoDbInvoiceStore(ddb, table);
        this.pageLimit = pageLimit;
    }

    DynamoDbClient client() {
        return ddb;
    }

    String table() {
        return table;
    }

    /** One page of a GSI2 partition; {@code next} is null after the last page. */
    record Page<T>(List<T> items, Map<String, AttributeValue> next) {
    }

    /**
     * The bound that takes every key of an instant up to {@code t}: keys are {@code <instant>#…} and {@code ~} sorts
     * after {@code #}. Instants are compared as ISO strings, so {@code t} is cut to whole seconds, the form of the
     * keys the sweep waits on (local midnights).
     */
    static String upTo(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS) + "~";
    }

    /** Ids of the invoices whose next step falls due at or before {@code t}, earliest first. */
    Page<String> dueInvoices(Instant t, Map<String, AttributeValue> start) {
        // Only the id comes back (the consistent re-read below is what decisions rest on). A projection does not
        // lower the read cost, which DynamoDB charges on the items' size, but it keeps 1 MB pages off the wire.
        QueryResponse r = queryGsi2(Keys.REMINDER_DUE_GSI2_PK, t, start, "invoiceId");
        List<String> ids = new ArrayList<>();
        r.items().forEach(item -> ids.add(Attr.str(item, "invoiceId")));
        return new Page<>(ids, next(r));
    }

    /** Outbox messages committed at or before {@code t} by anyone (an earlier sweep, the invoice API...). */
    Page<PendingMessage> pendingOutbox(Instant t, Map<String, AttributeValue> start) {
        QueryResponse r = queryGsi2(Keys.OUTBOX_GSI2_PK, t, start, null);
        List<PendingMessage> messages = new ArrayList<>();
        for (var item : r.items()) {
            messages.add(new PendingMessage(Attr.str(item, Keys.PK), new OutboxMessage(Attr.str(item, "messageId"),
                    OutboxMessage.Kind.valueOf(Attr.str(item, "kind")), Attr.str(item, "detailType"),
                    Attr.str(item, "body"))));
        }
        return new Page<>(messages, next(r));
    }

    /** What an earlier attempt committed in the invoice's partition and did not send. */
    List<PendingMessage> pendingOf(String invoiceId) {
        String pk = Keys.invoicePk(invoiceId);
        return OutboxItems.pending(ddb, table, pk).stream().map(m -> new PendingMessage(pk, m)).toList();
    }

    private QueryResponse queryGsi2(String partition, Instant t, Map<String, AttributeValue> start, String projection) {
        var request = QueryRequest.builder().tableName(table).indexName(Keys.GSI2)
                .keyConditionExpression("#pk = :pk AND #sk <= :upTo")
                .expressionAttributeNames(projection == null ? Map.of("#pk", Keys.GSI2_PK, "#sk", Keys.GSI2_SK)
                        : Map.of("#pk", Keys.GSI2_PK, "#sk", Keys.GSI2_SK, "#p", projection))
                .expressionAttributeValues(Map.of(":pk", Attr.s(partition), ":upTo", Attr.s(upTo(t))))
                .exclusiveStartKey(start);
        if (projection != null) {
            request.projectionExpression("#p");
        }
        if (pageLimit > 0) {
            request.limit(pageLimit);
        }
        return ddb.query(request.build());
    }

    private static Map<String, AttributeValue> next(QueryResponse r) {
        return r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    }

    /** The invoice, strongly consistent, with the version its change must expect; null when it does not exist. */
    Versioned<Invoice> invoice(String invoiceId) {
        return invoices.find(invoiceId);
    }

    /** The reminder-log item of one step: why it was recorded and, when sent, its email. */
    record StepLog(String step, boolean skipped, String reason, String emailId) {
        static StepLog sent(String step, String emailId) {
            return new StepLog(step, false, null, emailId);
        }

        static StepLog skipped(String step, String reason) {
            return new StepLog(step, true, reason, null);
        }
    }

    /** The step's transaction was cancelled: the invoice changed since it was read, or the step is logged already. */
    static final class StepConflict extends RuntimeException {
        StepConflict(String what) {
            super(what, null, false, false);
        }
    }

    /**
     * Records a step in one transaction (at most 7 items: log, invoice, up to 5 messages; DynamoDB allows 100,
     * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html):
     * <ol>
     *   <li>the reminder log {@code INVOICE#<id>} / {@code REMINDER#<step>}, guard {@code attribute_not_exists(pk)}:
     *       each step at most once per invoice, whatever runs concurrently or again;</li>
     *   <li>the invoice with the step appended (and its escalation), guard {@code version = :expected}: a payment,
     *       void or dispute that landed after the read cancels the step, and the sweep decides again on a fresh
     *       read. Its GSI2 key moves to the next step's instant (or leaves the index) in the same write;</li>
     *   <li>the step's outbox messages (emails, events), guard {@code attribute_not_exists(pk)}: committed with the
     *       step, so a sweep that dies after the commit loses none of them; the next run's flush sends them.</li>
     * </ol>
     * The request token makes an SDK retry of a transaction that did commit succeed instead of failing on its own
     * guard (DynamoDB keeps tokens 10 minutes).
     *
     * @throws StepConflict when a guard fails or a concurrent transaction touched the same items
     */
    void recordStep(Invoice updated, long expectedVersion, StepLog log, List<OutboxMessage> outbox, String at) {
        String pk = Keys.invoicePk(updated.invoiceId());
        List<TransactWriteItem> writes = new ArrayList<>();

        Map<String, AttributeValue> logItem = new HashMap<>();
        logItem.put(Keys.PK, Attr.s(pk));
        logItem.put(Keys.SK, Attr.s(Keys.reminderSk(log.step())));
        logItem.put("type", Attr.s("REMINDER"));
        logItem.put("invoiceId", Attr.s(updated.invoiceId()));
        logItem.put("customerId", Attr.s(updated.customerId()));
        logItem.put("step", Attr.s(log.step()));
        logItem.put("at", Attr.s(at));
        logItem.put("skipped", Attr.bool(log.skipped()));
        if (log.reason() != null) {
            logItem.put("reason", Attr.s(log.reason()));
        }
        if (log.emailId() != null) {
            logItem.put("emailId", Attr.s(log.emailId()));
        }
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(logItem)
                .conditionExpression("attribute_not_exists(pk)").build()).build());

        Map<String, AttributeValue> invoiceItem = DynamoDbInvoiceStore.encode(updated);
        invoiceItem.put("version", Attr.n(expectedVersion + 1));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(invoiceItem)
                .conditionExpression("version = :expected")
                .expressionAttributeValues(Map.of(":expected", Attr.n(expectedVersion))).build()).build());

        for (OutboxMessage m : outbox) {
            writes.add(OutboxItems.put(table, pk, m, at));
        }
        // Same token only for the same write: a retry of this call. Another decision on the same version (a step
        // skipped rather than sent, another business time) gets its own token.
        String token = UUID.nameUUIDFromBytes((table + "|" + pk + "|" + log.step() + "|" + expectedVersion + "|" + log.skipped()
                + "|" + at).getBytes(StandardCharsets.UTF_8)).toString();
        try {
            ddb.transactWriteItems(b -> b.transactItems(writes).clientRequestToken(token));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            String what = !reasons.isEmpty() && "ConditionalCheckFailed".equals(reasons.get(0).code()) ? "step logged"
                    : reasons.size() > 1 && "ConditionalCheckFailed".equals(reasons.get(1).code()) ? "invoice version"
                    : "transaction conflict";
            throw new StepConflict(what);
        }
    }
}
