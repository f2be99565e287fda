package dev.invoiceloyalty.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxRelay;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.LambdaStreams;
import dev.invoiceloyalty.local.TableStream;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The invoice API wired to real emulators (DynamoDB Local, ElasticMQ, the EventBridge capture) with a fresh table
 * and queues per harness, driven through the real Lambda handler with API Gateway v2 events.
 *
 * <p>The API itself only writes to the table: what it announces (emails, events) is an outbox item in the same
 * transaction. {@link #relay()} plays {@code OutboxRelayFunction}: it reads the table's stream and runs the real
 * {@link OutboxRelay} over it as Lambda's DynamoDB event source would, so the tests see the queues and the bus as
 * they would be in AWS.
 */
final class ApiHarness {
    static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");
    /** The relay's event source in template.yaml: {@code BatchSize} and {@code MaximumRetryAttempts}. */
    static final int RELAY_BATCH_SIZE = 100;
    static final int RELAY_MAX_RETRIES = 10;

    final LocalBackends backends = LocalBackends.shared();
    final String table;
    final Map<String, String> queues;
    final String bus = "api-test-" + UUID.randomUUID();
    final DynamoDbClient ddb;
    /** The relay's clients (the API has none). */
    final SqsClient sqs;
    final EventBridgeClient events;
    final InvoiceApiHandler handler;
    private final TableStream stream;
    private final OutboxRelay relay;

    ApiHarness() {
        this(List.of(), List.of());
    }

    /**
     * With interceptors on the API's DynamoDB client and on the relay's SQS client, to inject faults on either side
     * of the outbox.
     */
    ApiHarness(List<ExecutionInterceptor> dynamoInterceptors, List<ExecutionInterceptor> relaySqsInterceptors) {
        table = backends.createTable();
        queues = backends.createQueues();
        var ddbSettings = AwsClients.Settings.forEndpoint(backends.dynamoDb().endpoint());
        for (var i : dynamoInterceptors) {
            ddbSettings = ddbSettings.withInterceptor(i);
        }
        var sqsSettings = AwsClients.Settings.forEndpoint(backends.sqs().endpoint());
        for (var i : relaySqsInterceptors) {
            sqsSettings = sqsSettings.withInterceptor(i);
        }
        ddb = AwsClients.configure(DynamoDbClient.builder(), ddbSettings).build();
        sqs = AwsClients.configure(SqsClient.builder(), sqsSettings).build();
        events = backends.eventBridge().client();
        var deps = new InvoiceApi.Dependencies(ddb, table, "Example Co", "UTC", ProgramConfig.defaults(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        handler = new InvoiceApiHandler(new InvoiceApi(deps));
        stream = TableStream.open(backends.dynamoDb(), table);
        relay = new OutboxRelay(new SqsEventBridgeOutboxSender(sqs, queues.get("MailQueue"),
                queues.get("PaymentsQueue"), events, bus));
    }

    /**
     * What one {@link #relay()} came to.
     *
     * @param outboxes stream records carrying messages (each INSERT of an outbox item counted once)
     * @param retries  invocations Lambda repeated because the relay answered a batch item failure
     */
    record Relayed(int outboxes, int retries) {
    }

    /**
     * Runs the relay over every stream record written since the last call, as the template's event source does:
     * only {@code INSERT}s with the relay marker (its filter), batches of {@link #RELAY_BATCH_SIZE}, and after a
     * partial batch failure the same batch again from the record the relay named, at most
     * {@link #RELAY_MAX_RETRIES} times (then the batch would go to the dead-letter queue: a test failure here).
     */
    Relayed relay() {
        var delivered = stream.deliver(RELAY_BATCH_SIZE, TableStream.insertsWith(OutboxItems.RELAY, OutboxItems.RELAY_OUTBOX),
                event -> relay.relay(event).failedSequenceNumber(), RELAY_MAX_RETRIES);
        return new Relayed(delivered.records(), delivered.retries());
    }

    record Response(int status, Map<String, String> headers, JsonNode json, String body) {
        String contentType() {
            return headers.get("content-type");
        }
    }

    Response call(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse r = LambdaStreams.invoke(handler, event, APIGatewayV2HTTPResponse.class);
        JsonNode json;
        try {
            json = r.getBody() == null ? null : Json.mapper().readTree(r.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Response(r.getStatusCode(), r.getHeaders(), json, r.getBody());
    }

    Response call(String method, String path, String body, Map<String, String> headers) {
        var event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("$default");
        event.setRawPath(path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
        Map<String, String> h = new HashMap<>();
        if (body != null) {
            h.put("content-type", "application/json");
        }
        h.putAll(headers);
        event.setHeaders(h);
        if (path.contains("?")) {
            Map<String, String> query = new HashMap<>();
            for (String pair : path.substring(path.indexOf('?') + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            event.setQueryStringParameters(query);
        }
        event.setBody(body);
        event.setIsBase64Encoded(false);
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method)
                .withPath(event.getRawPath()).build();
        event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(http)
                .withRequestId("test").build());
        return call(event);
    }

    Response put(String path, String body) {
        return call("PUT", path, body, Map.of());
    }

    Response get(String path) {
        return call("GET", path, null, Map.of());
    }

    Response post(String path, String body) {
        return call("POST", path, body, Map.of());
    }

    Response createInvoice(String key, String body) {
        return call("POST", "/invoices", body, key == null ? Map.of() : Map.of("idempotency-key", key));
    }

    static APIGatewayV2HTTPEvent sample(String name) {
        return EventLoader.loadApiGatewayHttpEvent("../../events/invoice-api/" + name);
    }

    Response createCustomer(String id, String language) {
        return put("/customers/" + id, "{\"name\":\"Customer " + id + "\",\"email\":\"" + id + "@example.com\","
                + "\"language\":\"" + language + "\",\"timeZone\":\"Europe/Berlin\"}");
    }

    static String invoiceBody(String customerId, String currency, String extra) {
        return "{\"customerId\":\"" + customerId + "\",\"currency\":\"" + currency + "\",\"issueDate\":\"2026-11-22\","
                + "\"netDays\":30,\"lineItems\":[{\"description\":\"Work\",\"quantity\":\"2\",\"unitAmount\":5000,"
                + "\"taxRate\":\"10\"}]" + extra + "}";
    }

    /** Every item of the table in a stable order: the "nothing written" oracle. */
    List<Map<String, AttributeValue>> snapshot() {
        return dev.invoiceloyalty.local.TableSnapshot.of(ddb, table);
    }

    /** The {@code OUTBOX#} items of the table: one per change that announced messages, kept until their TTL. */
    List<Map<String, AttributeValue>> outboxItems() {
        return snapshot().stream().filter(i -> i.get("sk").s().startsWith("OUTBOX#")).toList();
    }

    /** The events the relay has put on this harness's bus. */
    List<CapturedEvent> busEvents() {
        return backends.eventBridge().events().stream().filter(e -> e.eventBusName().equals(bus)).toList();
    }

    /** Relays what the stream holds ({@link #relay()}), then receives and deletes every message on MailQueue. */
    List<JsonNode> drainMail() {
        relay();
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queues.get("MailQueue")).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                return out;
            }
            for (Message m : batch) {
                try {
                    out.add(Json.mapper().readTree(m.body()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                sqs.deleteMessage(b -> b.queueUrl(queues.get("MailQueue")).receiptHandle(m.receiptHandle()));
            }
        }
    }
}
