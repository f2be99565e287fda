package dev.invoiceloyalty.relay;

import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.SdkCalls;
import dev.invoiceloyalty.local.SideEffects;
import dev.invoiceloyalty.snapstart.Priming;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The SnapStart priming hook of {@code OutboxRelayFunction} on the emulators: every step runs, it makes no SDK call at
 * all (every call the relay makes is a send), and the table, MailQueue, PaymentsQueue and the bus are as they were.
 */
class OutboxRelayPrimingTest {
    static final List<String> STEPS = List.of("stream-event", "relay", "send-requests", "batch-response");

    private final LocalBackends backends = LocalBackends.shared();
    private final String table = backends.createTable();
    private final Map<String, String> queues = backends.createQueues();

    /** The function's sender over clients that record their calls. */
    private SqsEventBridgeOutboxSender sender(SdkCalls calls) {
        SqsClient sqs = AwsClients.configure(SqsClient.builder(),
                AwsClients.Settings.forEndpoint(backends.sqs().endpoint()).withInterceptor(calls)).build();
        EventBridgeClient events = AwsClients.configure(EventBridgeClient.builder(),
                AwsClients.Settings.forEndpoint(backends.eventBridge().endpoint()).withInterceptor(calls)).build();
        return new SqsEventBridgeOutboxSender(sqs, queues.get("MailQueue"), queues.get("PaymentsQueue"), events,
                "priming-test-bus");
    }

    @Test
    void primingRunsEveryStepWithoutASingleCallAndLeavesQueuesAndBusAsTheyWere() {
        SdkCalls calls = SdkCalls.recording();
        OutboxRelayPriming priming = new OutboxRelayPriming(sender(calls));
        SideEffects before = SideEffects.observe(backends, table, queues);
        calls.arm();

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        calls.disarm();
        Priming.Summary summary = priming.lastSummary();
        assertEquals(Map.of(), summary.failed());
        assertEquals(STEPS, summary.completed());
        assertEquals(List.of(), calls.calls(), "no send, no read");
        assertEquals(before, SideEffects.observe(backends, table, queues));
        assertEquals(0, before.queueDepths().get("MailQueue"));
        assertEquals(0, before.queueDepths().get("PaymentsQueue"));
    }

    @Test
    void theSampleBatchIsOneTheRelaySendsFromThreeRecords() throws Exception {
        try (RelayHarness relay = new RelayHarness()) {
            RelayHarness.Answer answer = relay.relay(OutboxRelayPriming.streamEvent());

            assertEquals(List.of(), answer.failures());
            assertEquals(3, relay.mail().size());
            assertEquals(1, relay.payments().size());
            assertEquals(4, relay.events().size());
            assertEquals(List.of("Sqs:SendMessageBatch", "Sqs:SendMessage", "EventBridge:PutEvents"),
                    relay.calls.calls(), "the requests priming builds are the ones the relay makes");
        }
    }

    @Test
    void theLambdaConstructorRegistersThePrimingOfTheSenderItBuilt() {
        Map<String, String> env = backends.functionEnvironment(table, queues);
        Env.override(env);
        try {
            var registered = Priming.registeredBy(OutboxRelayHandler::new);

            assertEquals(1, registered.size());
            var priming = assertInstanceOf(OutboxRelayPriming.class, registered.get(0));
            SideEffects before = SideEffects.observe(backends, table, queues);
            assertEquals(STEPS, priming.prime().completed());
            assertEquals(before, SideEffects.observe(backends, table, queues));
        } finally {
            Env.override(Map.of());
        }
    }
}
