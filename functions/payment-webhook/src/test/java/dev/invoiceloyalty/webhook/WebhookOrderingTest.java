package dev.invoiceloyalty.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.invoiceloyalty.webhook.WebhookHarness.NOW;
import static dev.invoiceloyalty.webhook.WebhookHarness.SAMPLE_CHARGE;
import static dev.invoiceloyalty.webhook.WebhookHarness.SAMPLE_INVOICE;
import static dev.invoiceloyalty.webhook.WebhookHarness.SAMPLE_PI;
import static dev.invoiceloyalty.webhook.WebhookHarness.SAMPLE_SQUARE_PAYMENT;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** SPEC §5: delivery is unordered; a refund before its payment is held and applied when the payment arrives. */
class WebhookOrderingTest {
    private static final String REFUND_ID = SAMPLE_CHARGE + "#3000";
    private WebhookHarness h;

    @BeforeEach
    void sampleInvoice() {
        h = new WebhookHarness();
        h.givenSampleInvoice();
    }

    private WebhookHarness.Response deliver(String sample) {
        var r = h.deliver(WebhookHarness.sample(sample));
        assertEquals(200, r.status(), sample + ": " + r.body());
        return r;
    }

    private WebhookHarness.Response refund(String eventId, long cumulative, Instant at) {
        var r = h.stripe(WebhookHarness.stripeRefund(eventId, SAMPLE_CHARGE, SAMPLE_PI, cumulative, SAMPLE_INVOICE, at));
        assertEquals(200, r.status(), r.body());
        return r;
    }

    @Test
    void givenARefundBeforeItsPaymentWhenItArrivesThenItIsHeldOnThePaymentAndTheInvoiceIsUnchanged() {
        var invoiceBefore = h.item(Keys.invoicePk(SAMPLE_INVOICE), Keys.INVOICE_SK);

        var r = deliver(WebhookSamplesTest.STRIPE_REFUND);

        var stub = h.stub("stripe", SAMPLE_PI);
        assertAll(
                () -> assertEquals("refund-held", r.outcome()),
                () -> assertEquals(invoiceBefore, h.item(Keys.invoicePk(SAMPLE_INVOICE), Keys.INVOICE_SK)),
                () -> assertEquals(null, stub.get("invoiceId"), "the payment is not recorded yet"),
                () -> assertEquals(1, stub.get("heldRefunds").l().size()),
                () -> assertEquals(SAMPLE_CHARGE, stub.get("heldRefunds").l().get(0).m().get("refundId").s()),
                () -> assertEquals(List.of(), h.paymentMessages()));
    }

    @Test
    void givenAHeldRefundWhenThePaymentArrivesThenTheInvoiceIsPaidWithTheRefundApplied() {
        deliver(WebhookSamplesTest.STRIPE_REFUND);

        deliver(WebhookSamplesTest.STRIPE_PAYMENT);

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        assertAll(
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(11000, inv.amountPaid()),
                () -> assertEquals(3000, inv.amountRefunded()),
                () -> assertEquals(List.of(new Invoice.Refund(REFUND_ID, 3000, "2026-11-22T09:00:00Z")), inv.refunds()));
    }

    @Test
    void givenAHeldRefundWhenThePaymentArrivesThenTheQueueMessagesEqualThoseOfTheInOrderDelivery() {
        // In order: PaymentRecorded, then RefundRecorded so the reward side can reverse the refunded part.
        var inOrder = new WebhookHarness();
        inOrder.givenSampleInvoice();
        inOrder.deliver(WebhookHarness.sample(WebhookSamplesTest.STRIPE_PAYMENT));
        inOrder.deliver(WebhookHarness.sample(WebhookSamplesTest.STRIPE_REFUND));
        Set<String> expected = inOrder.distinctPaymentMessageIds(); // read now: the harnesses share the queues
        deliver(WebhookSamplesTest.STRIPE_REFUND);

        deliver(WebhookSamplesTest.STRIPE_PAYMENT);

        assertEquals(Set.of("PaymentRecorded#" + SAMPLE_INVOICE, "RefundRecorded#" + SAMPLE_INVOICE + "#" + REFUND_ID),
                expected, "the in-order delivery");
        assertEquals(expected, h.distinctPaymentMessageIds(),
                "a refund held before its payment must still reach the reward side once the invoice is paid");
    }

    @Test
    void givenASquareRefundBeforeItsPaymentWhenThePaymentArrivesThenTheRefundIsApplied() {
        deliver(WebhookSamplesTest.SQUARE_REFUND);

        deliver(WebhookSamplesTest.SQUARE_PAYMENT);

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        assertEquals(InvoiceStatus.PAID, inv.status());
        assertEquals(3000, inv.amountRefunded());
        assertEquals(SAMPLE_SQUARE_PAYMENT + "_Sample0Refund0001", inv.refunds().get(0).refundId());
    }

    @Test
    void givenAStripeCumulativeRefundOf5000WhenTheOlder3000ArrivesLateThenAmountRefundedStays5000() {
        deliver(WebhookSamplesTest.STRIPE_PAYMENT);
        refund("evt_refund_5000", 5000, NOW.minusSeconds(60));

        var late = refund("evt_refund_3000", 3000, NOW.minusSeconds(120));

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        List<JsonNode> refunds = h.paymentMessages().stream()
                .filter(m -> m.path("type").asText().equals("RefundRecorded")).toList();
        assertAll(
                () -> assertEquals("refund-already-recorded", late.outcome()),
                () -> assertEquals(5000, inv.amountRefunded()),
                () -> assertEquals(1, inv.refunds().size()),
                () -> assertEquals(1, refunds.size()),
                () -> assertEquals(5000, refunds.get(0).path("amount").asLong()),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()));
    }

    @Test
    void givenAStripeCumulativeRefundOf3000WhenTheLater5000ArrivesThenOnlyTheDifferenceIsRefundedAgain() {
        deliver(WebhookSamplesTest.STRIPE_PAYMENT);
        refund("evt_refund_3000", 3000, NOW.minusSeconds(120));

        refund("evt_refund_5000", 5000, NOW.minusSeconds(60));

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        assertEquals(5000, inv.amountRefunded());
        assertEquals(List.of(3000L, 2000L), inv.refunds().stream().map(Invoice.Refund::amount).toList());
    }

    @Test
    void givenTwoCumulativeRefundsHeldInReverseOrderWhenThePaymentArrivesThenAmountRefundedIsTheLargerTotal() {
        refund("evt_refund_5000", 5000, NOW.minusSeconds(60));
        refund("evt_refund_3000", 3000, NOW.minusSeconds(120));

        deliver(WebhookSamplesTest.STRIPE_PAYMENT);

        assertEquals(5000, h.invoice(SAMPLE_INVOICE).amountRefunded());
    }

    @Test
    void givenADisputeOpenedAndLostBeforeThePaymentArrivesThenTheInvoiceAndQueueMessagesEqualThoseOfTheInOrderDelivery() {
        var inOrder = new WebhookHarness();
        inOrder.givenSampleInvoice();
        for (String s : List.of(WebhookSamplesTest.STRIPE_PAYMENT, WebhookSamplesTest.STRIPE_DISPUTE_CREATED,
                WebhookSamplesTest.STRIPE_DISPUTE_LOST)) {
            inOrder.deliver(WebhookHarness.sample(s));
        }
        Set<String> expectedIds = inOrder.distinctPaymentMessageIds(); // read now: the harnesses share the queues
        deliver(WebhookSamplesTest.STRIPE_DISPUTE_CREATED);
        deliver(WebhookSamplesTest.STRIPE_DISPUTE_LOST);

        deliver(WebhookSamplesTest.STRIPE_PAYMENT);

        Invoice expected = inOrder.invoice(SAMPLE_INVOICE);
        Invoice actual = h.invoice(SAMPLE_INVOICE);
        assertAll(
                () -> assertEquals(expected.status(), actual.status()),
                () -> assertEquals(expected.disputes(), actual.disputes()),
                () -> assertEquals(expected.disputed(), actual.disputed()),
                () -> assertEquals(Set.of("PaymentRecorded#" + SAMPLE_INVOICE,
                        "DisputeLost#" + SAMPLE_INVOICE + "#dp_1QxSample0Dispute000001"),
                        expectedIds, "the in-order delivery"),
                () -> assertEquals(expectedIds, h.distinctPaymentMessageIds(),
                        "a dispute lost before the payment arrived must still reach the reward side once the invoice is paid"));
    }
}
