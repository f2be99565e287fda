package dev.invoiceloyalty.rewarding;

import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.SdkCalls;
import dev.invoiceloyalty.local.SideEffects;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart priming hook of {@code RewardCreditingFunction} on the emulators: every step runs, its SDK calls are
 * the reads of crediting, reversal and expiry, and the table, MailQueue and the bus are exactly as they were (the
 * function has no client that could send: its messages are relayed from the table's stream by
 * {@code OutboxRelayFunction}).
 */
class RewardCreditingPrimingTest {
    static final List<String> STEPS = List.of("sqs-batch", "customer-read", "paid-window-read", "reversal-guards-read",
            "expiry-read", "reward-rules", "reward-messages", "reward-transaction", "batch-response");

    private final LocalBackends backends = LocalBackends.shared();
    private final String table = backends.createTable();
    private final Map<String, String> queues = backends.createQueues();

    /** The sample customer and invoice stored, so priming has real items it must leave alone. */
    private void seed() {
        PrimingSamples.store(backends.dynamoDb().client(), table, ProgramConfig.defaults());
    }

    @Test
    void primingRunsEveryStepWithReadsOnlyAndLeavesTableQueuesAndBusAsTheyWere() {
        seed();
        SdkCalls calls = SdkCalls.recording();
        // The function's DynamoDB client as RewardCreditingHandler builds it, recording its calls.
        var ddb = AwsClients.configure(DynamoDbClient.builder(),
                AwsClients.Settings.forEndpoint(backends.dynamoDb().endpoint()).withInterceptor(calls)).build();
        var priming = new RewardCreditingPriming(ddb, table, ProgramConfig.defaults(), "Example Co");
        SideEffects before = SideEffects.observe(backends, table, queues);
        calls.arm();

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        calls.disarm();
        var summary = priming.lastSummary();
        assertEquals(Map.of(), summary.failed());
        assertEquals(STEPS, summary.completed());
        assertEquals(before, SideEffects.observe(backends, table, queues));
        assertTrue(before.items().size() >= 2, "the seeded customer and invoice are there to keep");
        assertEquals(0, before.queueDepths().get("MailQueue"));
        assertEquals(List.of("DynamoDb:GetItem", "DynamoDb:Query", "DynamoDb:BatchGetItem", "DynamoDb:Query"),
                calls.calls());
    }

    @Test
    void theLambdaConstructorRegistersThePrimingOfItsOwnClients() {
        // The environment the template gives the function: no queue URL and no bus name, since it sends nothing.
        Map<String, String> env = backends.functionEnvironment(table, Map.of());
        env.remove("EVENT_BUS_NAME");
        Env.override(env);
        try {
            var registered = Priming.registeredBy(RewardCreditingHandler::new);

            assertEquals(1, registered.size());
            var priming = assertInstanceOf(RewardCreditingPriming.class, registered.get(0));
            seed();
            SideEffects before = SideEffects.observe(backends, table, queues);
            assertEquals(STEPS, priming.prime().completed());
            assertEquals(before, SideEffects.observe(backends, table, queues));
        } finally {
            Env.override(Map.of());
        }
    }
}
