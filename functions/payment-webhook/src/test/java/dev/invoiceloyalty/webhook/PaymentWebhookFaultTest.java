package dev.invoiceloyalty.webhook;

import dev.invoiceloyalty.local.ThrottledTransactions;
import dev.invoiceloyalty.local.SdkCalls;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.invoiceloyalty.webhook.WebhookHarness.NOW;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §5: "If the function dies at any point, the provider's retry must lead to the same end state with nothing lost
 * and nothing doubled." The function's work on an event is one BatchGetItem and one TransactWriteItems whose dedup
 * record carries the event's messages; {@code OutboxRelayFunction} sends them from the table's stream (the harness
 * relays after every delivery, as it would). So a death anywhere either loses the whole change (the retry makes it)
 * or keeps the whole change with its messages (the retry is a duplicate with nothing to send): each message reaches
 * PaymentsQueue and the bus exactly once, counted on the queue and the bus themselves, before any consumer dedup.
 */
class PaymentWebhookFaultTest {
    private static final String INV = "inv_fault";
    private static final int MAX_REDELIVERIES = 3;

    /** What happened before the event under test, and the event. */
    enum Scenario {
        /** An overpaying payment that completes the invoice: every publication plus the credit writes. */
        COMPLETING_PAYMENT(h -> { }, payment(11500)),
        /** A refund of a paid invoice: RefundRecorded. */
        REFUND_OF_PAID_INVOICE(h -> h.deliver(payment(11000)), refund()),
        /** A payment whose refund arrived first and is held on the payment stub. */
        PAYMENT_WITH_HELD_REFUND(h -> h.deliver(refund()), payment(11000));

        final Consumer<WebhookHarness> before;
        final APIGatewayV2HTTPEvent event;

        Scenario(Consumer<WebhookHarness> before, APIGatewayV2HTTPEvent event) {
            this.before = before;
            this.event = event;
        }

        String eventId() {
            return this == REFUND_OF_PAID_INVOICE ? "evt_fault_refund" : "evt_fault_pay";
        }
    }

    private static APIGatewayV2HTTPEvent payment(long amount) {
        return WebhookHarness.signedStripe(WebhookHarness.stripePayment("evt_fault_pay", "pi_fault", amount, "EUR", INV,
                NOW.minusSeconds(60)));
    }

    private static APIGatewayV2HTTPEvent refund() {
        return WebhookHarness.signedStripe(WebhookHarness.stripeRefund("evt_fault_refund", "ch_fault", "pi_fault", 3000,
                INV, NOW.minusSeconds(30)));
    }

    /**
     * Everything the end state is compared on. The message lists are what reached PaymentsQueue, MailQueue and the bus,
     * every copy counted (sorted, so only the order of arrival is ignored).
     */
    record EndState(ObjectNode invoice, Map<String, AttributeValue> paymentStub, String dedupOutcome,
                    List<String> dedupMessages, Map<String, Long> credits, List<String> paymentsQueue,
                    List<String> mailQueue, List<String> bus, List<Map<String, AttributeValue>> table) {
        static EndState of(WebhookHarness h, String eventId) {
            ObjectNode invoice = Json.mapper().valueToTree(h.invoice(INV));
            invoice.remove("updatedAt");
            var dedup = h.dedup("stripe", eventId);
            List<String> messages = dedup == null ? List.of() : dedup.get("messages").l().stream()
                    .map(v -> Json.read(v.s(), OutboxMessage.class).messageId()).toList();
            return new EndState(invoice, h.stub("stripe", "pi_fault"), dedup == null ? null : dedup.get("outcome").s(),
                    messages, h.customer().loyalty().credits(), sorted(h.paymentMessages(), "messageId"),
                    sorted(h.mailMessages(), "emailId"), busEvents(h), h.snapshot());
        }
    }

    private static List<String> sorted(List<JsonNode> messages, String field) {
        return messages.stream().map(m -> m.path(field).asText()).sorted().toList();
    }

    /** The integration events on the harness's bus as "detailType invoiceId", every copy counted. */
    private static List<String> busEvents(WebhookHarness h) {
        return h.busEvents().stream()
                .map(e -> e.detailType() + " " + WebhookHarness.tree(e.detail()).path("invoiceId").asText())
                .sorted().toList();
    }

    /** One delivery as the provider saw it, and how many messages the relay sent after it. */
    record Delivery(int status, String outcome, int relayed) {
    }

    record Run(SdkCalls calls, WebhookHarness harness, List<Delivery> deliveries, EndState end) {
        List<Integer> statuses() {
            return deliveries.stream().map(Delivery::status).toList();
        }
    }

    private static WebhookHarness harness(Scenario scenario, ExecutionInterceptor... interceptors) {
        var h = new WebhookHarness(List.of(interceptors), List.of(WebhookHarness.STRIPE_SECRET));
        h.createCustomer();
        h.createInvoice(INV);
        scenario.before.accept(h);
        return h;
    }

    private static Delivery deliver(WebhookHarness h, APIGatewayV2HTTPEvent event) {
        int relayedBefore = h.relayedMessages();
        var r = h.deliver(event);
        return new Delivery(r.status(), r.outcome(), h.relayedMessages() - relayedBefore);
    }

    /** The provider's behaviour: redeliver while the answer is not a 200. */
    private static List<Delivery> untilAccepted(WebhookHarness h, APIGatewayV2HTTPEvent event) {
        List<Delivery> deliveries = new ArrayList<>();
        deliveries.add(deliver(h, event));
        for (int i = 0; i < MAX_REDELIVERIES && deliveries.get(deliveries.size() - 1).status() != 200; i++) {
            deliveries.add(deliver(h, event));
        }
        return deliveries;
    }

    private static Run run(Scenario scenario, SdkCalls calls) {
        var h = harness(scenario, calls);
        calls.arm();
        List<Delivery> deliveries = untilAccepted(h, scenario.event);
        calls.disarm();
        return new Run(calls, h, deliveries, EndState.of(h, scenario.eventId()));
    }

    private static final Map<Scenario, Run> BASELINES = new EnumMap<>(Scenario.class);

    private static synchronized Run baseline(Scenario scenario) {
        return BASELINES.computeIfAbsent(scenario, s -> {
            Run r = run(s, SdkCalls.recording());
            System.out.println("fault-free " + s + ": " + r.calls().calls().size() + " SDK calls " + r.calls().calls());
            return r;
        });
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Scenario s : Scenario.values()) {
            List<String> calls = baseline(s).calls().calls();
            for (int k = 1; k <= calls.size(); k++) {
                for (SdkCalls.When when : SdkCalls.When.values()) {
                    out.add(Arguments.of(s, k, calls.get(k - 1), when));
                }
            }
        }
        System.out.println("fault matrix: " + out.size() + " runs (each scenario's calls x {BEFORE, AFTER})");
        return out.stream();
    }

    @Test
    void givenNoFaultACompletingPaymentIsOneBatchGetItemAndOneTransactWriteItemsAndTheRelayDeliversEachMessageOnce() {
        Run r = baseline(Scenario.COMPLETING_PAYMENT);

        assertEquals(List.of(new Delivery(200, "paid", 3)), r.deliveries());
        // Issue 8: the warm path of a paying event reads once and writes once, and sends nothing itself.
        assertEquals(List.of("DynamoDb:BatchGetItem", "DynamoDb:TransactWriteItems"), r.calls().calls());
        assertEquals(List.of("PaymentRecorded#" + INV), r.end().paymentsQueue());
        assertEquals(List.of(), r.end().mailQueue(), "the reward side queues the thank-you");
        assertEquals(List.of("InvoicePaid " + INV, "PaymentRecorded " + INV), r.end().bus());
        assertEquals(List.of("event#PaymentRecorded#stripe#pi_fault", "payment#PaymentRecorded#" + INV,
                        "event#InvoicePaid#" + INV),
                r.end().dedupMessages(), "the messages ride on the dedup record");
        assertEquals(Map.of("EUR", 500L), r.end().credits());
    }

    @ParameterizedTest(name = "GIVEN no fault WHEN {0} is delivered THEN each of its messages is relayed once")
    @EnumSource(Scenario.class)
    void givenNoFaultWhenTheEventIsDeliveredThenEachOfItsMessagesIsRelayedOnce(Scenario scenario) {
        Run r = baseline(scenario);

        EndState end = r.end();
        assertAll(
                () -> assertEquals(List.of(200), r.statuses()),
                () -> assertFalse(end.paymentsQueue().isEmpty() && end.bus().isEmpty(), "the event announces something"),
                () -> assertEquals(Set.copyOf(end.paymentsQueue()).size(), end.paymentsQueue().size(),
                        "PaymentsQueue: " + end.paymentsQueue()),
                () -> assertEquals(Set.copyOf(end.bus()).size(), end.bus().size(), "bus: " + end.bus()),
                () -> assertEquals(end.dedupMessages().size(), r.deliveries().get(0).relayed(),
                        "the relay sends what the event's dedup record carries"));
    }

    @Test
    void givenTheFunctionDiesRightAfterTheTransactionCommitsWhenTheProviderRetriesThenItIsADuplicateAndEachMessageIsRelayedOnce() {
        EndState expected = baseline(Scenario.COMPLETING_PAYMENT).end();

        // Call 2 is the TransactWriteItems: DynamoDB commits it, then the function fails before it can answer.
        Run r = run(Scenario.COMPLETING_PAYMENT, SdkCalls.failing(2, SdkCalls.When.AFTER));

        assertAll(
                () -> assertEquals(List.of("DynamoDb:BatchGetItem", "DynamoDb:TransactWriteItems",
                        "DynamoDb:BatchGetItem", "DynamoDb:TransactWriteItems"), r.calls().calls()),
                () -> assertEquals(List.of(new Delivery(500, null, 3), new Delivery(200, "duplicate", 0)), r.deliveries(),
                        "the relay sent the committed messages although the function died; the retry sends nothing"),
                () -> assertEquals(List.of("PaymentRecorded#" + INV), r.end().paymentsQueue(), "once, not re-sent"),
                () -> assertEquals(List.of("InvoicePaid " + INV, "PaymentRecorded " + INV), r.end().bus(), "once each"),
                () -> assertEquals(expected, r.end(), "the same end state as without the fault"));
    }

    @Test
    void givenTheAnswerIsLostAfterTheCommitWhenTheProviderRetriesThenItIsADuplicateAndNothingIsDoubled() {
        EndState expected = baseline(Scenario.COMPLETING_PAYMENT).end();
        var h = harness(Scenario.COMPLETING_PAYMENT);

        var died = h.deliverAndLoseTheAnswer(Scenario.COMPLETING_PAYMENT.event);
        int relayedAfterTheLostAnswer = h.relayedMessages();
        var retry = deliver(h, Scenario.COMPLETING_PAYMENT.event);

        EndState end = EndState.of(h, Scenario.COMPLETING_PAYMENT.eventId());
        assertAll(
                () -> assertNotNull(died, "the invocation failed, so API Gateway answers the provider with a 5xx"),
                () -> assertEquals(3, relayedAfterTheLostAnswer, "the change was committed with its messages"),
                () -> assertEquals(new Delivery(200, "duplicate", 0), retry),
                () -> assertEquals(List.of("PaymentRecorded#" + INV), end.paymentsQueue()),
                () -> assertEquals(List.of("InvoicePaid " + INV, "PaymentRecorded " + INV), end.bus()),
                () -> assertEquals(expected, end));
    }

    @Test
    void givenTransactWriteItemsIsThrottledWhenThePaymentArrivesThenNothingIsWrittenOrRelayedAndTheRetrySucceedsOnce() {
        EndState expected = baseline(Scenario.COMPLETING_PAYMENT).end();
        var throttle = new ThrottledTransactions();
        var h = harness(Scenario.COMPLETING_PAYMENT, throttle);
        var before = h.snapshot();

        throttle.on();
        var throttled = deliver(h, Scenario.COMPLETING_PAYMENT.event);
        throttle.off();
        var afterThrottle = h.snapshot();
        var queuedAfterThrottle = h.paymentMessages();
        int eventsAfterThrottle = h.busEvents().size();
        var retry = deliver(h, Scenario.COMPLETING_PAYMENT.event);

        EndState end = EndState.of(h, Scenario.COMPLETING_PAYMENT.eventId());
        assertAll(
                () -> assertEquals(1, throttle.throttled(), "the one transaction was refused"),
                () -> assertEquals(new Delivery(500, null, 0), throttled, "a 5xx, so the provider retries"),
                () -> assertEquals(before, afterThrottle, "nothing written"),
                () -> assertEquals(List.of(), queuedAfterThrottle, "nothing relayed to PaymentsQueue"),
                () -> assertEquals(0, eventsAfterThrottle, "nothing relayed to the bus"),
                () -> assertEquals(new Delivery(200, "paid", 3), retry, "the retry applies the payment"),
                () -> assertEquals(List.of("PaymentRecorded#" + INV), end.paymentsQueue(), "once"),
                () -> assertEquals(List.of("InvoicePaid " + INV, "PaymentRecorded " + INV), end.bus(), "once each"),
                () -> assertEquals(expected, end));
    }

    @ParameterizedTest(name = "GIVEN {0} WHEN call {1} ({2}) fails {3} it AND the provider redelivers THEN the end state equals the fault-free run")
    @MethodSource("matrix")
    void givenAFaultAtAnySdkCallWhenTheProviderRedeliversThenTheEndStateEqualsTheFaultFreeRun(
            Scenario scenario, int k, String call, SdkCalls.When when) {
        EndState expected = baseline(scenario).end();

        Run r = run(scenario, SdkCalls.failing(k, when));

        EndState actual = r.end();
        assertAll(
                () -> assertTrue(r.calls().fired(), "the fault at call " + k + " fired; calls " + r.calls().calls()),
                () -> assertEquals(call, r.calls().calls().get(k - 1), "call " + k + " is the same as without a fault"),
                () -> assertTrue(r.statuses().stream().allMatch(s -> s == 200 || s >= 500),
                        "never a 4xx the provider would not retry: " + r.statuses()),
                () -> assertEquals(200, r.statuses().get(r.statuses().size() - 1), "converged: " + r.statuses()),
                () -> assertEquals(expected.invoice(), actual.invoice(), "invoice"),
                () -> assertEquals(expected.paymentStub(), actual.paymentStub(), "payment stub"),
                () -> assertEquals(expected.dedupOutcome(), actual.dedupOutcome(), "dedup outcome"),
                () -> assertEquals(expected.dedupMessages(), actual.dedupMessages(), "messages committed for the relay"),
                () -> assertEquals(expected.credits(), actual.credits(), "customer credit"),
                () -> assertEquals(expected.paymentsQueue(), actual.paymentsQueue(), "PaymentsQueue, every copy"),
                () -> assertEquals(expected.mailQueue(), actual.mailQueue(), "MailQueue, every copy"),
                () -> assertEquals(expected.bus(), actual.bus(), "EventBridge, every copy"),
                () -> assertEquals(expected.table(), actual.table(), "the whole table"));
    }
}
