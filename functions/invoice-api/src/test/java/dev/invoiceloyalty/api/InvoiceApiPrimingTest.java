package dev.invoiceloyalty.api;

import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.SdkCalls;
import dev.invoiceloyalty.local.SideEffects;
import dev.invoiceloyalty.local.TableStream;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingHttp;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SnapStart priming hook of {@code InvoiceApiFunction} on the emulators: it runs every step of the hot path, its
 * only SDK calls are reads, and the table (and so its stream, which the outbox relay reads), MailQueue and the bus
 * are exactly as they were.
 */
class InvoiceApiPrimingTest {
    static final List<String> STEPS = List.of("create-invoice-route", "get-invoice-route", "get-customer-route",
            "credit-lots-read", "invoice-factory", "invoice-issued-email", "create-transaction-request",
            "created-response");
    static final Set<String> READS = Set.of("DynamoDb:GetItem", "DynamoDb:Query", "DynamoDb:BatchGetItem");

    private final LocalBackends backends = LocalBackends.shared();
    private final String table = backends.createTable();
    private final Map<String, String> queues = backends.createQueues();

    private static AwsClients.Settings settings(URI endpoint, SdkCalls calls) {
        return AwsClients.Settings.forEndpoint(endpoint).withInterceptor(calls);
    }

    /** The API as {@link InvoiceApi.Dependencies#fromEnvironment} wires it (its one client), recording its calls. */
    private InvoiceApi api(SdkCalls calls) {
        return new InvoiceApi(new InvoiceApi.Dependencies(
                AwsClients.configure(DynamoDbClient.builder(), settings(backends.dynamoDb().endpoint(), calls)).build(),
                table, "Example Co", "UTC", ProgramConfig.defaults(), Clock.systemUTC()));
    }

    /** A customer and an invoice made through the API (with their outbox items): a table with something to keep. */
    private void seed(InvoiceApi api) {
        send(api, "PUT", "/customers/ada", InvoiceApi.PUT_CUSTOMER, Map.of("customerId", "ada"), Map.of(),
                "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"language\":\"de\",\"timeZone\":\"Europe/Berlin\"}", 201);
        send(api, "POST", "/invoices", InvoiceApi.CREATE_INVOICE, Map.of(), Map.of("idempotency-key", "seed-1"),
                "{\"customerId\":\"ada\",\"currency\":\"EUR\",\"lineItems\":[{\"description\":\"Work\",\"quantity\":\"1\","
                        + "\"unitAmount\":10000}]}", 201);
    }

    private static void send(InvoiceApi api, String method, String path, String route, Map<String, String> params,
                             Map<String, String> headers, String body, int expected) {
        var r = PrimingHttp.call(api::handle, PrimingHttp.event(method, path, route, params, headers, body));
        assertEquals(expected, r.status(), r.body());
    }

    @Test
    void primingRunsEveryStepWithReadsOnlyAndLeavesTableStreamQueuesAndBusAsTheyWere() {
        SdkCalls calls = SdkCalls.recording();
        InvoiceApi api = api(calls);
        seed(api);
        SideEffects before = SideEffects.observe(backends, table, queues);
        InvoiceApiPriming priming = new InvoiceApiPriming(api);
        TableStream stream = TableStream.open(backends.dynamoDb(), table);
        int seededRecords = stream.poll(1000).size();
        calls.arm();

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        calls.disarm();
        var summary = priming.lastSummary();
        assertEquals(Map.of(), summary.failed());
        assertEquals(STEPS, summary.completed());
        assertEquals(before, SideEffects.observe(backends, table, queues));
        assertTrue(before.items().size() >= 2, "the seeded customer and invoice are there to keep");
        assertTrue(before.items().stream().anyMatch(i -> i.get("sk").s().startsWith("OUTBOX#")),
                "the seed's outbox items are there to keep");
        assertTrue(seededRecords > 0, "the stream shows the seed");
        assertEquals(List.of(), stream.poll(1000), "priming wrote nothing the outbox relay could see");
        stream.close();
        assertTrue(calls.calls().stream().allMatch(READS::contains), "reads only: " + calls.calls());
        assertEquals(3, calls.calls().stream().filter("DynamoDb:GetItem"::equals).count(), calls.calls().toString());
        assertTrue(calls.calls().contains("DynamoDb:Query"), calls.calls().toString());
    }

    @Test
    void aSecondPassPrimesTheSameWayAndStillWritesNothing() {
        SdkCalls calls = SdkCalls.recording();
        InvoiceApi api = api(calls);
        seed(api);
        InvoiceApiPriming priming = new InvoiceApiPriming(api);
        priming.prime();
        SideEffects before = SideEffects.observe(backends, table, queues);

        var second = priming.prime();

        assertEquals(STEPS, second.completed());
        assertEquals(before, SideEffects.observe(backends, table, queues));
    }

    @Test
    void theLambdaConstructorRegistersThePrimingOfTheApiItBuilt() {
        // No queue in the environment: the function no longer needs MAIL_QUEUE_URL (only the relay sends).
        Map<String, String> env = backends.functionEnvironment(table, Map.of());
        Env.override(env);
        try {
            var registered = Priming.registeredBy(InvoiceApiHandler::new);

            assertEquals(1, registered.size());
            var priming = assertInstanceOf(InvoiceApiPriming.class, registered.get(0));
            seed(api(SdkCalls.recording()));
            SideEffects before = SideEffects.observe(backends, table, queues);
            assertEquals(STEPS, priming.prime().completed());
            assertEquals(before, SideEffects.observe(backends, table, queues));
        } finally {
            Env.override(Map.of());
        }
    }
}
