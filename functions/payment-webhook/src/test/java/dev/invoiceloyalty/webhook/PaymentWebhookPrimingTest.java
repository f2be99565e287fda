package dev.invoiceloyalty.webhook;

import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.DynamoDbPaymentStore;
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
 * The SnapStart priming hook of {@code PaymentWebhookFunction} on the emulators: every step runs, its one SDK call is
 * the payment store's read, and the table, both queues and the bus are exactly as they were (the function has no
 * client that could send: its messages are relayed from the table's stream by {@code OutboxRelayFunction}).
 */
class PaymentWebhookPrimingTest {
    static final List<String> STEPS = List.of("stripe-event", "square-event", "payment-load", "apply-payment",
            "payment-messages", "payment-transaction", "response");

    private final LocalBackends backends = LocalBackends.shared();
    private final String table = backends.createTable();
    private final Map<String, String> queues = backends.createQueues();

    /** The function's sample customer and invoice stored, so priming has real items it must leave alone. */
    private void seed() {
        PrimingSamples.store(backends.dynamoDb().client(), table, ProgramConfig.defaults());
    }

    @Test
    void primingRunsEveryStepWithOneReadAndLeavesTableQueuesAndBusAsTheyWere() {
        seed();
        SdkCalls calls = SdkCalls.recording();
        // The store as PaymentWebhookHandler builds it: the function's DynamoDB client, recording its calls.
        var ddb = AwsClients.configure(DynamoDbClient.builder(),
                AwsClients.Settings.forEndpoint(backends.dynamoDb().endpoint()).withInterceptor(calls)).build();
        var priming = new PaymentWebhookPriming(new DynamoDbPaymentStore(ddb, table));
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
        assertEquals(0, before.queueDepths().get("PaymentsQueue"));
        assertEquals(List.of("DynamoDb:BatchGetItem"), calls.calls());
    }

    @Test
    void theLambdaConstructorRegistersThePrimingOfTheStoreItBuilt() {
        // The environment the template gives the function: no queue URL and no bus name, since it sends nothing.
        Map<String, String> env = backends.functionEnvironment(table, Map.of());
        env.remove("EVENT_BUS_NAME");
        Env.override(env);
        try {
            var registered = Priming.registeredBy(PaymentWebhookHandler::new);

            assertEquals(1, registered.size());
            var priming = assertInstanceOf(PaymentWebhookPriming.class, registered.get(0));
            seed();
            SideEffects before = SideEffects.observe(backends, table, queues);
            assertEquals(STEPS, priming.prime().completed());
            assertEquals(before, SideEffects.observe(backends, table, queues));
        } finally {
            Env.override(Map.of());
        }
    }
}
