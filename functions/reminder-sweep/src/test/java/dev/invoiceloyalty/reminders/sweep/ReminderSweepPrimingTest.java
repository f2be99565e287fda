package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.AwsClients;
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

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart priming hook of {@code ReminderSweepFunction} on the emulators, with a table that holds an invoice due
 * for reminders and its customer: every step runs, its SDK calls are the sweep's reads (nothing but DynamoDB), and the
 * due invoice is not touched — no step recorded, no outbox item, the table, queues and bus as they were.
 */
class ReminderSweepPrimingTest {
    static final List<String> STEPS = List.of("schedule-event", "due-invoices-read", "invoice-read", "customers-read",
            "ladder", "step-messages", "step-transaction", "result");

    private final LocalBackends backends = LocalBackends.shared();
    private final String table = backends.createTable();
    private final Map<String, String> queues = backends.createQueues();

    /** The sample customer and an open invoice of theirs, in the reminder index. */
    private void seed() {
        PrimingSamples.store(backends.dynamoDb().client(), table, ProgramConfig.defaults());
    }

    @Test
    void primingRunsEveryStepWithReadsOnlyAndLeavesTheDueInvoiceAlone() {
        seed();
        SdkCalls calls = SdkCalls.recording();
        // The sweep as the Lambda constructor wires it (ReminderSweepHandler.create), its one client recording calls.
        ReminderSweep sweep = ReminderSweepHandler.create(new SweepSettings(table, "ar@example.com",
                        "collections@example.com", "Example Co"),
                AwsClients.configure(DynamoDbClient.builder(),
                        AwsClients.Settings.forEndpoint(backends.dynamoDb().endpoint()).withInterceptor(calls)).build(),
                ProgramConfig.defaults(), ReminderLadder.current(), 0);
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
        assertTrue(before.items().stream().anyMatch(i -> i.containsKey("gsi2pk")
                && i.get("gsi2pk").s().equals(Keys.REMINDER_DUE_GSI2_PK)), "an invoice in the reminder index");
        assertTrue(before.items().stream().noneMatch(i -> i.get("sk").s().startsWith(Keys.OUTBOX_PREFIX)));
        assertEquals(0, before.queueDepths().get("MailQueue"));
        // Once, before the checkpoint: the index query, a cancelled step's re-read (GetItem), the customers' batch.
        assertEquals(List.of("DynamoDb:Query", "DynamoDb:GetItem", "DynamoDb:BatchGetItem"), calls.calls());
    }

    @Test
    void theLambdaConstructorNeedsNoQueueOrBusAndRegistersThePrimingOfTheSweepItBuilt() {
        Map<String, String> env = backends.functionEnvironment(table, queues);
        // template.yaml gives the queues and the bus to the relay only.
        env.remove("MAIL_QUEUE_URL");
        env.remove("PAYMENTS_QUEUE_URL");
        env.remove("EVENT_BUS_NAME");
        env.put("AR_TEAM_EMAIL", "ar@example.com");
        env.put("COLLECTIONS_EMAIL", "collections@example.com");
        Env.override(env);
        try {
            var registered = Priming.registeredBy(ReminderSweepHandler::new);

            assertEquals(1, registered.size());
            var priming = assertInstanceOf(ReminderSweepPriming.class, registered.get(0));
            seed();
            SideEffects before = SideEffects.observe(backends, table, queues);
            assertEquals(STEPS, priming.prime().completed());
            assertEquals(before, SideEffects.observe(backends, table, queues));
        } finally {
            Env.override(Map.of());
        }
    }
}
