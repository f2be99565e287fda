package dev.invoiceloyalty.reminders.sweep;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.IdempotencyRecord;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.OutboxRelay;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceFactory;
import dev.invoiceloyalty.domain.InvoiceRequest;
import dev.invoiceloyalty.domain.InvoiceTransitions;
import dev.invoiceloyalty.local.CapturedEmail;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.local.LambdaStreams;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.TableStream;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.mailer.DynamoDbSentEmailLog;
import dev.invoiceloyalty.mailer.InvoiceStatusCheck;
import dev.invoiceloyalty.mailer.MailerHandler;
import dev.invoiceloyalty.mailer.MailerLog;
import dev.invoiceloyalty.mailer.SesMailSender;
import dev.invoiceloyalty.mailer.TemplateRenderer;
import dev.invoiceloyalty.payments.PaymentApplication;
import dev.invoiceloyalty.payments.ProviderEvent;
import dev.invoiceloyalty.reminders.ReminderLadder;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ReminderSweepHandler} wired to DynamoDB Local with a fresh table per harness, driven with the schedule's input
 * exactly as Lambda would; after each run the {@link OutboxRelay} reads the table's stream as
 * {@code OutboxRelayFunction} does and sends to this harness's fresh queues (ElasticMQ) and its own bus (the
 * EventBridge capture). Customers and invoices are made by production code (the stores, {@link InvoiceFactory},
 * {@link InvoiceTransitions}, {@link PaymentApplication}), so the sweep index is the one every invoice write
 * maintains. The real mailer is at hand to send what the relay queued.
 */
final class SweepHarness {
    static final String AR_TEAM = "ar-team@example.com";
    static final String COLLECTIONS = "collections@example.com";
    /** Invoices are issued on this date, net 30: due {@link #DUE}. */
    static final LocalDate ISSUED = LocalDate.parse("2026-11-10");
    static final LocalDate DUE = LocalDate.parse("2026-12-10");
    static final ProgramConfig CONFIG = ProgramConfig.defaults();
    private static final AtomicInteger BUSES = new AtomicInteger();

    final LocalBackends backends = LocalBackends.shared();
    final String table;
    final Map<String, String> queues;
    final String bus;
    /** The test's own clients: no interceptors, never faulted. */
    final DynamoDbClient ddb;
    final SqsClient sqs;
    final DynamoDbInvoiceStore invoices;
    final DynamoDbCustomerStore customers;
    final ReminderSweepHandler handler;
    /** The table's stream from its start, and the relay Lambda runs on it (with real clients on the emulators). */
    private final TableStream stream;
    private final OutboxRelay relay;
    private final List<OutboxRelay.Result> relayed = new ArrayList<>();
    private final List<MailMessage> mailReceived = new ArrayList<>();
    final List<String> mailerLog = Collections.synchronizedList(new ArrayList<>());

    SweepHarness() {
        this(List.of(), 0);
    }

    /**
     * @param interceptors on the function's DynamoDB client (its only client), to measure or fail its calls
     * @param pageLimit    invoices per index page (0: DynamoDB's 1 MB pages)
     */
    SweepHarness(List<ExecutionInterceptor> interceptors, int pageLimit) {
        table = backends.createTable();
        queues = backends.createQueues();
        bus = "reminder-test-bus-" + BUSES.incrementAndGet();
        ddb = AwsClients.configure(DynamoDbClient.builder(), settings(backends.dynamoDb().endpoint(), List.of())).build();
        sqs = AwsClients.configure(SqsClient.builder(), settings(backends.sqs().endpoint(), List.of())).build();
        invoices = new DynamoDbInvoiceStore(ddb, table);
        customers = new DynamoDbCustomerStore(ddb, table);
        handler = new ReminderSweepHandler(ReminderSweepHandler.create(
                new SweepSettings(table, AR_TEAM, COLLECTIONS, "Example Co"),
                AwsClients.configure(DynamoDbClient.builder(), settings(backends.dynamoDb().endpoint(), interceptors)).build(),
                CONFIG, ReminderLadder.current(), pageLimit));
        stream = TableStream.open(backends.dynamoDb(), table);
        EventBridgeClient events = AwsClients.configure(EventBridgeClient.builder(),
                settings(backends.eventBridge().endpoint(), List.of())).build();
        relay = new OutboxRelay(new SqsEventBridgeOutboxSender(sqs, queues.get("MailQueue"), queues.get("PaymentsQueue"),
                events, bus));
    }

    private static AwsClients.Settings settings(URI endpoint, List<ExecutionInterceptor> interceptors) {
        var s = AwsClients.Settings.forEndpoint(endpoint);
        for (var i : interceptors) {
            s = s.withInterceptor(i);
        }
        return s;
    }

    // --- set-up through production code ----------------------------------------------------------------------------

    Customer customer(String customerId, String language, String zone) {
        return customer(customerId, language, zone, true, false);
    }

    Customer customer(String customerId, String language, String zone, boolean remindersEnabled, boolean autopay) {
        String at = ISSUED.minusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        var customer = new Customer(customerId, "Customer " + customerId, customerId + "@example.com", language, zone,
                null, remindersEnabled, autopay, Customer.Loyalty.initial(CONFIG.rewards().baseTier().name()), at, at);
        customers.create(customer, List.of());
        return customer;
    }

    /** 10 × 100.00 + 19 % tax = 1,190.00 in {@code currency}, issued {@link #ISSUED}, net 30 (due {@link #DUE}). */
    Invoice invoice(String invoiceId, String customerId) {
        return invoice(invoiceId, customerId, ISSUED, 30);
    }

    Invoice invoice(String invoiceId, String customerId, LocalDate issued, int netDays) {
        long previous = invoices.lastSequence(issued.getYear());
        Invoice invoice = newInvoice(invoiceId, customerId, issued, netDays, previous + 1);
        invoices.create(new DynamoDbInvoiceStore.NewInvoice(invoice, issued.getYear(), previous,
                new IdempotencyRecord("invoices", "setup-" + invoiceId, "hash", 201, "{}", Keys.invoicePk(invoiceId)),
                List.of(), List.of(), issued.atStartOfDay(ZoneOffset.UTC).plusDays(1).toEpochSecond()));
        return invoice;
    }

    /** The invoice {@code POST /invoices} would make (not stored). */
    Invoice newInvoice(String invoiceId, String customerId, LocalDate issued, int netDays, long sequence) {
        return newInvoice(invoiceId, customers.find(customerId).value(), issued, netDays, sequence);
    }

    static Invoice newInvoice(String invoiceId, Customer customer, LocalDate issued, int netDays, long sequence) {
        String customerId = customer.customerId();
        String body = "{\"customerId\":\"" + customerId + "\",\"currency\":\"EUR\",\"issueDate\":\"" + issued
                + "\",\"netDays\":" + netDays + ",\"paymentUrl\":\"https://pay.example.com/" + invoiceId + "\","
                + "\"lineItems\":[{\"description\":\"Consulting\",\"quantity\":\"10\",\"unitAmount\":10000,"
                + "\"taxRate\":\"19\"}]}";
        var request = InvoiceRequest.parse(tree(body), CONFIG.invoice().maxLineItems());
        var factory = new InvoiceFactory(CONFIG);
        LocalDate due = factory.dueDate(request, issued);
        return factory.create(invoiceId, InvoiceFactory.number(issued.getYear(), sequence), request, customer, issued,
                due, InvoiceFactory.lines(request), List.of(), issued.atTime(9, 0).toInstant(ZoneOffset.UTC));
    }

    /** A provider payment of {@code amount} at {@code at}, applied as the webhook applies it. */
    void pay(String invoiceId, long amount, Instant at) {
        var current = invoices.find(invoiceId);
        var payment = new ProviderEvent.PaymentSucceeded("stripe", "evt_" + invoiceId + "_" + amount, "pi_" + invoiceId
                + "_" + amount, amount, "EUR", invoiceId, at);
        var outcome = PaymentApplication.applyPayment(current.value(), true, payment, List.of(), at);
        invoices.update(outcome.invoice(), current.version(), List.of());
    }

    void payInFull(String invoiceId, Instant at) {
        pay(invoiceId, invoice(invoiceId).amountDue(), at);
    }

    /** A client action ({@code POST /invoices/{id}/actions/{action}}) at {@code at}. */
    void act(String invoiceId, InvoiceTransitions.Action action, LocalDate until, Instant at) {
        var current = invoices.find(invoiceId);
        Invoice changed = InvoiceTransitions.apply(current.value(), action, until, current.value().timeZone(), at);
        invoices.update(changed, current.version(), List.of());
    }

    // --- the function ------------------------------------------------------------------------------------------------

    /** Invokes the handler with the schedule's input for business time {@code t}; returns its answer. */
    JsonNode sweep(Instant t) {
        return invoke("{\"time\": \"" + t + "\", \"kind\": \"daily\"}");
    }

    /** The sweep at local midnight of {@code date} in {@code zone}: the first instant a step of that date is due. */
    JsonNode sweepAtStartOf(LocalDate date, String zone) {
        return sweep(date.atStartOfDay(ZoneId.of(zone)).toInstant());
    }

    /** The sweep at local noon of {@code date} in {@code zone}. */
    JsonNode sweepOn(LocalDate date, String zone) {
        return sweep(date.atTime(12, 0).atZone(ZoneId.of(zone)).toInstant());
    }

    /**
     * Invokes the handler with {@code input}, then relays the table's stream as {@code OutboxRelayFunction} does, whether
     * the run succeeded or died: the relay runs on every commit, not on the sweep's outcome.
     */
    JsonNode invoke(String input) {
        var out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            relay();
        }
        return tree(out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Hands every stream record written since the last relay to the {@link OutboxRelay}, in batches of 100 as the
     * template's event source mapping does (records of other writes are skipped by it, as the event filter drops
     * them). A batch it could not finish fails the test: on the emulators every send succeeds.
     */
    void relay() {
        stream.deliver(100, TableStream.insertsWith(OutboxItems.RELAY, OutboxItems.RELAY_OUTBOX), event -> {
            OutboxRelay.Result result = relay.relay(event);
            relayed.add(result);
            return result.failedSequenceNumber();
        }, 0);
    }

    /** Messages the relay sent so far (each outbox item's messages counted once). */
    int relayedMessages() {
        return relayed.stream().mapToInt(OutboxRelay.Result::messages).sum();
    }

    // --- reading the end state ---------------------------------------------------------------------------------------

    Invoice invoice(String invoiceId) {
        var v = invoices.find(invoiceId);
        return v == null ? null : v.value();
    }

    List<String> steps(String invoiceId) {
        return invoice(invoiceId).reminders().stream().map(Invoice.ReminderRecord::step).toList();
    }

    Map<String, AttributeValue> item(String pk, String sk) {
        var item = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(Keys.PK, AttributeValue.fromS(pk), Keys.SK, AttributeValue.fromS(sk)))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    Map<String, AttributeValue> reminderLog(String invoiceId, String step) {
        return item(Keys.invoicePk(invoiceId), Keys.reminderSk(step));
    }

    /**
     * The outbox items of the table, by {@code <pk> <sk>}, each with the ids of the messages it carries. A test-side
     * Scan of a test table: the function never scans.
     */
    Map<String, List<String>> outbox() {
        Map<String, List<String>> items = new java.util.TreeMap<>();
        ddb.scanPaginator(b -> b.tableName(table).consistentRead(true)
                        .filterExpression("begins_with(sk, :outbox)")
                        .expressionAttributeValues(Map.of(":outbox", AttributeValue.fromS(Keys.OUTBOX_PREFIX))))
                .items().forEach(item -> items.put(item.get(Keys.PK).s() + " " + item.get(Keys.SK).s(),
                        OutboxItems.messagesOf(item).stream().map(OutboxMessage::messageId).toList()));
        return items;
    }

    /** Every message that reached MailQueue so far, in arrival order, duplicates included. */
    List<MailMessage> mail() {
        String url = queues.get("MailQueue");
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) {
                return List.copyOf(mailReceived);
            }
            for (Message m : batch) {
                mailReceived.add(Json.read(m.body(), MailMessage.class));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    List<String> emailIds() {
        return mail().stream().map(MailMessage::emailId).toList();
    }

    List<MailMessage> mailTo(String address) {
        return mail().stream().filter(m -> m.to().contains(address)).toList();
    }

    /** Integration events this harness's function put on its bus, oldest first. */
    List<CapturedEvent> events() {
        return backends.eventBridge().events().stream().filter(e -> e.eventBusName().equals(bus)).toList();
    }

    List<CapturedEvent> events(String detailType) {
        return events().stream().filter(e -> e.detailType().equals(detailType)).toList();
    }

    // --- the real mailer ----------------------------------------------------------------------------------------------

    /**
     * The mailer as MailerFunction runs it (templates, sent-email record, invoice check) on this harness's table, sending
     * to the SES capture.
     */
    MailerHandler mailer() {
        return new MailerHandler(TemplateRenderer.create(),
                SesMailSender.create(SesMailSender.client(AwsClients.Settings.forEndpoint(backends.ses().endpoint())),
                        "billing@example.com", null),
                DynamoDbSentEmailLog.create(ddb, table), InvoiceStatusCheck.dynamoDb(ddb, table), Clock.systemUTC(),
                MailerLog.to(mailerLog::add));
    }

    /** Hands {@code messages} to the mailer as one SQS batch each of at most 10, as Lambda's poller would. */
    List<String> deliver(List<MailMessage> messages) {
        MailerHandler mailer = mailer();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < messages.size(); i += 10) {
            List<SQSEvent.SQSMessage> records = new ArrayList<>();
            for (MailMessage m : messages.subList(i, Math.min(messages.size(), i + 10))) {
                var record = new SQSEvent.SQSMessage();
                record.setMessageId("sqs-" + records.size() + "-" + i);
                record.setReceiptHandle("rh-" + records.size() + "-" + i);
                record.setBody(Json.write(m));
                record.setEventSource("aws:sqs");
                records.add(record);
            }
            var event = new SQSEvent();
            event.setRecords(records);
            // The mailer is a stream handler: the batch goes in as Lambda's SQS JSON.
            SQSBatchResponse response = LambdaStreams.invoke(mailer, event, SQSBatchResponse.class);
            response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        }
        return failed;
    }

    /** Emails the SES capture received so far (shared by the test classes: clear it first). */
    List<CapturedEmail> sesEmails() {
        return backends.ses().emails();
    }

    static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
