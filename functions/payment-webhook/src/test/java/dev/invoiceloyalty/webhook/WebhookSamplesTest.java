package dev.invoiceloyalty.webhook;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.amazonaws.services.lambda.runtime.tests.annotations.Events;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static dev.invoiceloyalty.webhook.WebhookHarness.CUSTOMER;
import static dev.invoiceloyalty.webhook.WebhookHarness.SAMPLE_CHARGE;
import static dev.invoiceloyalty.webhook.WebhookHarness.SAMPLE_INVOICE;
import static dev.invoiceloyalty.webhook.WebhookHarness.SAMPLE_PI;
import static dev.invoiceloyalty.webhook.WebhookHarness.SAMPLE_SQUARE_PAYMENT;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The signed samples of {@code events/payment-webhook/}, delivered unchanged (the files {@code sam local invoke -e}
 * uses), against a real invoice {@code inv_sample} of 110.00 EUR.
 */
class WebhookSamplesTest {
    static final String STRIPE_PAYMENT = "stripe-payment-intent-succeeded.json";
    static final String STRIPE_PAYMENT_BASE64 = "stripe-payment-intent-succeeded-base64.json";
    static final String STRIPE_REFUND = "stripe-charge-refunded.json";
    static final String STRIPE_DISPUTE_CREATED = "stripe-charge-dispute-created.json";
    static final String STRIPE_DISPUTE_LOST = "stripe-charge-dispute-closed-lost.json";
    static final String STRIPE_IGNORED = "stripe-customer-created-ignored.json";
    static final String SQUARE_PAYMENT = "square-payment-updated.json";
    static final String SQUARE_REFUND = "square-refund-updated.json";
    private static final String PAID_AT = "2026-11-22T09:00:00Z";

    private WebhookHarness h;

    @BeforeEach
    void sampleInvoice() {
        h = new WebhookHarness();
        h.givenSampleInvoice();
    }

    private List<WebhookHarness.Response> deliver(String... samples) {
        List<WebhookHarness.Response> out = new ArrayList<>();
        for (String s : samples) {
            var r = h.deliver(WebhookHarness.sample(s));
            assertEquals(200, r.status(), s + ": " + r.body());
            out.add(r);
        }
        return out;
    }

    private static List<JsonNode> ofType(List<JsonNode> messages, String type) {
        return messages.stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }

    @Test
    void theSamplesUsedHereAreEveryEventFileInTheDirectory() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(Path.of("../../events/payment-webhook"))) {
            list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(files::add);
        }

        assertEquals(new TreeSet<>(List.of(STRIPE_PAYMENT, STRIPE_PAYMENT_BASE64, STRIPE_REFUND, STRIPE_DISPUTE_CREATED,
                STRIPE_DISPUTE_LOST, STRIPE_IGNORED, SQUARE_PAYMENT, SQUARE_REFUND)), files);
    }

    @ParameterizedTest(name = "[{index}] GIVEN the open sample invoice WHEN a stored sample arrives unchanged THEN 200")
    @Events(type = APIGatewayV2HTTPEvent.class, events = {
            @Event("../../events/payment-webhook/" + STRIPE_PAYMENT),
            @Event("../../events/payment-webhook/" + STRIPE_PAYMENT_BASE64),
            @Event("../../events/payment-webhook/" + STRIPE_REFUND),
            @Event("../../events/payment-webhook/" + STRIPE_DISPUTE_CREATED),
            @Event("../../events/payment-webhook/" + STRIPE_DISPUTE_LOST),
            @Event("../../events/payment-webhook/" + STRIPE_IGNORED),
            @Event("../../events/payment-webhook/" + SQUARE_PAYMENT),
            @Event("../../events/payment-webhook/" + SQUARE_REFUND)})
    void givenTheOpenSampleInvoiceWhenAnyStoredSampleArrivesUnchangedThenItIsAcceptedWith200(APIGatewayV2HTTPEvent sample) {
        var r = h.deliver(sample);

        assertEquals(200, r.status(), sample.getRequestContext().getRequestId() + ": " + r.body());
        assertEquals("application/json", r.contentType());
        assertTrue(r.json().path("received").asBoolean());
    }

    @Test
    void givenTheOpenSampleInvoiceWhenTheStripePaymentSampleArrivesThenTheInvoiceIsPaidInFull() {
        var r = deliver(STRIPE_PAYMENT).get(0);

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        assertAll(
                () -> assertEquals("paid", r.outcome()),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(11000, inv.amountPaid()),
                () -> assertEquals(0, inv.amountDue()),
                () -> assertEquals(PAID_AT, inv.closedAt()),
                () -> assertEquals(List.of(new Invoice.Payment(SAMPLE_PI, "stripe", 11000, PAID_AT)), inv.payments()),
                () -> assertEquals(SAMPLE_INVOICE, h.stub("stripe", SAMPLE_PI).get("invoiceId").s()),
                () -> assertEquals("paid", h.dedup("stripe", "evt_3QxSample0PaySucceeded01").get("outcome").s()));
    }

    @Test
    void givenTheOpenSampleInvoiceWhenTheStripePaymentSampleArrivesThenPaymentRecordedGoesToPaymentsQueue() {
        deliver(STRIPE_PAYMENT);

        var messages = h.paymentMessages();
        assertEquals(1, messages.size(), messages.toString());
        JsonNode m = messages.get(0);
        assertAll(
                () -> assertEquals("PaymentRecorded", m.path("type").asText()),
                () -> assertEquals("PaymentRecorded#" + SAMPLE_INVOICE, m.path("messageId").asText()),
                () -> assertEquals(SAMPLE_INVOICE, m.path("invoiceId").asText()),
                () -> assertEquals(CUSTOMER, m.path("customerId").asText()),
                () -> assertEquals("EUR", m.path("currency").asText()),
                () -> assertEquals(11000, m.path("total").asLong()),
                () -> assertEquals(PAID_AT, m.path("paidAt").asText()),
                () -> assertEquals("2026-12-20", m.path("dueDate").asText()));
    }

    @Test
    void givenTheOpenSampleInvoiceWhenTheStripePaymentSampleArrivesThenPaymentRecordedCarriesTheThankYouEmail() {
        deliver(STRIPE_PAYMENT);

        assertEquals(List.of(), h.mailMessages(), "the webhook queues no email: the reward side queues the thank-you");
        var thanks = h.thankYouEmails();
        assertEquals(1, thanks.size(), thanks.toString());
        var m = thanks.get(0);
        assertAll(
                () -> assertEquals("payment-received#" + SAMPLE_INVOICE, m.emailId()),
                () -> assertEquals("payment-received", m.template()),
                () -> assertEquals("de", m.language()),
                () -> assertEquals(List.of("ap@mueller.example"), m.to()),
                () -> assertEquals(SAMPLE_INVOICE, m.invoiceId()),
                () -> assertEquals(Boolean.TRUE, m.model().get("paidOnTime")));
    }

    @Test
    void givenTheOpenSampleInvoiceWhenTheStripePaymentSampleArrivesThenPaymentRecordedAndInvoicePaidGoToTheBus() {
        deliver(STRIPE_PAYMENT);

        var events = h.busEvents();
        assertEquals(List.of("PaymentRecorded", "InvoicePaid"), events.stream().map(e -> e.detailType()).toList());
        assertTrue(events.stream().allMatch(e -> e.source().equals(SqsEventBridgeOutboxSender.SOURCE)));
        JsonNode recorded = WebhookHarness.tree(events.get(0).detail());
        assertEquals(SAMPLE_INVOICE, recorded.path("invoiceId").asText());
        assertEquals(SAMPLE_PI, recorded.path("payment").path("paymentId").asText());
        JsonNode paid = WebhookHarness.tree(events.get(1).detail());
        assertEquals("PAID", paid.path("status").asText());
        assertEquals(SAMPLE_INVOICE, paid.path("invoiceId").asText());
    }

    @Test
    void givenThePaidSampleInvoiceWhenTheStripeRefundSampleArrivesThenTheCumulative3000IsRecordedAndItStaysPaid() {
        deliver(STRIPE_PAYMENT);

        var r = deliver(STRIPE_REFUND).get(0);

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        assertAll(
                () -> assertEquals("refund-recorded", r.outcome()),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(3000, inv.amountRefunded()),
                () -> assertEquals(11000, inv.amountPaid()),
                () -> assertEquals(List.of(new Invoice.Refund(SAMPLE_CHARGE + "#3000", 3000, PAID_AT)), inv.refunds()));
    }

    @Test
    void givenThePaidSampleInvoiceWhenTheStripeRefundSampleArrivesThenRefundRecordedGoesToPaymentsQueue() {
        deliver(STRIPE_PAYMENT);
        h.paymentMessages();

        deliver(STRIPE_REFUND);

        var refunds = ofType(h.paymentMessages(), "RefundRecorded");
        assertEquals(1, refunds.size());
        JsonNode m = refunds.get(0);
        assertEquals("RefundRecorded#" + SAMPLE_INVOICE + "#" + SAMPLE_CHARGE + "#3000", m.path("messageId").asText());
        assertEquals(3000, m.path("amount").asLong());
        assertEquals(SAMPLE_CHARGE + "#3000", m.path("reference").asText());
        assertEquals(PAID_AT, m.path("paidAt").asText());
    }

    @Test
    void givenThePaidSampleInvoiceWhenTheDisputeCreatedSampleArrivesThenTheInvoiceIsDisputedAndStillPaid() {
        deliver(STRIPE_PAYMENT);

        var r = deliver(STRIPE_DISPUTE_CREATED).get(0);

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        assertAll(
                () -> assertEquals("dispute-opened", r.outcome()),
                () -> assertTrue(inv.disputed()),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(1, inv.disputes().size()),
                () -> assertEquals("needs_response", inv.disputes().get(0).status()),
                () -> assertNull(inv.disputes().get(0).closedAt()),
                () -> assertEquals(List.of("PaymentRecorded"),
                        h.paymentMessages().stream().map(m -> m.path("type").asText()).toList()));
    }

    @Test
    void givenAnOpenDisputeWhenTheDisputeClosedLostSampleArrivesThenDisputeLostGoesToPaymentsQueueAndTheDisputeCloses() {
        deliver(STRIPE_PAYMENT, STRIPE_DISPUTE_CREATED);

        var r = deliver(STRIPE_DISPUTE_LOST).get(0);

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        var lost = ofType(h.paymentMessages(), "DisputeLost");
        assertAll(
                () -> assertEquals("dispute-closed:lost", r.outcome()),
                () -> assertFalse(inv.disputed()),
                () -> assertEquals("lost", inv.disputes().get(0).status()),
                () -> assertEquals(PAID_AT, inv.disputes().get(0).closedAt()),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(1, lost.size()),
                () -> assertEquals("DisputeLost#" + SAMPLE_INVOICE + "#dp_1QxSample0Dispute000001",
                        lost.get(0).path("messageId").asText()),
                () -> assertEquals(11000, lost.get(0).path("amount").asLong()));
    }

    @Test
    void givenTheOpenSampleInvoiceWhenTheSquarePaymentSampleArrivesThenItIsPaidAndPublishedLikeAStripePayment() {
        var r = deliver(SQUARE_PAYMENT).get(0);

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        assertAll(
                () -> assertEquals("paid", r.outcome()),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(List.of(new Invoice.Payment(SAMPLE_SQUARE_PAYMENT, "square", 11000,
                        "2026-11-22T09:00:00.388Z")), inv.payments()),
                () -> assertEquals("2026-11-22T09:00:00.388Z", inv.closedAt()),
                () -> assertEquals(Set.of("PaymentRecorded#" + SAMPLE_INVOICE), h.distinctPaymentMessageIds()),
                () -> assertEquals(Set.of("payment-received#" + SAMPLE_INVOICE), h.distinctThankYouIds()),
                () -> assertEquals(Set.of("PaymentRecorded " + SAMPLE_INVOICE, "InvoicePaid " + SAMPLE_INVOICE),
                        h.distinctBusEvents()));
    }

    @Test
    void givenTheSquarePaidInvoiceWhenTheSquareRefundSampleArrivesThen3000IsRefundedAndRefundRecordedIsPublished() {
        deliver(SQUARE_PAYMENT);

        var r = deliver(SQUARE_REFUND).get(0);

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        String refundId = SAMPLE_SQUARE_PAYMENT + "_Sample0Refund0001";
        assertAll(
                () -> assertEquals("refund-recorded", r.outcome()),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(3000, inv.amountRefunded()),
                () -> assertEquals(List.of(new Invoice.Refund(refundId, 3000, "2026-11-22T09:00:00.701Z")), inv.refunds()),
                () -> assertEquals(Set.of("PaymentRecorded#" + SAMPLE_INVOICE,
                        "RefundRecorded#" + SAMPLE_INVOICE + "#" + refundId), h.distinctPaymentMessageIds()));
    }

    @Test
    void givenEverySampleDeliveredInOrderThenTheInvoiceHoldsEveryPaymentRefundAndDisputeAndLatePaymentsBecomeCredit() {
        var outcomes = deliver(STRIPE_IGNORED, STRIPE_PAYMENT, STRIPE_REFUND, STRIPE_DISPUTE_CREATED, STRIPE_DISPUTE_LOST,
                STRIPE_PAYMENT_BASE64, SQUARE_PAYMENT, SQUARE_REFUND).stream().map(WebhookHarness.Response::outcome).toList();

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        assertAll(
                () -> assertEquals("ignored", outcomes.get(0)),
                () -> assertEquals(List.of("paid", "refund-recorded", "dispute-opened", "dispute-closed:lost"),
                        outcomes.subList(1, 5)),
                () -> assertEquals("refund-recorded", outcomes.get(7)),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(3, inv.payments().size()),
                () -> assertEquals(33000, inv.amountPaid()),
                () -> assertEquals(22000, inv.amountCredited(), "the two payments after settlement are credit"),
                () -> assertEquals(6000, inv.amountRefunded()),
                () -> assertEquals(PAID_AT, inv.closedAt(), "the first payment settled it"),
                () -> assertEquals(java.util.Map.of("EUR", 22000L), h.customer().loyalty().credits()),
                () -> assertEquals(Set.of("PaymentRecorded#" + SAMPLE_INVOICE,
                        "RefundRecorded#" + SAMPLE_INVOICE + "#" + SAMPLE_CHARGE + "#3000",
                        "DisputeLost#" + SAMPLE_INVOICE + "#dp_1QxSample0Dispute000001",
                        "RefundRecorded#" + SAMPLE_INVOICE + "#" + SAMPLE_SQUARE_PAYMENT + "_Sample0Refund0001"),
                        h.distinctPaymentMessageIds()),
                () -> assertEquals(Set.of("payment-received#" + SAMPLE_INVOICE), h.distinctThankYouIds()));
    }

    @Test
    void givenEverySampleDeliveredWhenEachIsRedeliveredThenEveryRedeliveryIsADuplicateThatChangesAndSendsNothing() {
        String[] all = {STRIPE_PAYMENT, STRIPE_REFUND, STRIPE_DISPUTE_CREATED, STRIPE_DISPUTE_LOST, STRIPE_PAYMENT_BASE64,
                SQUARE_PAYMENT, SQUARE_REFUND};
        deliver(all);
        var before = h.snapshot();
        var paymentsBefore = h.paymentMessages();
        var eventsBefore = h.busEvents();

        var again = deliver(all);

        assertTrue(again.stream().allMatch(r -> "duplicate".equals(r.outcome())), again.toString());
        assertEquals(before, h.snapshot());
        assertEquals(paymentsBefore, h.paymentMessages(), "no message relayed again");
        assertEquals(eventsBefore, h.busEvents(), "no integration event relayed again");
        assertEquals(paymentsBefore.size(), h.distinctPaymentMessageIds().size(), "each payment message once");
        assertEquals(Set.of("payment-received#" + SAMPLE_INVOICE), h.distinctThankYouIds());
    }
}
