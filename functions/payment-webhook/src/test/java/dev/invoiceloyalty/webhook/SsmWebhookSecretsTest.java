package dev.invoiceloyalty.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.config.Env;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs against a JDK {@link HttpServer} that answers SSM's JSON 1.1 {@code AmazonSSM.GetParameter} call the way
 * AWS does, so the real SDK client (request marshalling, error unmarshalling) is exercised without a backend.
 */
class SsmWebhookSecretsTest {
    private static final String STRIPE_PARAMETER = "/invoice-loyalty/test/stripe-webhook-secret";
    private static final String SQUARE_PARAMETER = "/invoice-loyalty/test/square-signature-key";

    private final FakeSsm fakeSsm = new FakeSsm();
    private final AtomicInteger clientsBuilt = new AtomicInteger();
    private SsmClient client;

    @BeforeEach
    void startFakeSsm() throws IOException {
        fakeSsm.start();
        client = AwsClients.configure(SsmClient.builder(), AwsClients.Settings.forEndpoint(fakeSsm.endpoint()), "SSM")
                .build();
    }

    @AfterEach
    void stopFakeSsmAndResetEnvironment() {
        Env.override(Map.of());
        client.close();
        fakeSsm.stop();
    }

    /** The variables given, every other webhook variable blank (which masks anything set in the real environment). */
    private static void environment(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of(SsmWebhookSecrets.STRIPE_SECRET, SsmWebhookSecrets.STRIPE_SECRET_PARAMETER,
                SsmWebhookSecrets.SQUARE_KEY, SsmWebhookSecrets.SQUARE_KEY_PARAMETER, SsmWebhookSecrets.SQUARE_URL)) {
            env.put(name, "");
        }
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        Env.override(env);
    }

    private Supplier<SsmClient> countingClient() {
        return () -> {
            clientsBuilt.incrementAndGet();
            return client;
        };
    }

    @Test
    void environmentValuesWinAndNoSsmClientIsBuilt() {
        // GIVEN every value in the environment, and parameter names too
        environment(SsmWebhookSecrets.STRIPE_SECRET, "whsec_old, whsec_new",
                SsmWebhookSecrets.STRIPE_SECRET_PARAMETER, STRIPE_PARAMETER,
                SsmWebhookSecrets.SQUARE_KEY, "square_env",
                SsmWebhookSecrets.SQUARE_KEY_PARAMETER, SQUARE_PARAMETER,
                SsmWebhookSecrets.SQUARE_URL, "https://api.example.com/webhooks/square");
        var secrets = new SsmWebhookSecrets(() -> {
            throw new AssertionError("no SSM client may be built when the environment holds the values");
        });

        // THEN the environment's values are used, the Stripe list split on commas
        assertEquals(List.of("whsec_old", "whsec_new"), secrets.stripeSecrets());
        assertEquals("square_env", secrets.squareSignatureKey());
        assertEquals("https://api.example.com/webhooks/square", secrets.squareNotificationUrl());
        assertEquals(0, fakeSsm.calls.size());
    }

    @Test
    void withoutEnvironmentValuesTheParametersAreReadDecryptedFromSsm() {
        fakeSsm.parameters.put(STRIPE_PARAMETER, new FakeSsm.Parameter("SecureString", "whsec_from_ssm"));
        fakeSsm.parameters.put(SQUARE_PARAMETER, new FakeSsm.Parameter("SecureString", "square_from_ssm"));
        environment(SsmWebhookSecrets.STRIPE_SECRET_PARAMETER, STRIPE_PARAMETER,
                SsmWebhookSecrets.SQUARE_KEY_PARAMETER, SQUARE_PARAMETER);
        var secrets = new SsmWebhookSecrets(countingClient());

        assertEquals(List.of("whsec_from_ssm"), secrets.stripeSecrets());
        assertEquals("square_from_ssm", secrets.squareSignatureKey());

        assertEquals(2, fakeSsm.calls.size());
        for (FakeSsm.Call call : fakeSsm.calls) {
            assertEquals("AmazonSSM.GetParameter", call.target());
            assertTrue(call.request().path("WithDecryption").asBoolean(false), () -> "WithDecryption: " + call.request());
        }
        assertEquals(STRIPE_PARAMETER, fakeSsm.calls.get(0).request().path("Name").asText());
        assertEquals(SQUARE_PARAMETER, fakeSsm.calls.get(1).request().path("Name").asText());
        assertEquals(1, clientsBuilt.get());
    }

    @Test
    void aBlankEnvironmentValueFallsBackToTheParameter() {
        fakeSsm.parameters.put(STRIPE_PARAMETER, new FakeSsm.Parameter("SecureString", "whsec_from_ssm"));
        environment(SsmWebhookSecrets.STRIPE_SECRET, "   ", SsmWebhookSecrets.STRIPE_SECRET_PARAMETER, STRIPE_PARAMETER);

        assertEquals(List.of("whsec_from_ssm"), new SsmWebhookSecrets(countingClient()).stripeSecrets());
    }

    @Test
    void aStringListParameterGivesSeveralStripeSecretsForARotation() {
        fakeSsm.parameters.put(STRIPE_PARAMETER, new FakeSsm.Parameter("StringList", "whsec_old,whsec_new"));
        environment(SsmWebhookSecrets.STRIPE_SECRET_PARAMETER, STRIPE_PARAMETER);

        assertEquals(List.of("whsec_old", "whsec_new"), new SsmWebhookSecrets(countingClient()).stripeSecrets());
    }

    @Test
    void eachValueIsReadFromSsmOncePerContainerHoweverManyRequestsAskAtOnce() throws Exception {
        fakeSsm.parameters.put(STRIPE_PARAMETER, new FakeSsm.Parameter("SecureString", "whsec_from_ssm"));
        fakeSsm.parameters.put(SQUARE_PARAMETER, new FakeSsm.Parameter("SecureString", "square_from_ssm"));
        environment(SsmWebhookSecrets.STRIPE_SECRET_PARAMETER, STRIPE_PARAMETER,
                SsmWebhookSecrets.SQUARE_KEY_PARAMETER, SQUARE_PARAMETER,
                SsmWebhookSecrets.SQUARE_URL, "http://127.0.0.1:3000/webhooks/square");
        var secrets = new SsmWebhookSecrets(countingClient());

        // WHEN 16 threads read every value 50 times, all starting together
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> readers = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                readers.add(pool.submit(() -> {
                    start.await();
                    for (int n = 0; n < 50; n++) {
                        assertEquals(List.of("whsec_from_ssm"), secrets.stripeSecrets());
                        assertEquals("square_from_ssm", secrets.squareSignatureKey());
                        assertEquals("http://127.0.0.1:3000/webhooks/square", secrets.squareNotificationUrl());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> reader : readers) {
                reader.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        // THEN SSM saw one call per parameter and one client was built
        assertEquals(1, fakeSsm.callsFor(STRIPE_PARAMETER));
        assertEquals(1, fakeSsm.callsFor(SQUARE_PARAMETER));
        assertEquals(1, clientsBuilt.get());
    }

    @Test
    void aStripeSecretMissingEverywhereFailsNamingBothVariables() {
        environment();
        var e = assertThrows(IllegalStateException.class, () -> new SsmWebhookSecrets(countingClient()).stripeSecrets());
        assertTrue(e.getMessage().contains("STRIPE_WEBHOOK_SECRET "), e::getMessage);
        assertTrue(e.getMessage().contains("STRIPE_WEBHOOK_SECRET_PARAMETER"), e::getMessage);
        assertEquals(0, clientsBuilt.get());
    }

    @Test
    void aSquareKeyMissingEverywhereFailsNamingBothVariables() {
        environment();
        var e = assertThrows(IllegalStateException.class,
                () -> new SsmWebhookSecrets(countingClient()).squareSignatureKey());
        assertTrue(e.getMessage().contains("SQUARE_SIGNATURE_KEY "), e::getMessage);
        assertTrue(e.getMessage().contains("SQUARE_SIGNATURE_KEY_PARAMETER"), e::getMessage);
    }

    @Test
    void theSquareNotificationUrlComesFromTheEnvironmentOnly() {
        environment(SsmWebhookSecrets.SQUARE_KEY_PARAMETER, SQUARE_PARAMETER);
        var e = assertThrows(IllegalStateException.class,
                () -> new SsmWebhookSecrets(countingClient()).squareNotificationUrl());
        assertTrue(e.getMessage().contains("SQUARE_NOTIFICATION_URL"), e::getMessage);
        assertEquals(0, fakeSsm.calls.size());
    }

    @Test
    void aParameterThatDoesNotExistFailsNamingItAndIsReadAgainOnTheNextRequest() {
        environment(SsmWebhookSecrets.STRIPE_SECRET_PARAMETER, STRIPE_PARAMETER);
        var secrets = new SsmWebhookSecrets(countingClient());

        // GIVEN the parameter does not exist yet: the failure names it and the variable
        var e = assertThrows(IllegalStateException.class, secrets::stripeSecrets);
        assertTrue(e.getMessage().contains(STRIPE_PARAMETER), e::getMessage);
        assertTrue(e.getMessage().contains("STRIPE_WEBHOOK_SECRET_PARAMETER"), e::getMessage);

        // WHEN it is created THEN the next read finds it (failures are not cached)
        fakeSsm.parameters.put(STRIPE_PARAMETER, new FakeSsm.Parameter("SecureString", "whsec_late"));
        assertEquals(List.of("whsec_late"), secrets.stripeSecrets());
        assertEquals(2, fakeSsm.callsFor(STRIPE_PARAMETER));
    }

    @Test
    void aParameterOfOnlyCommasIsAConfigurationError() {
        fakeSsm.parameters.put(STRIPE_PARAMETER, new FakeSsm.Parameter("StringList", " , "));
        environment(SsmWebhookSecrets.STRIPE_SECRET_PARAMETER, STRIPE_PARAMETER);
        var e = assertThrows(IllegalStateException.class, () -> new SsmWebhookSecrets(countingClient()).stripeSecrets());
        assertTrue(e.getMessage().contains(STRIPE_PARAMETER), e::getMessage);
    }

    /** Answers {@code AmazonSSM.GetParameter} like SSM: the parameter, or 400 {@code ParameterNotFound}. */
    private static final class FakeSsm {
        record Parameter(String type, String value) {
        }

        record Call(String target, JsonNode request) {
        }

        final Map<String, Parameter> parameters = new ConcurrentHashMap<>();
        final List<Call> calls = new CopyOnWriteArrayList<>();
        private HttpServer server;

        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::answer);
            server.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void stop() {
            server.stop(0);
        }

        long callsFor(String name) {
            return calls.stream().filter(c -> name.equals(c.request().path("Name").asText())).count();
        }

        private void answer(HttpExchange exchange) throws IOException {
            try {
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                JsonNode request = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
                calls.add(new Call(target, request));
                if (!"AmazonSSM.GetParameter".equals(target)) {
                    respond(exchange, 400, Map.of("__type", "InvalidAction", "message", "unexpected " + target));
                    return;
                }
                String name = request.path("Name").asText();
                Parameter parameter = parameters.get(name);
                if (parameter == null) {
                    respond(exchange, 400, Map.of("__type", "ParameterNotFound", "message", ""));
                    return;
                }
                boolean decrypt = request.path("WithDecryption").asBoolean(false);
                String value = parameter.type().equals("SecureString") && !decrypt
                        ? "AQICAHh-encrypted-blob" : parameter.value();
                respond(exchange, 200, Map.of("Parameter", Map.of(
                        "ARN", "arn:aws:ssm:us-east-1:123456789012:parameter" + name,
                        "DataType", "text",
                        "LastModifiedDate", 1.7953380E9,
                        "Name", name,
                        "Type", parameter.type(),
                        "Value", value,
                        "Version", 1)));
            } finally {
                exchange.close();
            }
        }

        private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
            byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
