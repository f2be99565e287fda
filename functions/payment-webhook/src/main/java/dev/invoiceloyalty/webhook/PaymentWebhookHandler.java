package dev.invoiceloyalty.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.DynamoDbPaymentStore;
import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.domain.ProblemException;
import dev.invoiceloyalty.http.ApiGatewayHttp;
import dev.invoiceloyalty.http.HttpRequest;
import dev.invoiceloyalty.http.HttpResponse;
import dev.invoiceloyalty.snapstart.Priming;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Lambda entry point of {@code PaymentWebhookFunction} ({@code POST /webhooks/{provider}}, no API Gateway auth). */
public final class PaymentWebhookHandler implements RequestStreamHandler {
    /** Providers send small events; anything near API Gateway's limit is not one of theirs. */
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final WebhookService service;

    /**
     * Used by Lambda: the DynamoDB client, secrets access and configuration are built once per container, here. No
     * SQS or EventBridge client: the messages an event announces are committed with it and sent by
     * {@code OutboxRelayFunction} from the table's stream.
     */
    public PaymentWebhookHandler() {
        this(fromEnvironment());
    }

    public PaymentWebhookHandler(WebhookService service) {
        this.service = service;
    }

    private static WebhookService fromEnvironment() {
        var settings = AwsClients.Settings.fromEnvironment();
        DynamoDbClient ddb = AwsClients.configure(DynamoDbClient.builder(), settings, "DYNAMODB").build();
        String table = required("TABLE_NAME");
        // The Secrets Manager client is built only if a secret is not in the environment (cold start).
        var secrets = new SecretsManagerWebhookSecrets(
                () -> AwsClients.configure(SecretsManagerClient.builder(), settings, "SECRETS_MANAGER").build());
        var payments = new DynamoDbPaymentStore(ddb, table);
        Priming.register(new PaymentWebhookPriming(payments));
        return new WebhookService(payments, secrets, Clock.systemUTC());
    }

    @Override
    public void handleRequest(InputStream event, OutputStream answer, Context context) throws IOException {
        ApiGatewayHttp.serve(event, answer, this::handle);
    }

    HttpResponse handle(HttpRequest request) {
        try {
            String provider = request.pathParameters().get("provider");
            if (provider == null && request.path() != null && request.path().startsWith("/webhooks/")) {
                provider = request.path().substring("/webhooks/".length());
            }
            if (request.body().length > MAX_BODY_BYTES) {
                throw new ProblemException(413, "payload-too-large", "Payload too large",
                        "webhook bodies are limited to " + MAX_BODY_BYTES + " bytes", List.of());
            }
            String header = "square".equals(provider) ? request.header("x-square-hmacsha256-signature")
                    : request.header("stripe-signature");
            WebhookService.Result result = service.handle(provider == null ? "" : provider, header, request.body());
            return new HttpResponse(result.status(), Map.of("content-type", "application/json"), result.body());
        } catch (ProblemException e) {
            return HttpResponse.problem(e);
        } catch (RuntimeException e) {
            // The provider retries on 5xx: the retry finds the dedup record or the uncommitted state and converges.
            Log.event("webhook_error", "requestId", request.requestId(), "error", e.getClass().getName(),
                    "message", String.valueOf(e.getMessage()));
            return HttpResponse.problem(500, "internal-error", "Internal error", "the event was not processed; retry");
        }
    }

    private static String required(String name) {
        String v = Env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is required");
        }
        return v;
    }
}
