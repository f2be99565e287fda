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
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs against a JDK {@link HttpServer} that answers Secrets Manager's JSON 1.1
 * {@code secretsmanager.GetSecretValue} call the way AWS does, so the real SDK client (request marshalling, error
 * unmarshalling) is exercised without a backend.
 */
class SecretsManagerWebhookSecretsTest {
    private static final String STRIPE_SECRET = "invoice-loyalty/test/stripe-webhook-secret";
    private static final String SQUARE_SECRET = "invoice-loyalty/test/square-signature-key";

    private final FakeSecretsManager fakeSecretsManager = new FakeSecretsManager();
    private final AtomicInteger clientsBuilt = new AtomicInteger();
    private SecretsManagerClient client;

    @BeforeEach
    void startFakeSecretsManager() throws IOException {
        fakeSecretsManager.start();
        client = AwsClients.configure(SecretsManagerClient.builder(),
                AwsClients.Settings.forEndpoint(fakeSecretsManager.endpoint()), "SECRETS_MANAGER").build();
    }

    @AfterEach
    void stopFakeSecretsManagerAndResetEnvironment() {
        Env.override(Map.of());
        client.close();
        fakeSecretsManager.stop();
    }

    /** The variables given, every other webhook variable blank (which masks anything set in the real environment). */
    private static void environment(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of(SecretsManagerWebhookSecrets.STRIPE_SECRET,
                SecretsManagerWebhookSecrets.STRIPE_SECRET_ID, SecretsManagerWebhookSecrets.SQUARE_KEY,
                SecretsManagerWebhookSecrets.SQUARE_KEY_ID, SecretsManagerWebhookSecrets.SQUARE_URL)) {
            env.put(name, "");
        }
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        Env.override(env);
    }

    private Supplier<SecretsManagerClient> countingClient() {
        return () -> {
            clientsBuilt.incrementAndGet();
            return client;
        };
    }

    @Test
    void environmentValuesWinAndNoSecretsManagerClientIsBuilt() {
        // GIVEN every value in the environment, and secret names too
        environment(SecretsManagerWebhookSecrets.STRIPE_SECRET, "whsec_old, whsec_new",
                SecretsManagerWebhookSecrets.STRIPE_SECRET_ID, STRIPE_SECRET,
                SecretsManagerWebhookSecrets.SQUARE_KEY, "square_env",
                SecretsManagerWebhookSecrets.SQUARE_KEY_ID, SQUARE_SECRET,
                SecretsManagerWebhookSecrets.SQUARE_URL, "https://api.example.com/webhooks/square");
        var secrets = new SecretsManagerWebhookSecrets(() -> {
            throw new AssertionError("no Secrets Manager client may be built when the environment holds the values");
        });

        // THEN the environment's values are used, the Stripe list split on commas
        assertEquals(List.of("whsec_old", "whsec_new"), secrets.stripeSecrets());
        assertEquals("square_env", secrets.squareSignatureKey());
        assertEquals("https://api.example.com/webhooks/square", secrets.squareNotificationUrl());
        assertEquals(0, fakeSecretsManager.calls.size());
    }

    @Test
    void withoutEnvironmentValuesTheCurrentSecretStringsAreReadFromSecretsManager() {
        fakeSecretsManager.putSecretString(STRIPE_SECRET, "whsec_from_secrets_manager");
        fakeSecretsManager.putSecretString(SQUARE_SECRET, "square_from_secrets_manager");
        environment(SecretsManagerWebhookSecrets.STRIPE_SECRET_ID, STRIPE_SECRET,
                SecretsManagerWebhookSecrets.SQUARE_KEY_ID, SQUARE_SECRET);
        var secrets = new SecretsManagerWebhookSecrets(countingClient());

        assertEquals(List.of("whsec_from_secrets_manager"), secrets.stripeSecrets());
        assertEquals("square_from_secrets_manager", secrets.squareSignatureKey());

        // THEN each was one GetSecretValue by SecretId, asking for no particular version (so AWSCURRENT)
        assertEquals(2, fakeSecretsManager.calls.size());
        for (FakeSecretsManager.Call call : fakeSecretsManager.calls) {
            assertEquals("secretsmanager.GetSecretValue", call.target());
            assertFalse(call.request().has("VersionId"), () -> "VersionId: " + call.request());
            assertFalse(call.request().has("VersionStage"), () -> "VersionStage: " + call.request());
        }
        assertEquals(STRIPE_SECRET, fakeSecretsManager.calls.get(0).request().path("SecretId").asText());
        assertEquals(SQUARE_SECRET, fakeSecretsManager.calls.get(1).request().path("SecretId").asText());
        assertEquals(1, clientsBuilt.get());
    }

    @Test
    void aSecretCanBeNamedByItsArn() {
        String arn = fakeSecretsManager.putSecretString(STRIPE_SECRET, "whsec_by_arn");
        environment(SecretsManagerWebhookSecrets.STRIPE_SECRET_ID, arn);

        assertEquals(List.of("whsec_by_arn"), new SecretsManagerWebhookSecrets(countingClient()).stripeSecrets());
        assertEquals(arn, fakeSecretsManager.calls.get(0).request().path("SecretId").asText());
    }

    @Test
    void aBlankEnvironmentValueFallsBackToTheSecret() {
        fakeSecretsManager.putSecretString(STRIPE_SECRET, "whsec_from_secrets_manager");
        environment(SecretsManagerWebhookSecrets.STRIPE_SECRET, "   ",
                SecretsManagerWebhookSecrets.STRIPE_SECRET_ID, STRIPE_SECRET);

        assertEquals(List.of("whsec_from_secrets_manager"),
                new SecretsManagerWebhookSecrets(countingClient()).stripeSecrets());
    }

    @Test
    void aCommaSeparatedSecretGivesSeveralStripeSecretsForARotation() {
        fakeSecretsManager.putSecretString(STRIPE_SECRET, "whsec_old, whsec_new");
        environment(SecretsManagerWebhookSecrets.STRIPE_SECRET_ID, STRIPE_SECRET);

        assertEquals(List.of("whsec_old", "whsec_new"),
                new SecretsManagerWebhookSecrets(countingClient()).stripeSecrets());
    }

    @Test
    void eachValueIsReadFromSecretsManagerOncePerContainerHoweverManyRequestsAskAtOnce() throws Exception {
        fakeSecretsManager.putSecretString(STRIPE_SECRET, "whsec_from_secrets_manager");
        fakeSecretsManager.putSecretString(SQUARE_SECRET, "square_from_secrets_manager");
        environment(SecretsManagerWebhookSecrets.STRIPE_SECRET_ID, STRIPE_SECRET,
                SecretsManagerWebhookSecrets.SQUARE_KEY_ID, SQUARE_SECRET,
                SecretsManagerWebhookSecrets.SQUARE_URL, "http://127.0.0.1:3000/webhooks/square");
        var secrets = new SecretsManagerWebhookSecrets(countingClient());

        // WHEN 16 threads read every value 50 times, all starting together
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> readers = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                readers.add(pool.submit(() -> {
                    start.await();
                    for (int n = 0; n < 50; n++) {
                        assertEquals(List.of("whsec_from_secrets_manager"), secrets.stripeSecrets());
                        assertEquals("square_from_secrets_manager", secrets.squareSignatureKey());
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

        // THEN Secrets Manager saw one call per secret and one client was built
        assertEquals(1, fakeSecretsManager.callsFor(STRIPE_SECRET));
        assertEquals(1, fakeSecretsManager.callsFor(SQUARE_SECRET));
        assertEquals(1, clientsBuilt.get());
    }

    @Test
    void aStripeSecretMissingEverywhereFailsNamingBothVariables() {
        environment();
        var e = assertThrows(IllegalStateException.class,
                () -> new SecretsManagerWebhookSecrets(countingClient()).stripeSecrets());
        assertTrue(e.getMessage().contains("STRIPE_WEBHOOK_SECRET "), e::getMessage);
        assertTrue(e.getMessage().contains("STRIPE_WEBHOOK_SECRET_ID"), e::getMessage);
        assertEquals(0, clientsBuilt.get());
    }

    @Test
    void aSquareKeyMissingEverywhereFailsNamingBothVariables() {
        environment();
        var e = assertThrows(IllegalStateException.class,
                () -> new SecretsManagerWebhookSecrets(countingClient()).squareSignatureKey());
        assertTrue(e.getMessage().contains("SQUARE_SIGNATURE_KEY "), e::getMessage);
        assertTrue(e.getMessage().contains("SQUARE_SIGNATURE_KEY_ID"), e::getMessage);
        assertEquals(0, clientsBuilt.get());
    }

    @Test
    void theSquareNotificationUrlComesFromTheEnvironmentOnly() {
        environment(SecretsManagerWebhookSecrets.SQUARE_KEY_ID, SQUARE_SECRET);
        var e = assertThrows(IllegalStateException.class,
                () -> new SecretsManagerWebhookSecrets(countingClient()).squareNotificationUrl());
        assertTrue(e.getMessage().contains("SQUARE_NOTIFICATION_URL"), e::getMessage);
        assertEquals(0, fakeSecretsManager.calls.size());
    }

    @Test
    void aSecretThatDoesNotExistFailsNamingItAndIsReadAgainOnTheNextRequest() {
        environment(SecretsManagerWebhookSecrets.STRIPE_SECRET_ID, STRIPE_SECRET);
        var secrets = new SecretsManagerWebhookSecrets(countingClient());

        // GIVEN the secret does not exist yet: the failure names it and the variable
        var e = assertThrows(IllegalStateException.class, secrets::stripeSecrets);
        assertTrue(e.getMessage().contains(STRIPE_SECRET), e::getMessage);
        assertTrue(e.getMessage().contains("STRIPE_WEBHOOK_SECRET_ID"), e::getMessage);

        // WHEN it is created THEN the next read finds it (failures are not cached)
        fakeSecretsManager.putSecretString(STRIPE_SECRET, "whsec_late");
        assertEquals(List.of("whsec_late"), secrets.stripeSecrets());
        assertEquals(2, fakeSecretsManager.callsFor(STRIPE_SECRET));
        assertEquals(1, clientsBuilt.get());
    }

    @Test
    void aThrottledReadReachesTheCallerAsItIsAndIsTriedAgainOnTheNextRequest() {
        fakeSecretsManager.putSecretString(SQUARE_SECRET, "square_after_throttling");
        environment(SecretsManagerWebhookSecrets.SQUARE_KEY_ID, SQUARE_SECRET);
        // A client without the SDK's retries, whose backoff on throttling would only slow this test down.
        client.close();
        client = AwsClients.configure(SecretsManagerClient.builder(),
                        AwsClients.Settings.forEndpoint(fakeSecretsManager.endpoint()), "SECRETS_MANAGER")
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        var secrets = new SecretsManagerWebhookSecrets(countingClient());

        // GIVEN Secrets Manager throttles the call: the SDK's exception reaches the caller unchanged
        fakeSecretsManager.throttling = true;
        var e = assertThrows(SecretsManagerException.class, secrets::squareSignatureKey);
        assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
        assertEquals(1, fakeSecretsManager.callsFor(SQUARE_SECRET));

        // WHEN it answers again THEN the next request reads the secret (the failure was not cached)
        fakeSecretsManager.throttling = false;
        assertEquals("square_after_throttling", secrets.squareSignatureKey());
        assertEquals(2, fakeSecretsManager.callsFor(SQUARE_SECRET));
        assertEquals(1, clientsBuilt.get());
    }

    @Test
    void aSecretOfOnlyCommasIsAConfigurationError() {
        fakeSecretsManager.putSecretString(STRIPE_SECRET, " , ");
        environment(SecretsManagerWebhookSecrets.STRIPE_SECRET_ID, STRIPE_SECRET);
        var e = assertThrows(IllegalStateException.class,
                () -> new SecretsManagerWebhookSecrets(countingClient()).stripeSecrets());
        assertTrue(e.getMessage().contains(STRIPE_SECRET), e::getMessage);
    }

    @Test
    void aBinarySecretWithoutSecretStringIsAConfigurationError() {
        fakeSecretsManager.putSecretBinary(SQUARE_SECRET, "square_as_bytes".getBytes(StandardCharsets.UTF_8));
        environment(SecretsManagerWebhookSecrets.SQUARE_KEY_ID, SQUARE_SECRET);
        var e = assertThrows(IllegalStateException.class,
                () -> new SecretsManagerWebhookSecrets(countingClient()).squareSignatureKey());
        assertTrue(e.getMessage().contains(SQUARE_SECRET), e::getMessage);
        assertTrue(e.getMessage().contains("SQUARE_SIGNATURE_KEY_ID"), e::getMessage);
    }

    @Test
    void aKeyValueJsonSecretIsAConfigurationErrorNotASecretThatMatchesNothing() {
        // The console's default secret type stores {"key":"value"}; split on commas it would be two bogus secrets.
        fakeSecretsManager.putSecretString(STRIPE_SECRET, "{\"old\":\"whsec_old\",\"new\":\"whsec_new\"}");
        environment(SecretsManagerWebhookSecrets.STRIPE_SECRET_ID, STRIPE_SECRET);
        var e = assertThrows(IllegalStateException.class,
                () -> new SecretsManagerWebhookSecrets(countingClient()).stripeSecrets());
        assertTrue(e.getMessage().contains(STRIPE_SECRET), e::getMessage);
        assertTrue(e.getMessage().contains("plain text"), e::getMessage);
    }

    /**
     * Answers {@code secretsmanager.GetSecretValue} like Secrets Manager: the secret's current version by name or
     * ARN, 400 {@code ResourceNotFoundException} for an unknown one, or 400 {@code ThrottlingException} while
     * {@link #throttling} is set.
     */
    private static final class FakeSecretsManager {
        /** One stored secret: exactly one of {@code secretString} and {@code secretBinary} is set. */
        record Secret(String name, String arn, String secretString, byte[] secretBinary) {
        }

        record Call(String target, JsonNode request) {
        }

        final Map<String, Secret> secrets = new ConcurrentHashMap<>();
        final List<Call> calls = new CopyOnWriteArrayList<>();
        volatile boolean throttling;
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

        /** Stores a text secret and returns its ARN (Secrets Manager appends a 6-character suffix to the name). */
        String putSecretString(String name, String value) {
            Secret secret = new Secret(name, arn(name), value, null);
            secrets.put(name, secret);
            return secret.arn();
        }

        void putSecretBinary(String name, byte[] value) {
            secrets.put(name, new Secret(name, arn(name), null, value));
        }

        private static String arn(String name) {
            return "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-AbC123";
        }

        long callsFor(String name) {
            return calls.stream()
                    .map(c -> c.request().path("SecretId").asText())
                    .filter(id -> id.equals(name) || id.equals(arn(name)))
                    .count();
        }

        private Secret find(String secretId) {
            Secret byName = secrets.get(secretId);
            if (byName != null) {
                return byName;
            }
            return secrets.values().stream().filter(s -> s.arn().equals(secretId)).findFirst().orElse(null);
        }

        private void answer(HttpExchange exchange) throws IOException {
            try {
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                JsonNode request = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
                calls.add(new Call(target, request));
                if (!"secretsmanager.GetSecretValue".equals(target)) {
                    respond(exchange, 400, Map.of("__type", "InvalidAction", "message", "unexpected " + target));
                    return;
                }
                if (throttling) {
                    respond(exchange, 400, Map.of("__type", "ThrottlingException", "message", "Rate exceeded"));
                    return;
                }
                Secret secret = find(request.path("SecretId").asText());
                if (secret == null) {
                    respond(exchange, 400, Map.of("__type", "ResourceNotFoundException",
                            "message", "Secrets Manager can't find the specified secret."));
                    return;
                }
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("ARN", secret.arn());
                body.put("CreatedDate", 1.7953380E9);
                body.put("Name", secret.name());
                if (secret.secretString() != null) {
                    body.put("SecretString", secret.secretString());
                } else {
                    body.put("SecretBinary", Base64.getEncoder().encodeToString(secret.secretBinary()));
                }
                body.put("VersionId", "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE");
                body.put("VersionStages", List.of("AWSCURRENT"));
                respond(exchange, 200, body);
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
