package dev.invoiceloyalty.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.local.LambdaStreams;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.SdkCalls;
import dev.invoiceloyalty.local.TableStream;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay on the embedded emulators, fed as Lambda feeds it: a fresh table (with the template's stream), a fresh set
 * of the template's queues and an event bus name of its own; items written through DynamoDB transactions as the
 * functions write them ({@link OutboxItems#put}, {@link OutboxItems#attach}); the stream read with
 * {@link TableStream} and handed to {@link OutboxRelayHandler} as the bytes of Lambda's event. The relay's own SQS and
 * EventBridge clients carry {@link #calls} (armed from the start) and any interceptor a test adds.
 */
final class RelayHarness implements AutoCloseable {
    static final String SAMPLE = "../../events/outbox-relay/outbox-inserted.json";
    static final String CREATED_AT = "2026-11-22T09:00:00Z";
    private static final AtomicInteger BUSES = new AtomicInteger();

    final LocalBackends backends = LocalBackends.shared();
    final String table = backends.createTable();
    final Map<String, String> queues = backends.createQueues();
    final String bus = "relay-test-bus-" + BUSES.incrementAndGet();
    /** Every call of the relay's clients, as {@code Service:Operation}. */
    final SdkCalls calls = SdkCalls.recording();
    private final DynamoDbClient ddb = backends.dynamoDb().client();
    private final TableStream stream = TableStream.open(backends.dynamoDb(), table);
    private final SqsClient relaySqs;
    private final EventBridgeClient relayEvents;
    private final Map<String, List<String>> received = new HashMap<>();
    private OutboxRelayHandler handler;

    RelayHarness(ExecutionInterceptor... faults) {
        List<ExecutionInterceptor> interceptors = new ArrayList<>(List.of(faults));
        interceptors.add(calls);
        relaySqs = AwsClients.configure(SqsClient.builder(), settings(backends.sqs().endpoint(), interceptors)).build();
        relayEvents = AwsClients.configure(EventBridgeClient.builder(),
                settings(backends.eventBridge().endpoint(), interceptors)).build();
        sendTo(queues.get("MailQueue"), queues.get("PaymentsQueue"));
        calls.arm();
    }

    private static AwsClients.Settings settings(URI endpoint, List<ExecutionInterceptor> interceptors) {
        AwsClients.Settings s = AwsClients.Settings.forEndpoint(endpoint);
        for (ExecutionInterceptor i : interceptors) {
            s = s.withInterceptor(i);
        }
        return s;
    }

    /** Rebuilds the handler with these queue URLs (the bus stays), as a redeployed function would be. */
    void sendTo(String mailQueueUrl, String paymentsQueueUrl) {
        handler = new OutboxRelayHandler(new SqsEventBridgeOutboxSender(relaySqs, mailQueueUrl, paymentsQueueUrl,
                relayEvents, bus));
    }

    @Override
    public void close() {
        stream.close();
        relaySqs.close();
        relayEvents.close();
    }

    // --- messages as the producers build them ----------------------------------------------------------------------

    /** The welcome email of customer {@code customerId}, as {@code PUT /customers} puts it in its outbox. */
    static OutboxMessage mail(String customerId) {
        ProgramConfig config = ProgramConfig.defaults();
        Customer customer = new Customer(customerId, "Ada Lovelace", "ada@example.com", "en", "Europe/Berlin", null,
                true, false, Customer.Loyalty.initial(config.rewards().baseTier().name()), CREATED_AT, CREATED_AT);
        MailMessage welcome = new Emails(config, "Example Co").welcome(customer);
        return OutboxMessage.mail(welcome.emailId(), Json.write(welcome));
    }

    /** {@code PaymentRecorded} of invoice {@code invoiceId}, as the webhook puts it for the reward side. */
    static OutboxMessage payment(String invoiceId) {
        PaymentMessage m = new PaymentMessage(PaymentMessage.PAYMENT_RECORDED,
                PaymentMessage.PAYMENT_RECORDED + "#" + invoiceId, invoiceId, "cust-1", "EUR", 11900, "2026-11-22",
                "2026-12-06", "Europe/Berlin", "2026-11-24T14:30:00Z", 0, null, "2026-11-24T14:30:00Z",
                "INV-2026-000001", 11900, 0, 0);
        return OutboxMessage.payment(m.messageId(), m.type(), Json.write(m));
    }

    /** An {@code InvoiceCreated} integration event of invoice {@code invoiceId}. */
    static OutboxMessage event(String invoiceId) {
        return OutboxMessage.event("InvoiceCreated#" + invoiceId, "InvoiceCreated",
                Json.write(Map.of("invoiceId", invoiceId, "customerId", "cust-1", "currency", "EUR", "total", 11900)));
    }

    // --- writing as the functions write ------------------------------------------------------------------------------

    /** One transaction putting an {@code OUTBOX#} item in partition {@code pk} ({@link OutboxItems#put}). */
    void outbox(String pk, OutboxMessage... messages) {
        TransactWriteItem put = OutboxItems.put(table, pk, List.of(messages), CREATED_AT);
        ddb.transactWriteItems(b -> b.transactItems(put));
    }

    /**
     * One transaction putting a fact's marker that carries {@code messages} ({@link OutboxItems#attach}), as the
     * webhook and the reward side do; guard {@code attribute_not_exists(pk)}.
     */
    void marker(String pk, String sk, OutboxMessage... messages) {
        Map<String, AttributeValue> item = new HashMap<>(Attr.key(pk, sk));
        item.put("type", Attr.s("WEBHOOK_EVENT"));
        OutboxItems.attach(item, List.of(messages));
        ddb.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(Put.builder().tableName(table)
                .item(item).conditionExpression("attribute_not_exists(pk)").build()).build()));
    }

    /** A plain put of {@code item} (keys {@code pk}, {@code sk} added). */
    void put(String pk, String sk, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new HashMap<>(attributes);
        item.putAll(Attr.key(pk, sk));
        ddb.putItem(b -> b.tableName(table).item(item));
    }

    DynamoDbClient dynamoDb() {
        return ddb;
    }

    // --- the stream and the handler ----------------------------------------------------------------------------------

    /** The records written since the last call, in Lambda's shape and stream order. */
    List<ObjectNode> records() {
        return stream.poll(1000);
    }

    static String sequenceNumber(JsonNode record) {
        return record.path("dynamodb").path("SequenceNumber").asText();
    }

    static List<ObjectNode> from(List<ObjectNode> records, String sequenceNumber) {
        for (int i = 0; i < records.size(); i++) {
            if (sequenceNumber(records.get(i)).equals(sequenceNumber)) {
                return records.subList(i, records.size());
            }
        }
        throw new AssertionError("no record " + sequenceNumber + " in the batch");
    }

    /** The handler's answer: the bytes it wrote and the {@code itemIdentifier}s of its failures. */
    record Answer(String json, List<String> failures) {
    }

    /** Hands {@code records} to the handler as Lambda's event. */
    Answer relay(List<ObjectNode> records) {
        return relay(TableStream.bytes(TableStream.event(records)));
    }

    Answer relay(byte[] event) {
        String json = new String(LambdaStreams.invoke(handler, event), StandardCharsets.UTF_8);
        JsonNode answer = tree(json);
        assertTrue(answer.isObject() && answer.size() == 1 && answer.path("batchItemFailures").isArray(),
                "a partial batch response: " + json);
        List<String> failures = new ArrayList<>();
        for (JsonNode failure : answer.get("batchItemFailures")) {
            assertEquals(1, failure.size(), "only itemIdentifier in " + json);
            failures.add(failure.path("itemIdentifier").asText());
        }
        return new Answer(json, failures);
    }

    OutboxRelayHandler handler() {
        return handler;
    }

    // --- what arrived -----------------------------------------------------------------------------------------------

    /** Email ids of every message that reached MailQueue so far, in arrival order, with repeats. */
    List<String> mail() {
        return receive("MailQueue").stream().map(b -> Json.read(b, MailMessage.class).emailId()).toList();
    }

    /** The bodies of every message that reached MailQueue so far. */
    List<String> mailBodies() {
        return receive("MailQueue");
    }

    /** Message ids of every payment message that reached PaymentsQueue so far, with repeats. */
    List<String> payments() {
        return receive("PaymentsQueue").stream().map(b -> Json.read(b, PaymentMessage.class).messageId()).toList();
    }

    List<String> paymentBodies() {
        return receive("PaymentsQueue");
    }

    /** Events put on this harness's bus, oldest first. */
    List<CapturedEvent> events() {
        return backends.eventBridge().events().stream().filter(e -> e.eventBusName().equals(bus)).toList();
    }

    /** What reached each destination, without repeats: what the receivers keep after deduplication. */
    Map<String, Set<String>> delivered() {
        Set<String> events = new TreeSet<>();
        events().forEach(e -> events.add(e.detailType() + " " + tree(e.detail()).path("invoiceId").asText()));
        return Map.of("MailQueue", new TreeSet<>(mail()), "PaymentsQueue", new TreeSet<>(payments()), "bus", events);
    }

    /** Everything on the queue so far (received and deleted, as its consumer would), kept for later reads. */
    private List<String> receive(String logicalId) {
        String url = queues.get(logicalId);
        List<String> bodies = received.computeIfAbsent(logicalId, k -> new ArrayList<>());
        SqsClient sqs = backends.sqs().client();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) {
                return List.copyOf(bodies);
            }
            for (Message m : batch) {
                bodies.add(m.body());
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String invoicePk(String invoiceId) {
        return Keys.invoicePk(invoiceId);
    }
}
