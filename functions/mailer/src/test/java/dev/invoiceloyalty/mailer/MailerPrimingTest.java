package dev.invoiceloyalty.mailer;

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

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart priming hook of {@code MailerFunction} on the emulators: every step runs, the function's renderer
 * holds the compiled templates afterwards, its one SDK call is the invoice check's read, and the table holds the same
 * items and the SES capture the same emails as before.
 */
class MailerPrimingTest {
    static final List<String> STEPS = List.of("sqs-records", "render", "invoice-check", "send-requests",
            "batch-response");

    private final LocalBackends backends = LocalBackends.shared();
    private final String table = backends.createTable();

    /** The sample customer and invoice stored, so priming has real items it must leave alone. */
    private void seed() {
        PrimingSamples.store(backends.dynamoDb().client(), table, ProgramConfig.defaults());
    }

    @Test
    void primingRendersWithTheFunctionsRendererReadsOnceAndSendsAndWritesNothing() {
        seed();
        SdkCalls calls = SdkCalls.recording();
        // The delivery as MailerHandler's Lambda constructor wires it, every client recording its calls.
        DynamoDbClient ddb = DynamoDbSentEmailLog.client(
                AwsClients.Settings.forEndpoint(backends.dynamoDb().endpoint()).withInterceptor(calls));
        TemplateRenderer renderer = TemplateRenderer.create();
        var delivery = new MailDelivery(renderer,
                SesMailSender.create(SesMailSender.client(
                        AwsClients.Settings.forEndpoint(backends.ses().endpoint()).withInterceptor(calls)),
                        "billing@example.com", null),
                DynamoDbSentEmailLog.create(ddb, table), InvoiceStatusCheck.dynamoDb(ddb, table), Clock.systemUTC());
        var priming = new MailerPriming(delivery);
        SideEffects before = SideEffects.observe(backends, table, Map.of());
        calls.arm();

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        calls.disarm();
        var summary = priming.lastSummary();
        assertEquals(Map.of(), summary.failed());
        assertEquals(STEPS, summary.completed());
        assertEquals(before, SideEffects.observe(backends, table, Map.of()));
        assertTrue(before.items().size() >= 2, "the seeded customer and invoice are there to keep");
        assertEquals(List.of("DynamoDb:GetItem"), calls.calls());
        assertEquals(9, renderer.compiledFiles(), "three templates, three parts each, compiled in the snapshot");
    }

    @Test
    void theLambdaConstructorRegistersThePrimingOfTheDeliveryItBuilt() {
        Map<String, String> env = backends.functionEnvironment(table, Map.of());
        Env.override(env);
        try {
            var registered = Priming.registeredBy(MailerHandler::new);

            assertEquals(1, registered.size());
            var priming = assertInstanceOf(MailerPriming.class, registered.get(0));
            seed();
            SideEffects before = SideEffects.observe(backends, table, Map.of());
            assertEquals(STEPS, priming.prime().completed());
            assertEquals(before, SideEffects.observe(backends, table, Map.of()));
        } finally {
            Env.override(Map.of());
        }
    }
}
