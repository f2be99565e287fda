package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.SdkCalls;
import dev.invoiceloyalty.local.SideEffects;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart priming hook of {@code StatementFunction} on the emulators: every step runs (chart, PDF and MIME
 * included), its one SDK call is the customer statement's Query, and the table and the SES capture are as they were:
 * no statement claimed, none sent.
 */
class StatementPrimingTest {
    static final List<String> STEPS = List.of("schedule-event", "customer-invoices-read", "weekly-report",
            "monthly-statement", "send-requests", "result");

    private final LocalBackends backends = LocalBackends.shared();
    private final String table = backends.createTable();

    @BeforeAll
    static void headless() {
        // As StatementHandler's static initialiser does: no display for JFreeChart and PDFBox.
        System.setProperty("java.awt.headless", "true");
    }

    /** The sample customer and invoice stored, so priming has real items it must leave alone. */
    private void seed() {
        PrimingSamples.store(backends.dynamoDb().client(), table, ProgramConfig.defaults());
    }

    @Test
    void primingRendersReportChartAndPdfWithOneReadAndClaimsAndSendsNothing() {
        seed();
        SdkCalls calls = SdkCalls.recording();
        // The statements as StatementHandler wires them, every client recording its calls.
        var ddb = AwsClients.configure(DynamoDbClient.builder(),
                AwsClients.Settings.forEndpoint(backends.dynamoDb().endpoint()).withInterceptor(calls)).build();
        var ses = StatementMailer.client(AwsClients.Settings.forEndpoint(backends.ses().endpoint()).withInterceptor(calls));
        var settings = new StatementSettings(table, "billing@example.com", "finance@example.com", "Example Co",
                ZoneId.of("Europe/Berlin"), List.of("EUR", "USD"));
        var reader = new StatementReader(ddb, table);
        var mailer = new StatementMailer(ses, new SentStatementLog(ddb, table, Duration.ofMinutes(5)),
                settings.fromAddress(), Clock.systemUTC());
        var priming = new StatementPriming(new WeeklyStatement(reader, mailer, settings, ProgramConfig.defaults()),
                new MonthlyStatements(reader, mailer, settings), settings);
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
        assertEquals(List.of("DynamoDb:Query"), calls.calls());
    }

    @Test
    void theLambdaConstructorRegistersThePrimingOfTheStatementsItBuilt() {
        Map<String, String> env = backends.functionEnvironment(table, Map.of());
        Env.override(env);
        try {
            var registered = Priming.registeredBy(StatementHandler::new);

            assertEquals(1, registered.size());
            var priming = assertInstanceOf(StatementPriming.class, registered.get(0));
            seed();
            SideEffects before = SideEffects.observe(backends, table, Map.of());
            assertEquals(STEPS, priming.prime().completed());
            assertEquals(before, SideEffects.observe(backends, table, Map.of()));
        } finally {
            Env.override(Map.of());
        }
    }
}
