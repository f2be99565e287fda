package dev.invoiceloyalty.webhook;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.DynamoDbPaymentStore;
import dev.invoiceloyalty.adapters.IdempotencyRecord;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxRelay;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceFactory;
import dev.invoiceloyalty.domain.InvoiceRequest;
import dev.invoiceloyalty.domain.InvoiceTransitions;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.TableStream;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.payments.WebhookSignatures;
import dev.invoiceloyalty.table.Keys;
import dev.invoiceloyalty.local.LambdaStreams;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link PaymentWebhookHandler} wired to the real emulators (DynamoDB Local, ElasticMQ, the EventBridge capture) with
 * a fresh table, drained queues and its own event bus name per harness, driven with API Gateway v2 events exactly as
 * Lambda would. After each delivery the harness runs {@link OutboxRelay} over the table's stream as
 * {@code OutboxRelayFunction} would, so the queues and the bus hold what the committed transactions announced. The
 * clock is fixed at the time the samples in {@code events/payment-webhook/} were signed, so the stored Stripe
 * signatures are valid and every write is deterministic.
 */
final class WebhookHarness {
    /** 2026-11-22T09:00:00Z: the {@code t} of every stored Stripe signature. */
    static final Instant NOW = Instant.ofEpochSecond(1795338000L);
    static final String STRIPE_SECRET = "whsec_local";
    static final String SQUARE_KEY = "square_local";
    static final String SQUARE_URL = "http://127.0.0.1:3000/webhooks/square";
    static final String CUSTOMER = "cus_webhook";
    /** The invoice every stored sample pays, refunds or disputes. */
    static final String SAMPLE_INVOICE = "inv_sample";
    static final String SAMPLE_PI = "pi_3QxSample0Payment000001";
    static final String SAMPLE_CHARGE = "ch_3QxSample0Payment000001";
    static final String SAMPLE_SQUARE_PAYMENT = "R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY";
    private static final String SAMPLES = "../../events/payment-webhook/";
    private static final AtomicInteger BUSES = new AtomicInteger();

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
    final DynamoDbInvoiceStore invoices;
    final DynamoDbCustomerStore customers;
    final PaymentWebhookHandler handler;
    private final TableStream stream;
    private final OutboxRelay relay;
    private int relayedMessages;
    private final List<JsonNode> paymentsReceived = new ArrayList<>();
    private final List<JsonNode> mailReceived = new ArrayList<>();

    WebhookHarness() {
        this(List.of(), List.of(STRIPE_SECRET));
    }

    /**
     * @param interceptors  put on the client the function uses (DynamoDB), to record or fail its calls
     * @param stripeSecrets the endpoint secrets the function accepts (more than one during our own rotation)
     */
    WebhookHarness(List<ExecutionInterceptor> interceptors, List<String> stripeSecrets) {
        table = backends.createTable();
        queues = sharedQueues(backends);
        bus = "webhook-test-bus-" + BUSES.incrementAndGet();
        ddb = AwsClients.configure(DynamoDbClient.builder(), settings(backends.dynamoDb().endpoint(), List.of())).build();
        sqs = AwsClients.configure(SqsClient.builder(), settings(backends.sqs().endpoint(), List.of())).build();
        var events = AwsClients.configure(EventBridgeClient.builder(),
                settings(backends.eventBridge().endpoint(), List.of())).build();
        stream = TableStream.open(ddb, streams(backends), table,
                settings(backends.dynamoDb().endpoint(), List.of()).region().id());
        relay = new OutboxRelay(new SqsEventBridgeOutboxSender(sqs, queues.get("MailQueue"), queues.get("PaymentsQueue"),
                events, bus));
        // The function's only client, as PaymentWebhookHandler builds it, with the test's interceptors.
        var fnDdb = AwsClients.configure(DynamoDbClient.builder(),
                settings(backends.dynamoDb().endpoint(), interceptors)).build();
        invoices = new DynamoDbInvoiceStore(ddb, table);
        customers = new DynamoDbCustomerStore(ddb, table);
        WebhookSecrets secrets = new WebhookSecrets() {
            @Override
            public List<String> stripeSecrets() {
                return stripeSecrets;
            }

            @Override
            public String squareSignatureKey() {
                return SQUARE_KEY;
            }

            @Override
            public String squareNotificationUrl() {
                return SQUARE_URL;
            }
        };
        var service = new WebhookService(new DynamoDbPaymentStore(fnDdb, table), secrets, Clock.fixed(NOW, ZoneOffset.UTC));
        handler = new PaymentWebhookHandler(service);
        drain("MailQueue");
        drain("PaymentsQueue");
    }

    private static Map<String, String> queueSet;
    private static DynamoDbStreamsClient streamsClient;
    /** Records per relay invocation: the largest batch Lambda's DynamoDB event source hands over. */
    private static final int RELAY_BATCH = 1000;

    /** One streams client for the run (thread-safe); each harness reads its own table's stream with it. */
    private static synchronized DynamoDbStreamsClient streams(LocalBackends backends) {
        if (streamsClient == null) {
            streamsClient = TableStream.streamsClient(backends.dynamoDb().endpoint());
        }
        return streamsClient;
    }

    /**
     * One set of the template's queues for the whole run (ElasticMQ creates a set in ~150 ms, a table takes ~35 ms):
     * each harness starts by draining MailQueue and PaymentsQueue, and tests run one at a time, so every message a
     * test reads was relayed from its own table. A test with two harnesses reads the first one's messages before the
     * second one relays any (whichever harness drains the queue takes every message on it). Event bus names are
     * unique per harness instead.
     */
    private static synchronized Map<String, String> sharedQueues(LocalBackends backends) {
        if (queueSet == null) {
            queueSet = backends.createQueues();
        }
        return queueSet;
    }

    private static AwsClients.Settings settings(java.net.URI endpoint, List<ExecutionInterceptor> interceptors) {
        var s = AwsClients.Settings.forEndpoint(endpoint);
        for (var i : interceptors) {
            s = s.withInterceptor(i);
        }
        return s;
    }

    // --- delivering ------------------------------------------------------------------------------------------------

    record Response(int status, Map<String, String> headers, JsonNode json, String body) {
        String contentType() {
            return headers == null ? null : headers.get("content-type");
        }

        String outcome() {
            return json == null ? null : json.path("outcome").asText(null);
        }
    }

    /** Invokes the function with {@code event}, then relays what its transaction committed. */
    Response deliver(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse r = LambdaStreams.invoke(handler, event, APIGatewayV2HTTPResponse.class);
        relay();
        return new Response(r.getStatusCode(), r.getHeaders(), r.getBody() == null ? null : tree(r.getBody()), r.getBody());
    }

    /**
     * Invokes the function with {@code event} and loses its answer, as when the function dies after its work and
     * before API Gateway gets the response (the provider then sees a 5xx and retries); then relays. Returns what the
     * invocation threw.
     */
    IOException deliverAndLoseTheAnswer(APIGatewayV2HTTPEvent event) {
        OutputStream lost = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("the function died before answering");
            }
        };
        IOException died = null;
        try {
            handler.handleRequest(new ByteArrayInputStream(LambdaStreams.json(event)), lost, null);
        } catch (IOException e) {
            died = e;
        }
        relay();
        return died;
    }

    /**
     * Runs {@link OutboxRelay} over everything the table's stream got since the last relay, in batches as Lambda
     * would, and returns how many messages it sent. Deliveries on several threads relay in turn: each delivery's
     * commit is on the stream before its relay starts, so every committed record is relayed by some delivery.
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

    /** The stored sample, unchanged: its body, headers and signature exactly as {@code sam local invoke -e} sends them. */
    static APIGatewayV2HTTPEvent sample(String name) {
        return EventLoader.loadApiGatewayHttpEvent(SAMPLES + name);
    }

    /** A delivery as API Gateway (HttpApi, payload 2.0) hands it to the function. */
    static APIGatewayV2HTTPEvent request(String provider, Map<String, String> signatureHeaders, byte[] body, boolean base64) {
        var event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("POST /webhooks/{provider}");
        event.setRawPath("/webhooks/" + provider);
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        headers.putAll(signatureHeaders);
        event.setHeaders(headers);
        event.setPathParameters(Map.of("provider", provider));
        event.setIsBase64Encoded(base64);
        event.setBody(base64 ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                .withPath(event.getRawPath()).build();
        event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(http)
                .withRequestId("test-" + provider).build());
        return event;
    }

    static APIGatewayV2HTTPEvent signedStripe(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return request("stripe", Map.of("stripe-signature",
                WebhookSignatures.signStripe(bytes, STRIPE_SECRET, NOW.getEpochSecond())), bytes, false);
    }

    static APIGatewayV2HTTPEvent signedSquare(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return request("square", Map.of("x-square-hmacsha256-signature",
                WebhookSignatures.signSquare(bytes, SQUARE_KEY, SQUARE_URL)), bytes, false);
    }

    Response stripe(String body) {
        return deliver(signedStripe(body));
    }

    Response square(String body) {
        return deliver(signedSquare(body));
    }

    // --- event bodies, made from the stored samples ------------------------------------------------------------------

    /** The raw body of a stored sample, as the bytes the provider signed (base64 decoded if need be). */
    static byte[] sampleBytes(String name) {
        var e = sample(name);
        return e.getIsBase64Encoded() ? Base64.getDecoder().decode(e.getBody())
                : e.getBody().getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode sampleBody(String name) {
        return (ObjectNode) tree(new String(sampleBytes(name), StandardCharsets.UTF_8));
    }

    private static ObjectNode object(ObjectNode root) {
        return (ObjectNode) root.path("data").path("object");
    }

    private static void metadataInvoice(ObjectNode object, String invoiceId) {
        ObjectNode metadata = object.putObject("metadata");
        if (invoiceId != null) {
            metadata.put("invoice_id", invoiceId);
        }
    }

    /** {@code payment_intent.succeeded} from the stored sample, with its ids, amount, currency, invoice and time. */
    static String stripePayment(String eventId, String paymentIntent, long amount, String currency, String invoiceId,
                                Instant created) {
        ObjectNode root = sampleBody("stripe-payment-intent-succeeded.json");
        root.put("id", eventId);
        ObjectNode o = object(root);
        o.put("id", paymentIntent).put("amount", amount).put("amount_received", amount)
                .put("currency", currency.toLowerCase()).put("created", created.getEpochSecond());
        metadataInvoice(o, invoiceId);
        return root.toPrettyString();
    }

    /** {@code charge.refunded} from the stored sample: {@code amountRefunded} is the charge's cumulative total. */
    static String stripeRefund(String eventId, String charge, String paymentIntent, long amountRefunded, String invoiceId,
                               Instant created) {
        ObjectNode root = sampleBody("stripe-charge-refunded.json");
        root.put("id", eventId);
        ObjectNode o = object(root);
        o.put("id", charge).put("payment_intent", paymentIntent).put("amount_refunded", amountRefunded)
                .put("created", created.getEpochSecond());
        metadataInvoice(o, invoiceId);
        return root.toPrettyString();
    }

    /** {@code payment.updated} (COMPLETED) from the stored sample. */
    static String squarePayment(String eventId, String paymentId, long amount, String currency, String referenceId,
                                Instant updatedAt) {
        ObjectNode root = sampleBody("square-payment-updated.json");
        root.put("event_id", eventId);
        ObjectNode payment = (ObjectNode) object(root).path("payment");
        payment.put("id", paymentId).put("updated_at", updatedAt.toString());
        ((ObjectNode) payment.path("amount_money")).put("amount", amount).put("currency", currency);
        ((ObjectNode) payment.path("total_money")).put("amount", amount).put("currency", currency);
        if (referenceId == null) {
            payment.remove("reference_id");
        } else {
            payment.put("reference_id", referenceId);
        }
        return root.toString();
    }

    // --- set-up through production code --------------------------------------------------------------------------

    Customer createCustomer() {
        String at = NOW.minusSeconds(86_400).toString();
        var customer = new Customer(CUSTOMER, "Müller GmbH", "ap@mueller.example", "de", "Europe/Berlin", null, true,
                false, Customer.Loyalty.initial(ProgramConfig.defaults().rewards().baseTier().name()), at, at);
        customers.create(customer, List.of());
        return customer;
    }

    /** An invoice of 100.00 + 10 % tax = 110.00 (11000 minor units) for {@link #CUSTOMER}, issued on {@code issueDate}. */
    Invoice createInvoice(String invoiceId, String currency, LocalDate issueDate, String extraJson) {
        String body = "{\"customerId\":\"" + CUSTOMER + "\",\"currency\":\"" + currency + "\",\"issueDate\":\""
                + issueDate + "\",\"netDays\":30,\"lineItems\":[{\"description\":\"Beratung\",\"quantity\":\"1\","
                + "\"unitAmount\":10000,\"taxRate\":\"10\"}]" + extraJson + "}";
        var config = ProgramConfig.defaults();
        var request = InvoiceRequest.parse(tree(body), config.invoice().maxLineItems());
        var customer = customers.find(CUSTOMER).value();
        var factory = new InvoiceFactory(config);
        LocalDate issued = InvoiceFactory.issueDate(request, customer, NOW);
        LocalDate due = factory.dueDate(request, issued);
        int year = issued.getYear();
        long previous = invoices.lastSequence(year);
        Invoice invoice = factory.create(invoiceId, InvoiceFactory.number(year, previous + 1), request, customer, issued,
                due, InvoiceFactory.lines(request), List.of(), NOW.minusSeconds(3600));
        invoices.create(new DynamoDbInvoiceStore.NewInvoice(invoice, year, previous,
                new IdempotencyRecord("invoices", "setup-" + invoiceId, "hash", 201, "{}", Keys.invoicePk(invoiceId)),
                List.of(), List.of(), NOW.plusSeconds(86_400).getEpochSecond()));
        return invoice;
    }

    Invoice createInvoice(String invoiceId) {
        return createInvoice(invoiceId, "EUR", LocalDate.parse("2026-11-20"), "");
    }

    /** A customer and the invoice the stored samples refer to. */
    Invoice givenSampleInvoice() {
        createCustomer();
        return createInvoice(SAMPLE_INVOICE);
    }

    void voidInvoice(String invoiceId) {
        var current = invoices.find(invoiceId);
        var voided = InvoiceTransitions.apply(current.value(), InvoiceTransitions.Action.VOID, null, "Europe/Berlin", NOW);
        invoices.update(voided, current.version(), List.of());
    }

    // --- reading the end state ------------------------------------------------------------------------------------

    Invoice invoice(String invoiceId) {
        var v = invoices.find(invoiceId);
        return v == null ? null : v.value();
    }

    Map<String, AttributeValue> item(String pk, String sk) {
        var item = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(Keys.PK, AttributeValue.fromS(pk), Keys.SK, AttributeValue.fromS(sk)))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    Map<String, AttributeValue> stub(String provider, String paymentId) {
        return item(Keys.providerPaymentPk(provider, paymentId), Keys.PROVIDER_PAYMENT_SK);
    }

    Map<String, AttributeValue> dedup(String provider, String eventId) {
        return item(Keys.webhookEventPk(provider, eventId), Keys.WEBHOOK_EVENT_SK);
    }

    Customer customer() {
        return customers.find(CUSTOMER).value();
    }

    /** Items of the customer's partition whose sort key starts with {@code prefix} (credit lots, ledger). */
    List<Map<String, AttributeValue>> customerItems(String prefix) {
        return ddb.query(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.customerPk(CUSTOMER)),
                        ":p", AttributeValue.fromS(prefix)))
                .build()).items();
    }

    /** The unapplied payments, as the finance statement lists them (GSI1 {@code UNAPPLIED}). */
    List<Map<String, AttributeValue>> unapplied() {
        return ddb.query(QueryRequest.builder().tableName(table).indexName(Keys.GSI1)
                .keyConditionExpression("gsi1pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.UNAPPLIED_GSI1_PK)))
                .build()).items();
    }

    /** Every item of the table in a stable order: the "nothing written" oracle. */
    List<Map<String, AttributeValue>> snapshot() {
        return dev.invoiceloyalty.local.TableSnapshot.of(ddb, table);
    }

    /** Every message that reached PaymentsQueue so far (received and deleted, as the reward consumer would). */
    List<JsonNode> paymentMessages() {
        paymentsReceived.addAll(drain("PaymentsQueue"));
        return List.copyOf(paymentsReceived);
    }

    /** Every message that reached MailQueue so far. */
    List<JsonNode> mailMessages() {
        mailReceived.addAll(drain("MailQueue"));
        return List.copyOf(mailReceived);
    }

    /** Integration events relayed to this harness's bus, oldest first. */
    List<CapturedEvent> busEvents() {
        return backends.eventBridge().events().stream().filter(e -> e.eventBusName().equals(bus)).toList();
    }

    /** What the consumers keep after deduplication: PaymentsQueue by message id. */
    Set<String> distinctPaymentMessageIds() {
        return distinct(paymentMessages(), "messageId");
    }

    /** What the mailer sends after deduplication: MailQueue by email id. */
    Set<String> distinctEmailIds() {
        return distinct(mailMessages(), "emailId");
    }

    /**
     * The thank-you emails that follow from what reached PaymentsQueue: the webhook queues no email, the reward side
     * builds one per {@code PaymentRecorded} with {@link Emails#paymentReceived} from the message alone.
     */
    List<MailMessage> thankYouEmails() {
        var emails = new Emails(ProgramConfig.defaults(), "Example Co");
        List<MailMessage> out = new ArrayList<>();
        for (JsonNode m : paymentMessages()) {
            if (PaymentMessage.PAYMENT_RECORDED.equals(m.path("type").asText())) {
                PaymentMessage message = Json.read(m.toString(), PaymentMessage.class);
                out.add(emails.paymentReceived(message, customers.find(message.customerId()).value()));
            }
        }
        return out;
    }

    /** The thank-you emails after the mailer's deduplication by email id. */
    Set<String> distinctThankYouIds() {
        Set<String> out = new TreeSet<>();
        thankYouEmails().forEach(m -> out.add(m.emailId()));
        return out;
    }

    /** Distinct integration events as "detailType invoiceId". */
    Set<String> distinctBusEvents() {
        Set<String> out = new TreeSet<>();
        for (CapturedEvent e : busEvents()) {
            out.add(e.detailType() + " " + tree(e.detail()).path("invoiceId").asText());
        }
        return out;
    }

    static Set<String> distinct(Collection<JsonNode> messages, String field) {
        Set<String> out = new TreeSet<>();
        messages.forEach(m -> out.add(m.path(field).asText()));
        return out;
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

    static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
