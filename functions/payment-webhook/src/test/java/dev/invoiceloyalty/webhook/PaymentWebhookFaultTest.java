package dev.invoiceloyalty.webhook;

import dev.invoiceloyalty.local.SdkCalls;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §5: "If the function dies at any point, the provider's retry must lead to the same end state with nothing lost
 * and nothing doubled." For every SDK call k that the fault-free run makes, and for a failure before the call reaches
 * the service and after the service did it, a fresh table gets the event with call k failing, the provider redelivers
 * until it gets a 200, and the end state must equal the fault-free run's: the invoice, the payment stub, the dedup
 * record, the customer's credit, the whole table, and the messages the consumers keep after dedup.
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
    }

    private static APIGatewayV2HTTPEvent payment(long amount) {
        return WebhookHarness.signedStripe(WebhookHarness.stripePayment("evt_fault_pay", "pi_fault", amount, "EUR", INV,
                NOW.minusSeconds(60)));
    }

    private static APIGatewayV2HTTPEvent refund() {
        return WebhookHarness.signedStripe(WebhookHarness.stripeRefund("evt_fault_refund", "ch_fault", "pi_fault", 3000,
                INV, NOW.minusSeconds(30)));
    }

    /** Everything the end state is compared on. */
    record EndState(ObjectNode invoice, Map<String, AttributeValue> paymentStub, String dedupOutcome,
                    List<String> dedupMessages, Map<String, Long> credits, Set<String> paymentsQueueIds,
                    Set<String> mailIds, Set<String> busEvents, List<Map<String, AttributeValue>> table) {
        static EndState of(WebhookHarness h, String eventId) {
            ObjectNode invoice = Json.mapper().valueToTree(h.invoice(INV));
            invoice.remove("updatedAt");
            var dedup = h.dedup("stripe", eventId);
            List<String> messages = dedup == null ? List.of() : dedup.get("messages").l().stream()
                    .map(v -> Json.read(v.s(), OutboxMessage.class).messageId()).toList();
            return new EndState(invoice, h.stub("stripe", "pi_fault"), dedup == null ? null : dedup.get("outcome").s(),
                    messages, h.customer().loyalty().credits(), h.distinctPaymentMessageIds(), h.distinctEmailIds(),
                    h.distinctBusEvents(), h.snapshot());
        }
    }

    record Run(SdkCalls calls, WebhookHarness harness, List<Integer> statuses, EndState end) {
    }

    private static Run run(Scenario scenario, SdkCalls calls) {
        var h = new WebhookHarness(List.of(calls), List.of(WebhookHarness.STRIPE_SECRET));
        h.createCustomer();
        h.createInvoice(INV);
        scenario.before.accept(h);
        calls.arm();
        List<Integer> statuses = new ArrayList<>();
        statuses.add(h.deliver(scenario.event).status());
        for (int i = 0; i < MAX_REDELIVERIES && statuses.get(statuses.size() - 1) != 200; i++) {
            statuses.add(h.deliver(scenario.event).status());
        }
        calls.disarm();
        String eventId = scenario == Scenario.REFUND_OF_PAID_INVOICE ? "evt_fault_refund" : "evt_fault_pay";
        return new Run(calls, h, statuses, EndState.of(h, eventId));
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
    void givenNoFaultACompletingPaymentReadsOnceWritesOnceAndSendsItsMessagesInOneSqsAndOneEventBridgeCall() {
        Run r = baseline(Scenario.COMPLETING_PAYMENT);

        assertEquals(List.of(200), r.statuses());
        // Issue 8: at most 3 DynamoDB calls and 1 SQS call per completing payment (the thank-you rides on PaymentRecorded).
        assertEquals(List.of("DynamoDb:BatchGetItem", "DynamoDb:TransactWriteItems", "Sqs:SendMessage",
                "EventBridge:PutEvents"), r.calls().calls());
        assertEquals(Set.of("PaymentRecorded#" + INV), r.end().paymentsQueueIds());
        assertEquals(Set.of(), r.end().mailIds(), "the reward side sends the thank-you");
        assertEquals(Set.of("PaymentRecorded " + INV, "InvoicePaid " + INV), r.end().busEvents());
        assertEquals(Map.of("EUR", 500L), r.end().credits());
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
                () -> assertEquals(expected.dedupMessages(), actual.dedupMessages(), "messages kept for redelivery"),
                () -> assertEquals(expected.credits(), actual.credits(), "customer credit"),
                () -> assertFalse(expected.paymentsQueueIds().isEmpty() && expected.busEvents().isEmpty()),
                () -> assertEquals(expected.paymentsQueueIds(), actual.paymentsQueueIds(), "PaymentsQueue after dedup"),
                () -> assertEquals(expected.mailIds(), actual.mailIds(), "MailQueue after dedup"),
                () -> assertEquals(expected.busEvents(), actual.busEvents(), "EventBridge"),
                () -> assertEquals(expected.table(), actual.table(), "the whole table"));
    }
}
