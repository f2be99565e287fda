package dev.invoiceloyalty.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.invoiceloyalty.local.EmbeddedDynamoDb;
import dev.invoiceloyalty.local.EmbeddedSqs;
import dev.invoiceloyalty.local.EventBridgeCapture;
import dev.invoiceloyalty.local.SamTemplate;
import dev.invoiceloyalty.local.SesCapture;
import dev.invoiceloyalty.local.TemplateResources;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded backends of one bench run (DynamoDB Local in memory, ElasticMQ, the SES v2 and EventBridge captures),
 * the template's queues on ElasticMQ, and the environment each function gets: its template environment (Globals
 * merged with the function's own, as SAM merges them) with the Refs resolved to the bench's resources, plus the
 * emulators' endpoints and credentials.
 */
final class Backends implements AutoCloseable {
    /** The bus every function's {@code EVENT_BUS_NAME} resolves to; the EventBridge capture takes any name. */
    static final String BUS = "invoice-loyalty-bench-integration";

    final EmbeddedDynamoDb dynamoDb;
    final EmbeddedSqs sqs;
    final SesCapture ses;
    final EventBridgeCapture eventBridge;
    /** Logical id of each template queue → its URL on ElasticMQ. */
    final Map<String, String> queues;
    /** The queue the floor's SendMessage goes to. */
    final String floorQueue;
    private final SamTemplate template;
    private final Map<String, String> base;

    private Backends(SamTemplate template, EmbeddedDynamoDb dynamoDb, EmbeddedSqs sqs, SesCapture ses,
                     EventBridgeCapture eventBridge) {
        this.template = template;
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.ses = ses;
        this.eventBridge = eventBridge;
        this.queues = TemplateResources.createQueues(sqs.client(), template, "-bench");
        this.floorQueue = sqs.client().createQueue(r -> r.queueName("bench-floor")).queueUrl();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SESV2", ses.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", eventBridge.endpoint().toString());
        // SPEC §10's local secrets (as bin/local-stack gives them), so the webhook does not read SSM.
        env.put("STRIPE_WEBHOOK_SECRET", Samples.STRIPE_SECRET);
        env.put("SQUARE_SIGNATURE_KEY", "square_local");
        this.base = Collections.unmodifiableMap(env);
    }

    static Backends start(SamTemplate template) {
        EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start();
        EmbeddedSqs sqs = EmbeddedSqs.start();
        SesCapture ses = SesCapture.start();
        EventBridgeCapture eventBridge = EventBridgeCapture.start();
        return new Backends(template, dynamoDb, sqs, ses, eventBridge);
    }

    /** Creates table {@code name} as the template declares {@code InvoiceTable} (keys, the three GSIs, TTL). */
    void createTable(String name) {
        TemplateResources.createTable(dynamoDb.client(), template, "InvoiceTable", name);
    }

    /**
     * As {@link #createTable} but with the stream switched off: for the read-capacity tables, whose 100,000 seeded
     * items would otherwise fill DynamoDB Local's stream, whose upkeep (one SQLite queue for everything) then slows
     * every later call of the run. Read capacity does not depend on the stream.
     */
    void createTableWithoutStream(String name) {
        createTable(name);
        dynamoDb.client().updateTable(r -> r.tableName(name).streamSpecification(s -> s.streamEnabled(false)));
    }

    void deleteTable(String name) {
        dynamoDb.client().deleteTable(r -> r.tableName(name));
    }

    /**
     * What {@code function} sees in Lambda here: the template's variables (a plain value such as
     * {@code JAVA_TOOL_OPTIONS} as it is written; Refs resolved to {@code table}, the bench's queues and bus, or a
     * parameter's default), then the emulators' endpoints and credentials, and {@code AWS_LAMBDA_FUNCTION_NAME}.
     */
    Map<String, String> environment(SamTemplate.FunctionDef function, String table) {
        Map<String, String> env = new LinkedHashMap<>(resolve(function.environment(), table));
        env.putAll(base);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        return env;
    }

    private Map<String, String> resolve(Map<String, String> declared, String table) {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : declared.entrySet()) {
            String value = e.getValue();
            // SamTemplate gives plain scalars as text and intrinsics as their JSON ({"Ref": ...}).
            if (value != null && value.startsWith("{")) {
                JsonNode node;
                try {
                    node = json.readTree(value);
                } catch (Exception notJson) {
                    env.put(e.getKey(), value);
                    continue;
                }
                String ref = node.path("Ref").asText(null);
                if (ref == null) {
                    throw new IllegalStateException(e.getKey() + ": only Ref is resolved by the bench, not " + value);
                }
                JsonNode parameter = template.root().path("Parameters").path(ref);
                String type = parameter.isMissingNode() ? template.resource(ref).path("Type").asText("") : "";
                if (!parameter.isMissingNode()) {
                    value = parameter.path("Default").asText();
                } else if (type.equals("AWS::DynamoDB::Table")) {
                    value = table;
                } else if (type.equals("AWS::SQS::Queue")) {
                    value = queues.get(ref);
                } else if (type.equals("AWS::Events::EventBus")) {
                    value = BUS;
                } else {
                    throw new IllegalStateException(e.getKey() + ": cannot resolve Ref " + ref);
                }
            }
            env.put(e.getKey(), value);
        }
        return env;
    }

    @Override
    public void close() {
        eventBridge.close();
        ses.close();
        sqs.close();
        dynamoDb.close();
    }
}
