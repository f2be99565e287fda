package dev.invoiceloyalty.rewarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbRewardStore;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxRelay;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.TableStream;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link RewardService} and {@link RewardCreditingHandler} wired to the real emulators (DynamoDB Local, ElasticMQ, the
 * EventBridge capture) with a fresh table, a drained MailQueue and an event bus name of its own, plus the reads a test
 * needs to check the ledger, the lots, the guards and the customer's cached balances. After each invocation the
 * harness runs {@link OutboxRelay} over the table's stream as {@code OutboxRelayFunction} would, so MailQueue and the
 * bus hold what the committed transactions announced.
 */
final class RewardHarness {
    static final ProgramConfig CONFIG = ProgramConfig.defaults();
    static final String SAMPLES = "../../events/reward-crediting/";
    private static final AtomicInteger BUSES = new AtomicInteger();
    private static Map<String, String> queueSet;
    private static DynamoDbStreamsClient streamsClient;
    /** Records per relay invocation: the largest batch Lambda's DynamoDB event source hands over. */
    private static final int RELAY_BATCH = 1000;

    final LocalBackends backends = LocalBackends.shared();
    final String table;
    final Map<String, String> queues;
    final String bus;
    /**
     * The test's own clients, for set-up, for reading the end state and for the relay (another function, with
     * clients of its own): no interceptors, so never faulted.
     */
    final DynamoDbClient ddb;
    final SqsClient sqs;
    final DynamoDbCustomerStore customers;
    private final RewardService service;
    private final RewardCreditingHandler handler;
    private final TableStream stream;
    private final OutboxRelay relay;
    private int relayedMessages;
    private final List<JsonNode> mailReceived = new ArrayList<>();

    RewardHarness() {
        this(List.of());
    }

    /** @param interceptors put on the client the function uses (DynamoDB), to record or fail its calls */
    RewardHarness(List<ExecutionInterceptor> interceptors) {
        table = backends.createTable();
        queues = sharedQueues(backends);
        bus = "reward-test-bus-" + BUSES.incrementAndGet();
        ddb = AwsClients.configure(DynamoDbClient.builder(), settings(backends.dynamoDb().endpoint(), List.of())).build();
        sqs = AwsClients.configure(SqsClient.builder(), settings(backends.sqs().endpoint(), List.of())).build();
        var events = AwsClients.configure(EventBridgeClient.builder(),
                settings(backends.eventBridge().endpoint(), List.of())).build();
        stream = TableStream.open(ddb, streams(backends), table,
                settings(backends.dynamoDb().endpoint(), List.of()).region().id());
        relay = new OutboxRelay(new SqsEventBridgeOutboxSender(sqs, queues.get("MailQueue"), queues.get("PaymentsQueue"),
                events, bus));
        // The function's only client, as RewardCreditingHandler builds it, with the test's interceptors.
        var fnDdb = AwsClients.configure(DynamoDbClient.builder(), settings(backends.dynamoDb().endpoint(), interceptors)).build();
        customers = new DynamoDbCustomerStore(ddb, table);
        service = new RewardService(new DynamoDbRewardStore(fnDdb, table), new DynamoDbCustomerStore(fnDdb, table),
                new Emails(CONFIG, "Example Co"), CONFIG);
        handler = new RewardCreditingHandler(service);
        drain("MailQueue");
    }

    /** One streams client for the run (thread-safe); each harness reads its own table's stream with it. */
    private static synchronized DynamoDbStreamsClient streams(LocalBackends backends) {
        if (streamsClient == null) {
            streamsClient = TableStream.streamsClient(backends.dynamoDb().endpoint());
        }
        return streamsClient;
    }

    /**
     * One set of the template's queues for the whole run (ElasticMQ creates a set in ~150 ms): each harness starts by
     * draining MailQueue and the tests of this module run one at a time, so every message a test reads was relayed
     * from its own table. Event bus names are unique per harness instead.
     */
    private static synchronized Map<String, String> sharedQueues(LocalBackends backends) {
        if (queueSet == null) {
            queueSet = backends.createQueues();
        }
        return queueSet;
    }

    private static AwsClients.Settings settings(URI endpoint, List<ExecutionInterceptor> interceptors) {
        var s = AwsClients.Settings.forEndpoint(endpoint);
        for (var i : interceptors) {
            s = s.withInterceptor(i);
        }
        return s;
    }

    // --- set-up through production code ------------------------------------------------------------------------

    /** A customer as {@code PUT /customers/{id}} creates it: loyalty at the base tier, nothing earned. */
    Customer createCustomer(String customerId, String timeZone) {
        String at = "2026-01-01T09:00:00Z";
        var customer = new Customer(customerId, "Ada Lovelace", "ada@example.com", "en", timeZone, null, true, false,
                Customer.Loyalty.initial(CONFIG.rewards().baseTier().name()), at, at);
        customers.create(customer, List.of());
        return customer;
    }

    /** {@code PaymentRecorded} as the webhook publishes it for an invoice paid in full at {@code paidAt}. */
    static PaymentMessage paid(String customerId, String invoiceId, String currency, long total, String issueDate,
                               String dueDate, String timeZone, String paidAt) {
        return new PaymentMessage(PaymentMessage.PAYMENT_RECORDED, PaymentMessage.PAYMENT_RECORDED + "#" + invoiceId,
                invoiceId, customerId, currency, total, issueDate, dueDate, timeZone, paidAt, 0, null, paidAt,
                "INV-" + invoiceId, total, 0, 0);
    }

    static PaymentMessage refund(PaymentMessage paid, String refundId, long amount, String at) {
        return new PaymentMessage(PaymentMessage.REFUND_RECORDED,
                PaymentMessage.REFUND_RECORDED + "#" + paid.invoiceId() + "#" + refundId, paid.invoiceId(),
                paid.customerId(), paid.currency(), paid.total(), paid.issueDate(), paid.dueDate(), paid.timeZone(),
                paid.paidAt(), amount, refundId, at, paid.invoiceNumber(), 0, 0, 0);
    }

    static PaymentMessage disputeLost(PaymentMessage paid, String disputeId, long amount, String at) {
        return new PaymentMessage(PaymentMessage.DISPUTE_LOST,
                PaymentMessage.DISPUTE_LOST + "#" + paid.invoiceId() + "#" + disputeId, paid.invoiceId(),
                paid.customerId(), paid.currency(), paid.total(), paid.issueDate(), paid.dueDate(), paid.timeZone(),
                paid.paidAt(), amount, disputeId, at, paid.invoiceNumber(), 0, 0, 0);
    }

    /**
     * Spends credit of a lot as invoice creation does ({@code DynamoDbInvoiceStore.create}): the lot's remaining (an
     * emptied lot leaves the expiry index) and the cached balance, without a version bump.
     */
    void spendCredit(String customerId, String lotSk, String currency, long amount) {
        long remaining = Long.parseLong(item(Keys.customerPk(customerId), lotSk).get("remaining").n());
        ddb.updateItem(b -> b.tableName(table).key(key(Keys.customerPk(customerId), lotSk))
                .updateExpression(remaining == amount ? "SET remaining = :after REMOVE gsi2pk, gsi2sk"
                        : "SET remaining = :after")
                .conditionExpression("remaining = :before")
                .expressionAttributeValues(Map.of(":after", n(remaining - amount), ":before", n(remaining))));
        ddb.updateItem(b -> b.tableName(table).key(key(Keys.customerPk(customerId), Keys.CUSTOMER_PROFILE_SK))
                .updateExpression("SET credits.#cur = credits.#cur - :spent")
                .expressionAttributeNames(Map.of("#cur", currency))
                .expressionAttributeValues(Map.of(":spent", n(amount))));
    }

    /** Redeems points of one lot as the redemption route does: the lot, the cached points, the customer's version. */
    void redeemPoints(String customerId, String lotSk, long points) {
        long remaining = Long.parseLong(item(Keys.customerPk(customerId), lotSk).get("remaining").n());
        ddb.updateItem(b -> b.tableName(table).key(key(Keys.customerPk(customerId), lotSk))
                .updateExpression(remaining - points == 0 ? "SET remaining = :after REMOVE gsi2pk, gsi2sk"
                        : "SET remaining = :after")
                .conditionExpression("remaining = :before")
                .expressionAttributeValues(Map.of(":after", n(remaining - points), ":before", n(remaining))));
        ddb.updateItem(b -> b.tableName(table).key(key(Keys.customerPk(customerId), Keys.CUSTOMER_PROFILE_SK))
                .updateExpression("SET points = points - :p, #v = #v + :one")
                .expressionAttributeNames(Map.of("#v", "version"))
                .expressionAttributeValues(Map.of(":p", n(points), ":one", n(1))));
    }

    /**
     * Writes {@code items} as they are (a state another harness's table reached through production code). The markers
     * among them carry messages that were relayed when that state was made, so the stream records of the copy are
     * skipped: the relay announces only what happens after it.
     */
    void restore(List<Map<String, AttributeValue>> items) {
        for (int i = 0; i < items.size(); i += 25) {
            List<WriteRequest> writes = items.subList(i, Math.min(items.size(), i + 25)).stream()
                    .map(item -> WriteRequest.builder().putRequest(p -> p.item(item)).build()).toList();
            Map<String, List<WriteRequest>> request = Map.of(table, writes);
            while (!request.isEmpty()) {
                final Map<String, List<WriteRequest>> r = request;
                var response = ddb.batchWriteItem(b -> b.requestItems(r));
                request = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
        skipStream();
    }

    private synchronized void skipStream() {
        List<?> skipped;
        do {
            skipped = stream.poll(RELAY_BATCH);
        } while (!skipped.isEmpty());
    }

    // --- invoking, then relaying ---------------------------------------------------------------------------------

    /** Handles one PaymentsQueue message with the service, then relays what its transaction committed. */
    String handle(PaymentMessage m) {
        try {
            return service.handle(m);
        } finally {
            relay();
        }
    }

    /** Runs the daily expiry for {@code businessTime}, then relays. */
    int expire(Instant businessTime) {
        try {
            return service.expire(businessTime);
        } finally {
            relay();
        }
    }

    /**
     * Runs {@link OutboxRelay} over everything the table's stream got since the last relay, in batches as Lambda
     * would, and returns how many messages it sent. Invocations on several threads relay in turn: each one's commit is
     * on the stream before its relay starts, so every committed record is relayed by some invocation.
     */
    synchronized int relay() {
        int[] sent = {0};
        stream.deliver(RELAY_BATCH, TableStream.insertsWith(OutboxItems.RELAY, OutboxItems.RELAY_OUTBOX), event -> {
            OutboxRelay.Result result = relay.relay(event);
            sent[0] += result.messages();
            return result.failedSequenceNumber();
        }, 0);
        relayedMessages += sent[0];
        return sent[0];
    }

    /** How many messages the relay sent since this harness started. */
    synchronized int relayedMessages() {
        return relayedMessages;
    }

    // --- delivering through the handler ------------------------------------------------------------------------

    /** An SQS batch as Lambda's event source mapping delivers it: one record per body, messageId {@code sqs-<i>}. */
    static String sqsEvent(List<String> bodies) {
        ObjectNode root = Json.mapper().createObjectNode();
        ArrayNode records = root.putArray("Records");
        for (int i = 0; i < bodies.size(); i++) {
            records.addObject().put("messageId", "sqs-" + (i + 1)).put("receiptHandle", "rh-" + (i + 1))
                    .put("body", bodies.get(i)).put("eventSource", "aws:sqs")
                    .put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:invoice-loyalty-PaymentsQueue");
        }
        return root.toString();
    }

    static String sqsEvent(PaymentMessage m) {
        return sqsEvent(List.of(Json.write(m)));
    }

    /**
     * Invokes the Lambda entry point with {@code event} as its raw input, relays what it committed (also when it
     * threw) and returns its JSON answer.
     */
    JsonNode invoke(String event) {
        var out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            relay();
        }
        return tree(out.toString(StandardCharsets.UTF_8));
    }

    /** The {@code itemIdentifier}s of a batch answer's {@code batchItemFailures}, in order. */
    static List<String> failures(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.path("batchItemFailures").forEach(f -> ids.add(f.path("itemIdentifier").asText()));
        return ids;
    }

    static String sample(String name) {
        try {
            return Files.readString(Path.of(SAMPLES + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- reading the end state -----------------------------------------------------------------------------------

    Customer customer(String customerId) {
        return customers.find(customerId).value();
    }

    long version(String customerId) {
        return customers.find(customerId).version();
    }

    Map<String, AttributeValue> item(String pk, String sk) {
        var item = ddb.getItem(b -> b.tableName(table).consistentRead(true).key(key(pk, sk))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    Map<String, AttributeValue> guard(String invoiceId, String rule) {
        return item(Keys.rewardGuardPk(invoiceId, rule), Keys.REWARD_GUARD_SK);
    }

    Map<String, AttributeValue> lot(String customerId, String sk) {
        return item(Keys.customerPk(customerId), sk);
    }

    /** Items of the customer's partition whose sort key starts with {@code prefix} ({@code LEDGER#}, {@code POINTS#}...). */
    List<Map<String, AttributeValue>> customerItems(String customerId, String prefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var r = ddb.query(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                    .expressionAttributeValues(Map.of(":pk", s(Keys.customerPk(customerId)), ":p", s(prefix)))
                    .exclusiveStartKey(start).build());
            items.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /** The ledger as {@code "<entryType> <entryId> points=<p> amount=<a> <currency>"}, in sort-key order. */
    List<String> ledger(String customerId) {
        return customerItems(customerId, Keys.LEDGER_PREFIX).stream().map(RewardHarness::describeEntry).toList();
    }

    static String describeEntry(Map<String, AttributeValue> e) {
        return str(e, "entryType") + " " + str(e, "entryId") + " points=" + e.get("points").n() + " amount="
                + e.get("amount").n() + (str(e, "currency") == null ? "" : " " + str(e, "currency"));
    }

    /** Open and spent lots as {@code "<sk> remaining=<r>/<amount>"} plus {@code " expiring"} while in GSI2. */
    List<String> lots(String customerId) {
        List<String> out = new ArrayList<>();
        for (String prefix : List.of(Keys.POINTS_LOT_PREFIX, "CREDIT#")) {
            for (var lot : customerItems(customerId, prefix)) {
                out.add(str(lot, Keys.SK) + " remaining=" + lot.get("remaining").n() + "/" + lot.get("amount").n()
                        + (lot.containsKey(Keys.GSI2_PK) ? " expiring" : ""));
            }
        }
        return out;
    }

    /** The sparse expiry index (GSI2 {@code REWARD_EXPIRY}): the sort keys of the lots a run would look at. */
    List<String> expiryIndex() {
        List<String> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var r = ddb.query(QueryRequest.builder().tableName(table).indexName(Keys.GSI2)
                    .keyConditionExpression("gsi2pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(Keys.REWARD_EXPIRY_GSI2_PK)))
                    .exclusiveStartKey(start).build());
            r.items().forEach(i -> out.add(str(i, Keys.SK)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** Every item of the table in a stable order. */
    List<Map<String, AttributeValue>> snapshot() {
        return dev.invoiceloyalty.local.TableSnapshot.of(ddb, table);
    }

    /** Every message that reached MailQueue since this harness started (received and deleted, as the mailer would). */
    List<JsonNode> mailMessages() {
        mailReceived.addAll(drain("MailQueue"));
        return List.copyOf(mailReceived);
    }

    /** What the mailer sends after deduplication by email id. */
    Set<String> distinctEmailIds() {
        Set<String> out = new TreeSet<>();
        mailMessages().forEach(m -> out.add(m.path("emailId").asText()));
        return out;
    }

    /** Integration events relayed to this harness's bus, oldest first. */
    List<CapturedEvent> busEvents() {
        return backends.eventBridge().events().stream().filter(e -> e.eventBusName().equals(bus)).toList();
    }

    /** {@code RewardCredited} events as the ledger entry ids they announce, in order (with repeats). */
    List<String> rewardCreditedEntryIds() {
        return busEvents().stream().filter(e -> e.detailType().equals("RewardCredited"))
                .map(e -> tree(e.detail()).path("entry").path("entryId").asText()).toList();
    }

    private List<JsonNode> drain(String logicalId) {
        String url = queues.get(logicalId);
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) {
                return out;
            }
            for (Message m : batch) {
                out.add(tree(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    // --- small helpers ---------------------------------------------------------------------------------------------

    static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(Keys.PK, s(pk), Keys.SK, s(sk));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
