package dev.invoiceloyalty.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.IdempotencyRecord;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.local.LambdaStreams;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.invoiceloyalty.relay.RelayHarness.event;
import static dev.invoiceloyalty.relay.RelayHarness.mail;
import static dev.invoiceloyalty.relay.RelayHarness.payment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code OutboxRelayFunction} on real stream records: items written in DynamoDB transactions as the functions write
 * them, read from the table's stream and handed over as Lambda's event; what arrives on ElasticMQ and the EventBridge
 * capture is what the relay sent.
 */
class OutboxRelayHandlerTest {
    private final RelayHarness relay = new RelayHarness();

    @AfterEach
    void close() {
        relay.close();
    }

    @Test
    void mailGoesToMailQueuePaymentMessagesToPaymentsQueueAndEventsToTheBus() {
        OutboxMessage welcome = mail("cust-1");
        OutboxMessage created = event("inv_1");
        OutboxMessage paid = payment("inv_2");
        OutboxMessage createdToo = event("inv_2");
        relay.outbox(RelayHarness.invoicePk("inv_1"), welcome, created);
        relay.marker(Keys.webhookEventPk("stripe", "evt_1"), Keys.WEBHOOK_EVENT_SK, paid, createdToo);

        RelayHarness.Answer answer = relay.relay(relay.records());

        assertEquals(List.of(), answer.failures());
        assertEquals(List.of(welcome.body()), relay.mailBodies());
        assertEquals(List.of(paid.body()), relay.paymentBodies());
        assertEquals(List.of(new CapturedEvent(SqsEventBridgeOutboxSender.SOURCE, "InvoiceCreated", created.body(), relay.bus),
                        new CapturedEvent(SqsEventBridgeOutboxSender.SOURCE, "InvoiceCreated", createdToo.body(), relay.bus)),
                relay.events());
        assertEquals(List.of("Sqs:SendMessage", "Sqs:SendMessage", "EventBridge:PutEvents"), relay.calls.calls(),
                "one call per destination for the whole batch");
    }

    @Test
    void aBatchOfTwentyFiveOutboxesIsSentInBatchesOfTenPerDestination() {
        for (int i = 1; i <= 25; i++) {
            relay.outbox(RelayHarness.invoicePk("inv_" + i), mail("cust-" + i), event("inv_" + i));
        }
        List<ObjectNode> records = relay.records();

        RelayHarness.Answer answer = relay.relay(records);

        assertEquals(25, records.size());
        assertEquals(List.of(), answer.failures());
        assertEquals(List.of("Sqs:SendMessageBatch", "Sqs:SendMessageBatch", "Sqs:SendMessageBatch",
                        "EventBridge:PutEvents", "EventBridge:PutEvents", "EventBridge:PutEvents"), relay.calls.calls(),
                "50 messages in 6 calls: 10 + 10 + 5 per destination");
        List<String> mail = relay.mail();
        assertEquals(25, mail.size());
        assertEquals(25, mail.stream().distinct().count(), "each email once: " + mail);
        assertEquals(25, relay.events().size());
        assertTrue(relay.events().stream().allMatch(e -> e.source().equals("invoice-loyalty")
                && e.detailType().equals("InvoiceCreated")));
    }

    @Test
    void recordsThatAreNotInsertsOrCarryNoRelayMarkerAreSkipped() {
        OutboxMessage welcome = mail("cust-1");
        // An INSERT without the marker (the invoice item of the same transaction, say).
        relay.put("INVOICE#inv_1", "INVOICE", Map.of("status", Attr.s("OPEN")));
        // An INSERT with messages but another marker value.
        relay.put("INVOICE#inv_1", "NOTE", Map.of(OutboxItems.RELAY, Attr.s("manual"),
                OutboxItems.MESSAGES, AttributeValue.fromL(List.of(Attr.s(Json.write(mail("cust-9")))))));
        // The one outbox item, then a MODIFY and a REMOVE of it, both of which still show the marker or keys.
        relay.outbox(RelayHarness.invoicePk("inv_1"), welcome);
        String outboxSk = Keys.outboxSk(welcome.messageId());
        var key = Attr.key(RelayHarness.invoicePk("inv_1"), outboxSk);
        relay.dynamoDb().updateItem(b -> b.tableName(relay.table).key(key).updateExpression("SET inspected = :t")
                .expressionAttributeValues(Map.of(":t", Attr.s("yes"))));
        relay.dynamoDb().deleteItem(b -> b.tableName(relay.table).key(key));
        List<ObjectNode> records = relay.records();

        RelayHarness.Answer answer = relay.relay(records);

        assertEquals(List.of("INSERT", "INSERT", "INSERT", "MODIFY", "REMOVE"),
                records.stream().map(r -> r.path("eventName").asText()).toList());
        assertEquals(List.of(), answer.failures());
        assertEquals(List.of("welcome#cust-1"), relay.mail(), "only the inserted outbox item, once");
        assertEquals(List.of("Sqs:SendMessage"), relay.calls.calls());
    }

    @Test
    void anInvoiceCreationsOutboxReachesMailQueueAndTheBus() {
        // The stores of PUT /customers and POST /invoices, with the messages invoice-api announces.
        ProgramConfig config = ProgramConfig.defaults();
        Emails emails = new Emails(config, "Example Co");
        Customer customer = PrimingSamples.customer(config);
        Invoice invoice = PrimingSamples.invoice(config);
        MailMessage welcome = emails.welcome(customer);
        MailMessage issued = emails.invoiceIssued(invoice, customer);
        String response = Json.write(invoice);
        new DynamoDbCustomerStore(relay.dynamoDb(), relay.table).create(customer,
                List.of(OutboxMessage.mail(welcome.emailId(), Json.write(welcome))));
        new DynamoDbInvoiceStore(relay.dynamoDb(), relay.table).create(new DynamoDbInvoiceStore.NewInvoice(invoice,
                2026, 0, new IdempotencyRecord("POST /invoices", "key-1", "hash", 201, response,
                Keys.invoicePk(invoice.invoiceId())), List.of(),
                List.of(OutboxMessage.mail(issued.emailId(), Json.write(issued)),
                        OutboxMessage.event("InvoiceCreated#" + invoice.invoiceId(), "InvoiceCreated", response)), 0));
        List<ObjectNode> records = relay.records();

        RelayHarness.Answer answer = relay.relay(records);

        assertTrue(records.size() > 2, "the stores' other items are on the stream too: " + records.size());
        assertEquals(List.of(), answer.failures());
        assertEquals(List.of(welcome.emailId(), issued.emailId()), relay.mail());
        assertEquals(List.of(new CapturedEvent("invoice-loyalty", "InvoiceCreated", response, relay.bus)), relay.events());
        assertEquals(Json.read(response, Invoice.class), Json.read(relay.events().get(0).detail(), Invoice.class));
    }

    @Test
    void anEmptyBatchAnswersNoFailuresAndSendsNothing() {
        RelayHarness.Answer answer = relay.relay(Collections.emptyList());

        assertEquals("{\"batchItemFailures\":[]}", answer.json());
        assertEquals(List.of(), relay.calls.calls());
    }

    @Test
    void aBatchWithoutOutboxesAnswersNoFailuresAndSendsNothing() {
        relay.put("CUSTOMER#cust-1", "PROFILE", Map.of("name", Attr.s("Ada")));

        RelayHarness.Answer answer = relay.relay(relay.records());

        assertEquals(List.of(), answer.failures());
        assertEquals(List.of(), relay.calls.calls());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "null", "[]", "{}", "{\"Records\":{}}", "{\"Records\":\"none\"}",
            "{\"records\":[]}"})
    void anEventThatIsNotAStreamBatchFailsLoudly(String event) {
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);

        Exception thrown = assertThrows(Exception.class, () -> LambdaStreams.invoke(relay.handler(), bytes));

        assertTrue(thrown instanceof java.io.UncheckedIOException || thrown instanceof IllegalArgumentException,
                "a read error, not a silent answer: " + thrown);
        assertEquals(List.of(), relay.calls.calls());
    }

    @Test
    void aRecordWithoutASequenceNumberFailsTheWholeBatchLoudly() {
        relay.outbox(RelayHarness.invoicePk("inv_1"), mail("cust-1"));
        ObjectNode record = relay.records().get(0);
        ((ObjectNode) record.get("dynamodb")).remove("SequenceNumber");

        assertThrows(IllegalArgumentException.class, () -> relay.relay(List.of(record)));

        assertEquals(List.of(), relay.calls.calls());
    }

    @Test
    void theAnswerIsWrittenWithoutClosingTheRuntimesStream() throws Exception {
        relay.outbox(RelayHarness.invoicePk("inv_1"), mail("cust-1"));
        byte[] event = dev.invoiceloyalty.local.TableStream.bytes(
                dev.invoiceloyalty.local.TableStream.event(relay.records()));
        boolean[] closed = {false};
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        relay.handler().handleRequest(new ByteArrayInputStream(event), out, null);

        assertEquals("{\"batchItemFailures\":[]}", out.toString(StandardCharsets.UTF_8));
        assertFalse(closed[0], "the runtime owns the stream");
    }
}
