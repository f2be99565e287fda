package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.Versioned;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The sweep's view of the one table (shared-model/README.md, access patterns 1, 4, 12 and 13):
 * <ul>
 *   <li>due invoices: Query GSI2 {@code gsi2pk = REMINDER_DUE AND gsi2sk <= <T>~}, one 1 MB page at a time. The index
 *       is sparse (an invoice is in it only while a step lies ahead, keyed by the instant that step falls due, see
 *       {@code DynamoDbInvoiceStore.encode}) and projects ALL attributes, so the sweep reads due invoices only, never
 *       the table, and each listed item already is the invoice with its {@code version};</li>
 *   <li>the customers of a page: BatchGetItem, consistent, {@value #MAX_BATCH_KEYS} keys a call;</li>
 *   <li>one invoice again after its step's transaction was cancelled: consistent GetItem;</li>
 *   <li>the steps decided on a page: one transaction per group of up to 33 steps ({@link #groups}), each step the
 *       reminder-log item, the invoice and one outbox item carrying the step's messages, which
 *       {@code OutboxRelayFunction} sends from the table's stream.</li>
 * </ul>
 */
final class DynamoDbReminderStore {
    /** BatchGetItem's limit of keys per call (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html). */
    static final int MAX_BATCH_KEYS = 100;
    /** Rounds of a BatchGetItem whose keys keep coming back unprocessed before the run gives up (and is retried). */
    static final int MAX_BATCH_ROUNDS = 8;

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

    String table() {
        return table;
    }

    /** One page of the index; {@code next} is null after the last page. */
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

    /**
     * The invoices whose next step falls due at or before {@code t}, earliest first, each with the version the step's
     * transaction will expect. The index is eventually consistent, so an item may lag a change by a moment (a
     * payment, a dispute); that change raised the version, so the step's {@code version = :expected} guard cancels
     * the transaction and the sweep decides again on a consistent read ({@link #invoice}). DynamoDB charges the
     * items' size whatever the projection, so reading them whole costs nothing more than their ids.
     */
    Page<Versioned<Invoice>> dueInvoices(Instant t, Map<String, AttributeValue> start) {
        var request = QueryRequest.builder().tableName(table).indexName(Keys.GSI2)
                .keyConditionExpression("#pk = :pk AND #sk <= :upTo")
                .expressionAttributeNames(Map.of("#pk", Keys.GSI2_PK, "#sk", Keys.GSI2_SK))
                .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.REMINDER_DUE_GSI2_PK), ":upTo", Attr.s(upTo(t))))
                .exclusiveStartKey(start);
        if (pageLimit > 0) {
            request.limit(pageLimit);
        }
        QueryResponse r = ddb.query(request.build());
        List<Versioned<Invoice>> due = new ArrayList<>(r.items().size());
        for (var item : r.items()) {
            due.add(new Versioned<>(Json.read(Attr.str(item, "doc"), Invoice.class), Attr.num(item, "version")));
        }
        Map<String, AttributeValue> next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()
                ? r.lastEvaluatedKey() : null;
        return new Page<>(due, next);
    }

    /** The invoice, strongly consistent, with the version its change must expect; null when it does not exist. */
    Versioned<Invoice> invoice(String invoiceId) {
        return invoices.find(invoiceId);
    }

    /**
     * The profiles of {@code customerIds} (distinct), strongly consistent so that a customer who just turned reminders
     * off is not reminded: BatchGetItem of up to {@value #MAX_BATCH_KEYS} keys a call. Keys DynamoDB answers as
     * unprocessed (throttling, the 16 MB answer limit) are asked for again after a pause that doubles each round, as
     * the API reference asks; after {@value #MAX_BATCH_ROUNDS} rounds the run fails and its retry starts over. An id
     * without a profile is absent from the answer.
     */
    Map<String, Customer> customers(Collection<String> customerIds) {
        Map<String, Customer> found = new LinkedHashMap<>();
        List<String> ids = customerIds.stream().distinct().toList();
        for (int i = 0; i < ids.size(); i += MAX_BATCH_KEYS) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String id : ids.subList(i, Math.min(ids.size(), i + MAX_BATCH_KEYS))) {
                keys.add(Attr.key(Keys.customerPk(id), Keys.CUSTOMER_PROFILE_SK));
            }
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            for (int round = 1; ; round++) {
                final Map<String, KeysAndAttributes> r = request;
                var response = ddb.batchGetItem(b -> b.requestItems(r));
                for (var item : response.responses().getOrDefault(table, List.of())) {
                    Customer c = DynamoDbCustomerStore.decode(item);
                    found.put(c.customerId(), c);
                }
                if (!response.hasUnprocessedKeys() || response.unprocessedKeys().isEmpty()) {
                    break;
                }
                if (round == MAX_BATCH_ROUNDS) {
                    throw new IllegalStateException("BatchGetItem left customers unprocessed after " + round + " rounds");
                }
                request = response.unprocessedKeys();
                pause(round);
            }
        }
        return found;
    }

    private static void pause(int round) {
        try {
            Thread.sleep(Math.min(1_000L, 25L << round));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to read customers again", e);
        }
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

    /**
     * One decided step, as its transaction items record it: the invoice after the step (it expects
     * {@code expectedVersion}), its reminder-log entry and the messages of its outbox item (none when skipped).
     * {@code attempt} is the how-many-th decision on this invoice in this run: part of the request token, so a group
     * formed again after a cancellation never reuses the token of the one that was cancelled.
     */
    record Step(Invoice updated, long expectedVersion, StepLog log, List<OutboxMessage> outbox, String at, int attempt) {
        Step {
            outbox = List.copyOf(outbox);
        }
    }

    /** How a step of a group fared: written, not attempted (another step cancelled the group), or conflicting. */
    enum StepOutcome { COMMITTED, NOT_ATTEMPTED, CONFLICT }

    /**
     * The outcome of each step of a group, in the group's order, and for a conflict what the cancellation reasons
     * said of its items ({@code step logged}, {@code invoice version} or {@code transaction conflict}; null otherwise).
     */
    record GroupOutcome(List<StepOutcome> outcomes, List<String> what) {
        boolean committed() {
            return outcomes.stream().allMatch(o -> o == StepOutcome.COMMITTED);
        }
    }

    /**
     * Items of one transaction: DynamoDB takes at most 100 actions
     * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html).
     */
    static final int MAX_TRANSACTION_ITEMS = 100;
    /**
     * Estimated item bytes of one transaction: DynamoDB cancels one whose items exceed 4 MB in aggregate (same page);
     * the estimate ({@link ItemSize}) is kept half a megabyte below that.
     */
    static final long MAX_TRANSACTION_BYTES = 3_584L * 1024;

    /**
     * {@code steps} in the groups they are recorded in, in order ({@link #firstGroup} again and again).
     */
    List<List<Step>> groups(List<Step> steps) {
        List<List<Step>> groups = new ArrayList<>();
        for (int from = 0; from < steps.size(); ) {
            int n = firstGroup(steps.subList(from, steps.size()));
            groups.add(List.copyOf(steps.subList(from, from + n)));
            from += n;
        }
        return groups;
    }

    /**
     * How many of the leading {@code steps} go in one transaction: at most {@value #MAX_TRANSACTION_ITEMS} items (33
     * sent steps of 3 items) and {@value #MAX_TRANSACTION_BYTES} estimated bytes; a step's items are never split, and
     * a first step goes in whatever its size (it cannot exceed the limit: an item holds at most 400 KB). Only the
     * steps that fit are measured.
     */
    int firstGroup(List<Step> steps) {
        int items = 0;
        long bytes = 0;
        int n = 0;
        for (Step step : steps) {
            List<TransactWriteItem> writes = stepItems(step);
            long size = writes.stream().mapToLong(ItemSize::of).sum();
            if (n > 0 && (items + writes.size() > MAX_TRANSACTION_ITEMS || bytes + size > MAX_TRANSACTION_BYTES)) {
                break;
            }
            items += writes.size();
            bytes += size;
            n++;
        }
        return n;
    }

    /**
     * Records a group of steps (one of {@link #groups}) in one transaction of each step's items ({@link #stepItems}).
     * All or nothing: when DynamoDB cancels it, no step of the group is written, and its cancellation reasons (one per
     * item, in order) tell which steps failed a guard or met a concurrent transaction ({@code CONFLICT}: decide again
     * on a fresh read) and which were only cancelled with them ({@code NOT_ATTEMPTED}: send again as they are).
     * Without usable reasons every step counts as a conflict, so that each is read again and the sweep ends.
     */
    GroupOutcome recordSteps(List<Step> group) {
        TransactWriteItemsRequest request = stepTransaction(group);
        try {
            ddb.transactWriteItems(request);
            return new GroupOutcome(Collections.nCopies(group.size(), StepOutcome.COMMITTED),
                    Collections.nCopies(group.size(), null));
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            boolean usable = reasons.size() == request.transactItems().size()
                    && reasons.stream().anyMatch(r -> r.code() != null && !"None".equals(r.code()));
            List<StepOutcome> outcomes = new ArrayList<>(group.size());
            List<String> what = new ArrayList<>(group.size());
            int item = 0;
            for (Step step : group) {
                int size = stepItems(step).size();
                String found = usable ? conflict(reasons.subList(item, item + size)) : "transaction conflict";
                outcomes.add(found == null ? StepOutcome.NOT_ATTEMPTED : StepOutcome.CONFLICT);
                what.add(found);
                item += size;
            }
            return new GroupOutcome(outcomes, what);
        }
    }

    /** What the reasons of one step's items (log, invoice, outbox) say; null when none of them failed. */
    private static String conflict(List<CancellationReason> reasons) {
        if ("ConditionalCheckFailed".equals(reasons.get(0).code())) {
            return "step logged";
        }
        if ("ConditionalCheckFailed".equals(reasons.get(1).code())) {
            return "invoice version";
        }
        // TransactionConflict, ThrottlingError or anything else on the step's items: written by no one, read again.
        return reasons.stream().anyMatch(r -> r.code() != null && !"None".equals(r.code())) ? "transaction conflict"
                : null;
    }

    /**
     * The items that record one step, at most 3:
     * <ol>
     *   <li>the reminder log {@code INVOICE#<id>} / {@code REMINDER#<step>}, guard {@code attribute_not_exists(pk)}:
     *       each step at most once per invoice, whatever runs concurrently or again;</li>
     *   <li>the invoice with the step appended (and its escalation), guard {@code version = :expected}: a payment,
     *       void or dispute that landed after the invoice was read (or that the index had not caught up with) cancels
     *       the step, and the sweep decides again on a fresh read. Its GSI2 key moves to the next step's instant (or
     *       leaves the index) in the same write;</li>
     *   <li>when something is sent, one outbox item {@code OUTBOX#<first message id>} carrying all of the step's
     *       messages, guard {@code attribute_not_exists(pk)}: committed with the step, so the stream shows it to the
     *       relay exactly when the step is recorded, and a sweep that dies after the commit loses nothing.</li>
     * </ol>
     */
    List<TransactWriteItem> stepItems(Step step) {
        Invoice updated = step.updated();
        StepLog log = step.log();
        String pk = Keys.invoicePk(updated.invoiceId());
        List<TransactWriteItem> writes = new ArrayList<>(3);

        Map<String, AttributeValue> logItem = new HashMap<>();
        logItem.put(Keys.PK, Attr.s(pk));
        logItem.put(Keys.SK, Attr.s(Keys.reminderSk(log.step())));
        logItem.put("type", Attr.s("REMINDER"));
        logItem.put("invoiceId", Attr.s(updated.invoiceId()));
        logItem.put("customerId", Attr.s(updated.customerId()));
        logItem.put("step", Attr.s(log.step()));
        logItem.put("at", Attr.s(step.at()));
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
        invoiceItem.put("version", Attr.n(step.expectedVersion() + 1));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(invoiceItem)
                .conditionExpression("version = :expected")
                .expressionAttributeValues(Map.of(":expected", Attr.n(step.expectedVersion()))).build()).build());

        if (!step.outbox().isEmpty()) {
            writes.add(OutboxItems.put(table, pk, step.outbox(), step.at()));
        }
        return writes;
    }

    /**
     * The request {@link #recordSteps} makes for {@code group}, without making it (SnapStart priming builds it to load
     * its classes). The request token makes an SDK retry of a transaction that did commit succeed instead of failing
     * on its own guards (DynamoDB keeps tokens 10 minutes). Same token only for the same write, a retry of this call:
     * another decision on the same version (a step skipped rather than sent, another business time, another attempt)
     * or another set of steps gets its own.
     */
    TransactWriteItemsRequest stepTransaction(List<Step> group) {
        List<TransactWriteItem> writes = new ArrayList<>(group.size() * 3);
        StringBuilder identity = new StringBuilder(table);
        for (Step step : group) {
            writes.addAll(stepItems(step));
            identity.append('|').append(Keys.invoicePk(step.updated().invoiceId())).append('|').append(step.log().step())
                    .append('|').append(step.expectedVersion()).append('|').append(step.log().skipped())
                    .append('|').append(step.at()).append('|').append(step.attempt());
        }
        String token = UUID.nameUUIDFromBytes(identity.toString().getBytes(StandardCharsets.UTF_8)).toString();
        return TransactWriteItemsRequest.builder().transactItems(writes).clientRequestToken(token).build();
    }

    /** The request of a group of one step (a first decision): {@link #stepTransaction(List)}. */
    TransactWriteItemsRequest stepTransaction(Invoice updated, long expectedVersion, StepLog log,
                                              List<OutboxMessage> outbox, String at) {
        return stepTransaction(List.of(new Step(updated, expectedVersion, log, outbox, at, 1)));
    }
}
