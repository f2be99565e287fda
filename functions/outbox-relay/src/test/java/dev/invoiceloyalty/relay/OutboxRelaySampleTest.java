package dev.invoiceloyalty.relay;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.payments.PaymentMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code events/outbox-relay/outbox-inserted.json}, the sample {@code sam local invoke -e} uses: an invoice
 * creation's {@code OUTBOX#} item (the invoice-issued email and {@code InvoiceCreated}) and a Stripe payment's webhook
 * marker ({@code PaymentRecorded} for the bus and for the reward side, {@code InvoicePaid}), as the stream shows them.
 */
class OutboxRelaySampleTest {
    private static byte[] sample() throws IOException {
        return Files.readAllBytes(Path.of(RelayHarness.SAMPLE));
    }

    /** The messages of the sample, record by record, decoded as the relay decodes them. */
    private static List<OutboxMessage> messages() throws IOException {
        List<OutboxMessage> out = new ArrayList<>();
        for (JsonNode record : Json.mapper().readTree(sample()).get("Records")) {
            for (JsonNode m : record.path("dynamodb").path("NewImage").path("messages").path("L")) {
                out.add(Json.read(m.path("S").asText(), OutboxMessage.class));
            }
        }
        return out;
    }

    @Test
    void theSampleIsLambdasDynamoDbStreamEventOfTwoMarkedInserts() {
        DynamodbEvent event = EventLoader.loadDynamoDbEvent(RelayHarness.SAMPLE);

        assertEquals(2, event.getRecords().size());
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            assertEquals("INSERT", record.getEventName());
            assertEquals("aws:dynamodb", record.getEventSource());
            assertEquals("NEW_IMAGE", record.getDynamodb().getStreamViewType());
            assertTrue(record.getEventSourceARN().contains(":table/") && record.getEventSourceARN().contains("/stream/"));
            assertEquals("outbox", record.getDynamodb().getNewImage().get("relay").getS());
            assertTrue(record.getDynamodb().getNewImage().get("messages").getL().size() >= 2);
        }
    }

    @Test
    void theSampleCarriesWhatTheProducersWrite() throws IOException {
        List<OutboxMessage> messages = messages();

        assertEquals(List.of(OutboxMessage.Kind.MAIL, OutboxMessage.Kind.EVENT, OutboxMessage.Kind.EVENT,
                OutboxMessage.Kind.PAYMENT, OutboxMessage.Kind.EVENT), messages.stream().map(OutboxMessage::kind).toList());
        MailMessage issued = Json.read(messages.get(0).body(), MailMessage.class);
        Invoice created = Json.read(messages.get(1).body(), Invoice.class);
        PaymentMessage paid = Json.read(messages.get(3).body(), PaymentMessage.class);
        Invoice paidInvoice = Json.read(messages.get(4).body(), Invoice.class);
        assertEquals("invoice-issued#" + created.invoiceId(), issued.emailId());
        assertEquals("mail#" + issued.emailId(), messages.get(0).messageId());
        assertEquals(created.invoiceId(), paid.invoiceId());
        assertEquals(PaymentMessage.PAYMENT_RECORDED, messages.get(3).detailType());
        assertEquals(created.total(), paidInvoice.amountPaid());
    }

    @Test
    void handlingTheSamplePutsTheMailOnMailQueueThePaymentOnPaymentsQueueAndTheEventsOnTheBus() throws IOException {
        List<OutboxMessage> messages = messages();
        try (RelayHarness relay = new RelayHarness()) {
            RelayHarness.Answer answer = relay.relay(sample());

            assertEquals(List.of(), answer.failures());
            assertEquals(List.of(messages.get(0).body()), relay.mailBodies());
            assertEquals(List.of(messages.get(3).body()), relay.paymentBodies());
            assertEquals(List.of(
                    new CapturedEvent("invoice-loyalty", "InvoiceCreated", messages.get(1).body(), relay.bus),
                    new CapturedEvent("invoice-loyalty", "PaymentRecorded", messages.get(2).body(), relay.bus),
                    new CapturedEvent("invoice-loyalty", "InvoicePaid", messages.get(4).body(), relay.bus)),
                    relay.events());
            assertEquals(List.of("Sqs:SendMessage", "Sqs:SendMessage", "EventBridge:PutEvents"), relay.calls.calls());
        }
    }
}
