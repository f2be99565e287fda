package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.IdempotencyRecord;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.SdkCalls;
import dev.invoiceloyalty.local.SideEffects;
import dev.invoiceloyalty.reminders.ReminderLadder;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart priming hook of {@code ReminderSweepFunction} on the emulators, with a table that holds an invoice due
 * for reminders and an unsent outbox message: every step runs, its SDK calls are the sweep's reads, and neither the
 * due invoice nor the pending message is touched — no step recorded, nothing sent, the table, queues and bus as they
 * were.
 */
class ReminderSweepPrimingTest {
    static final List<String> STEPS = List.of("schedule-event", "outbox-read", "due-invoices-read", "invoice-read",
            "customer-read", "ladder", "step-messages", "step-transaction", "send-requests", "result");

    private final LocalBackends backends = LocalBackends.shared();
    private final String table = backends.createTable();
    private final Map<String, String> queues = backends.createQueues();

    /** The sample customer and an open invoice (in the reminder index) with a message still in its outbox. */
    private void seed() {
        DynamoDbClient ddb = backends.dynamoDb().client();
        var config = ProgramConfig.defaults();
        new DynamoDbCustomerStore(ddb, table).create(PrimingSamples.customer(config), List.of());
        var invoice = PrimingSamples.invoice(config);
        new DynamoDbInvoiceStore(ddb, table).create(new DynamoDbInvoiceStore.NewInvoice(invoice, 2026, 0,
                new IdempotencyRecord("POST /invoices", "seed", "hash", 201, "{}", Keys.invoicePk(invoice.invoiceId())),
                List.of(), List.of(OutboxMessage.mail("seed", "{}")), 0));
    }

    private static AwsClients.Settings settings(URI endpoint, SdkCalls calls) {
        return AwsClients.Settings.forEndpoint(endpoint).withInterceptor(calls);
    }

    @Test
    void primingRunsEveryStepWithReadsOnlyAndLeavesDueInvoicesAndPendingMessagesAlone() {
        seed();
        SdkCalls calls = SdkCalls.recording();
        // The sweep as the Lambda constructor wires it (ReminderSweepHandler.create), every client recording its calls.
        ReminderSweep sweep = ReminderSweepHandler.create(new SweepSettings(table, queues.get("MailQueue"),
                        queues.get("PaymentsQueue"), "priming-test-bus", "ar@example.com", "collections@example.com",
                        "Example Co"),
                AwsClients.configure(DynamoDbClient.builder(), settings(backends.dynamoDb().endpoint(), calls)).build(),
                AwsClients.configure(SqsClient.builder(), settings(backends.sqs().endpoint(), calls)).build(),
                AwsClients.configure(EventBridgeClient.builder(), settings(backends.eventBridge().endpoint(), calls)).build(),
                ProgramConfig.defaults(), ReminderLadder.current(), Clock.systemUTC(), 0);
        var priming = new ReminderSweepPriming(sweep);
        SideEffects before = SideEffects.observe(backends, table, queues);
        calls.arm();

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        calls.disarm();
        var summary = priming.lastSummary();
        assertEquals(Map.of(), summary.failed());
        assertEquals(STEPS, summary.completed());
        assertEquals(before, SideEffects.observe(backends, table, queues));
        assertTrue(before.items().stream().anyMatch(i -> i.get("sk").s().startsWith("OUTBOX#")), "a pending message");
        assertTrue(before.items().stream().anyMatch(i -> i.containsKey("gsi2pk")
                && i.get("gsi2pk").s().equals(Keys.REMINDER_DUE_GSI2_PK)), "an invoice in the reminder index");
        assertEquals(0, before.queueDepths().get("MailQueue"));
        assertEquals(List.of("DynamoDb:Query", "DynamoDb:Query", "DynamoDb:GetItem", "DynamoDb:GetItem"), calls.calls());
    }

    @Test
    void theLambdaConstructorRegistersThePrimingOfTheSweepItBuilt() {
        Map<String, String> env = backends.functionEnvironment(table, queues);
        env.put("AR_TEAM_EMAIL", "ar@example.com");
        env.put("COLLECTIONS_EMAIL", "collections@example.com");
        Env.override(env);
        try {
            int registeredBefore = Priming.registered().size();

            new ReminderSweepHandler();

            var registered = Priming.registered();
            assertEquals(registeredBefore + 1, registered.size());
            var priming = assertInstanceOf(ReminderSweepPriming.class, registered.get(registered.size() - 1));
            seed();
            SideEffects before = SideEffects.observe(backends, table, queues);
            assertEquals(STEPS, priming.prime().completed());
            assertEquals(before, SideEffects.observe(backends, table, queues));
        } finally {
            Env.override(Map.of());
        }
    }
}
