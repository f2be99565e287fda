package dev.invoiceloyalty.rewarding;

import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.IdempotencyRecord;
import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.SdkCalls;
import dev.invoiceloyalty.local.SideEffects;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart priming hook of {@code RewardCreditingFunction} on the emulators: every step runs, its SDK calls are
 * the reads of crediting, reversal and expiry, and the table, MailQueue and the bus are exactly as they were.
 */
class RewardCreditingPrimingTest {
    static final List<String> STEPS = List.of("sqs-batch", "customer-read", "paid-window-read", "reversal-guards-read",
            "expiry-read", "reward-rules", "reward-messages", "reward-transaction", "send-requests", "batch-response");

    private final LocalBackends backends = LocalBackends.shared();
    private final String table = backends.createTable();
    private final Map<String, String> queues = backends.createQueues();

    /** The sample customer and invoice stored, so priming has real items it must leave alone. */
    private void seed() {
        DynamoDbClient ddb = backends.dynamoDb().client();
        var config = ProgramConfig.defaults();
        new DynamoDbCustomerStore(ddb, table).create(PrimingSamples.customer(config), List.of());
        var invoice = PrimingSamples.invoice(config);
        new DynamoDbInvoiceStore(ddb, table).create(new DynamoDbInvoiceStore.NewInvoice(invoice, 2026, 0,
                new IdempotencyRecord("POST /invoices", "seed", "hash", 201, "{}", Keys.invoicePk(invoice.invoiceId())),
                List.of(), List.of(), 0));
    }

    /** The function's sender over clients that record their calls too: priming must build its requests, not send. */
    private dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender sender(SdkCalls calls) {
        var sqs = AwsClients.configure(software.amazon.awssdk.services.sqs.SqsClient.builder(),
                AwsClients.Settings.forEndpoint(backends.sqs().endpoint()).withInterceptor(calls)).build();
        var events = AwsClients.configure(software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder(),
                AwsClients.Settings.forEndpoint(backends.eventBridge().endpoint()).withInterceptor(calls)).build();
        return new dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender(sqs, queues.get("MailQueue"),
                queues.get("PaymentsQueue"), events, "priming-test-bus");
    }

    @Test
    void primingRunsEveryStepWithReadsOnlyAndLeavesTableQueuesAndBusAsTheyWere() {
        seed();
        SdkCalls calls = SdkCalls.recording();
        // The function's DynamoDB client as RewardCreditingHandler builds it, recording its calls.
        var ddb = AwsClients.configure(DynamoDbClient.builder(),
                AwsClients.Settings.forEndpoint(backends.dynamoDb().endpoint()).withInterceptor(calls)).build();
        var priming = new RewardCreditingPriming(ddb, table, ProgramConfig.defaults(), "Example Co", sender(calls));
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
        Map<String, String> env = backends.functionEnvironment(table, queues);
        Env.override(env);
        try {
            int registeredBefore = Priming.registered().size();

            new RewardCreditingHandler();

            var registered = Priming.registered();
            assertEquals(registeredBefore + 1, registered.size());
            var priming = assertInstanceOf(RewardCreditingPriming.class, registered.get(registered.size() - 1));
            seed();
            SideEffects before = SideEffects.observe(backends, table, queues);
            assertEquals(STEPS, priming.prime().completed());
            assertEquals(before, SideEffects.observe(backends, table, queues));
        } finally {
            Env.override(Map.of());
        }
    }
}
