package dev.invoiceloyalty.webhook;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.invoiceloyalty.webhook.WebhookHarness.NOW;
import static dev.invoiceloyalty.webhook.WebhookHarness.SAMPLE_INVOICE;
import static dev.invoiceloyalty.webhook.WebhookHarness.SAMPLE_PI;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At-least-once delivery: the same event many times at once is applied once; different events on one invoice at once
 * are all applied. Only the delivery whose transaction commits writes the messages, and the relay sends what the
 * table's stream shows committed, so each message reaches its queue once; the assertions on consumers' views are
 * made after their dedup by message id (PaymentsQueue) and email id (MailQueue), as SPEC §5 states the guarantee.
 */
class WebhookConcurrencyTest {
    private WebhookHarness h;

    @BeforeEach
    void sampleInvoice() {
        h = new WebhookHarness();
        h.givenSampleInvoice();
    }

    /** Delivers every event on its own thread, all released together by a barrier. */
    private List<WebhookHarness.Response> atOnce(List<APIGatewayV2HTTPEvent> deliveries) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(deliveries.size());
        CyclicBarrier go = new CyclicBarrier(deliveries.size());
        try {
            List<Future<WebhookHarness.Response>> futures = new ArrayList<>();
            for (var event : deliveries) {
                futures.add(pool.submit((Callable<WebhookHarness.Response>) () -> {
                    go.await(30, TimeUnit.SECONDS);
                    return h.deliver(event);
                }));
            }
            List<WebhookHarness.Response> out = new ArrayList<>();
            for (var f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, Long> countBy(List<WebhookHarness.Response> responses,
                                             Function<WebhookHarness.Response, String> key) {
        return responses.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }

    @Test
    void givenTheSameEventDeliveredTenTimesAtOnceThenOnePaymentIsRecordedAndEveryDeliveryAnswers200() throws Exception {
        var event = WebhookHarness.sample(WebhookSamplesTest.STRIPE_PAYMENT);

        var responses = atOnce(java.util.Collections.nCopies(10, event));

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        assertAll(
                () -> assertEquals(Map.of("200", 10L), countBy(responses, r -> String.valueOf(r.status())),
                        responses.toString()),
                () -> assertEquals(Map.of("paid", 1L, "duplicate", 9L), countBy(responses, WebhookHarness.Response::outcome)),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(1, inv.payments().size()),
                () -> assertEquals(11000, inv.amountPaid()),
                () -> assertEquals(0, inv.amountCredited(), "nothing counted twice as overpayment"),
                () -> assertEquals(Map.of(), h.customer().loyalty().credits()));
    }

    @Test
    void givenTheSameEventDeliveredTenTimesAtOnceThenAfterConsumerDedupOnePaymentRecordedAndOneEmailRemain()
            throws Exception {
        var event = WebhookHarness.sample(WebhookSamplesTest.STRIPE_PAYMENT);

        atOnce(java.util.Collections.nCopies(10, event));

        var payments = h.paymentMessages();
        assertAll(
                () -> assertEquals(1, payments.size(), "one transaction committed, so one message was relayed"),
                () -> assertEquals(Set.of("PaymentRecorded#" + SAMPLE_INVOICE), h.distinctPaymentMessageIds()),
                () -> assertEquals(Set.of("payment-received#" + SAMPLE_INVOICE), h.distinctThankYouIds()),
                () -> assertEquals(Set.of("PaymentRecorded " + SAMPLE_INVOICE, "InvoicePaid " + SAMPLE_INVOICE),
                        h.distinctBusEvents()),
                () -> assertEquals(2, h.busEvents().size(), "each integration event once"));
    }

    @Test
    void givenTwoDifferentPaymentsOnOneInvoiceAtOnceThenBothCountAndTheInvoiceIsPaidExactlyOnce() throws Exception {
        var first = WebhookHarness.signedStripe(WebhookHarness.stripePayment("evt_c1", "pi_c1", 5000, "EUR",
                SAMPLE_INVOICE, NOW.minusSeconds(30)));
        var second = WebhookHarness.signedStripe(WebhookHarness.stripePayment("evt_c2", "pi_c2", 6000, "EUR",
                SAMPLE_INVOICE, NOW.minusSeconds(20)));

        var responses = atOnce(List.of(first, second));

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        assertAll(
                () -> assertTrue(responses.stream().allMatch(r -> r.status() == 200), responses.toString()),
                () -> assertEquals(Set.of("paid", "partially_paid"),
                        Set.copyOf(responses.stream().map(WebhookHarness.Response::outcome).toList())),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(11000, inv.amountPaid()),
                () -> assertEquals(Set.of("pi_c1", "pi_c2"),
                        Set.copyOf(inv.payments().stream().map(Invoice.Payment::paymentId).toList())),
                () -> assertEquals(NOW.minusSeconds(20).toString(), inv.closedAt()),
                () -> assertEquals(Set.of("PaymentRecorded#" + SAMPLE_INVOICE), h.distinctPaymentMessageIds()),
                () -> assertEquals(1, h.paymentMessages().size(), "only the completing payment publishes"),
                () -> assertEquals(Set.of("payment-received#" + SAMPLE_INVOICE), h.distinctThankYouIds()));
    }

    @Test
    void givenFiveDifferentPaymentsOnOneInvoiceAtOnceThenAllCountAndTheExcessBecomesCreditOnce() throws Exception {
        List<APIGatewayV2HTTPEvent> deliveries = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            deliveries.add(WebhookHarness.signedStripe(WebhookHarness.stripePayment("evt_f" + i, "pi_f" + i, 3000, "EUR",
                    SAMPLE_INVOICE, NOW.minusSeconds(60 - i))));
        }

        var responses = atOnce(deliveries);

        Invoice inv = h.invoice(SAMPLE_INVOICE);
        assertAll(
                () -> assertTrue(responses.stream().allMatch(r -> r.status() == 200), responses.toString()),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(15000, inv.amountPaid()),
                () -> assertEquals(5, inv.payments().size()),
                () -> assertEquals(4000, inv.amountCredited()),
                () -> assertEquals(Map.of("EUR", 4000L), h.customer().loyalty().credits()),
                () -> assertEquals(Set.of("PaymentRecorded#" + SAMPLE_INVOICE), h.distinctPaymentMessageIds()));
    }

    @Test
    void givenAPaymentAndItsRefundDeliveredAtOnceThenTheRefundIsNeverLost(TestInfo test) throws Exception {
        // Either the refund is held and the payment applies it, or the payment lands first and the refund follows:
        // the heldCount guard makes the interleaving in between impossible. Five rounds on fresh invoices.
        for (int round = 1; round <= 5; round++) {
            String inv = "inv_race_" + round;
            h.createInvoice(inv);
            var payment = WebhookHarness.signedStripe(WebhookHarness.stripePayment("evt_rp" + round, "pi_r" + round,
                    11000, "EUR", inv, NOW));
            var refund = WebhookHarness.signedStripe(WebhookHarness.stripeRefund("evt_rr" + round, "ch_r" + round,
                    "pi_r" + round, 3000, inv, NOW));

            var responses = atOnce(List.of(payment, refund));

            int r = round;
            Invoice after = h.invoice(inv);
            assertAll("round " + r,
                    () -> assertTrue(responses.stream().allMatch(x -> x.status() == 200), responses.toString()),
                    () -> assertEquals(InvoiceStatus.PAID, after.status()),
                    () -> assertEquals(3000, after.amountRefunded(), test.getDisplayName()));
        }
    }

    @Test
    void givenAProcessedEventWhenItIsRedeliveredThenItAnswersDuplicateAndNothingIsWrittenOrSentAgain() {
        var event = WebhookHarness.sample(WebhookSamplesTest.STRIPE_PAYMENT);
        h.deliver(event);
        var firstPayments = h.paymentMessages();
        var firstEvents = h.busEvents();
        int relayedFirst = h.relayedMessages();
        var before = h.snapshot();

        var again = h.deliver(event);

        assertAll(
                () -> assertEquals(200, again.status()),
                () -> assertEquals("duplicate", again.outcome()),
                () -> assertEquals("evt_3QxSample0PaySucceeded01", again.json().path("eventId").asText()),
                () -> assertEquals(before, h.snapshot(), "a redelivery writes nothing"),
                () -> assertEquals(3, relayedFirst, "the first delivery's messages were relayed"),
                () -> assertEquals(relayedFirst, h.relayedMessages(), "the redelivery gives the relay nothing"),
                () -> assertEquals(firstPayments, h.paymentMessages(), "PaymentRecorded once"),
                () -> assertEquals(1, firstPayments.size()),
                () -> assertEquals(List.of(), h.mailMessages(), "the webhook queues no email"),
                () -> assertEquals(firstEvents, h.busEvents(), "PaymentRecorded and InvoicePaid once"),
                () -> assertEquals(Set.of("payment-received#" + SAMPLE_INVOICE), h.distinctThankYouIds()),
                () -> assertEquals(1, h.invoice(SAMPLE_INVOICE).payments().size()),
                () -> assertEquals(SAMPLE_PI, h.invoice(SAMPLE_INVOICE).payments().get(0).paymentId()));
    }
}
