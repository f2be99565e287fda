package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.local.SamTemplate;
import dev.invoiceloyalty.local.TemplateResources;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Everything the stack takes from template.yaml: the resources to create, what their {@code Ref}s and ARNs are once
 * created, each function's code, handler and environment, and its events. No function is named in code: a function
 * added to the template is served on the next start.
 */
final class StackWiring {
    static final String FUNCTION_TYPE = "AWS::Serverless::Function";
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@([^@\\s]+)$");

    /** SPEC §10: local defaults of the webhook secrets, each overridable by the process environment. */
    static Map<String, String> localSecrets(int port) {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("STRIPE_WEBHOOK_SECRET", "whsec_local");
        secrets.put("SQUARE_SIGNATURE_KEY", "square_local");
        secrets.put("SQUARE_NOTIFICATION_URL", "http://127.0.0.1:" + port + "/webhooks/square");
        return secrets;
    }

    private final SamTemplate template;
    private final Options options;
    private final Function<String, String> processEnv;
    private final Map<String, String> tableNames = new LinkedHashMap<>();
    private final Map<String, String> streamArns = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> queueUrls = new LinkedHashMap<>();
    private final Map<String, String> queueArns = new LinkedHashMap<>();
    private final Map<String, String> busNames = new LinkedHashMap<>();
    private String accountId = Clients.EMBEDDED_ACCOUNT_ID;
    private Intrinsics intrinsics;

    StackWiring(SamTemplate template, Options options, Function<String, String> processEnv) {
        this.template = template;
        this.options = options;
        this.processEnv = processEnv;
    }

    SamTemplate template() {
        return template;
    }

    String accountId() {
        return accountId;
    }

    Map<String, String> tableNames() {
        return tableNames;
    }

    /** Table logical id → its stream's ARN (LatestStreamArn), for the tables that have a stream. */
    Map<String, String> streamArns() {
        return streamArns;
    }

    Map<String, String> queueUrls() {
        return queueUrls;
    }

    Map<String, String> queueArns() {
        return queueArns;
    }

    Map<String, String> busNames() {
        return busNames;
    }

    /** Where a function's {@code CodeUri} jar is; relative ones against the code root (default: the template's folder). */
    Path codeOf(String logicalId) {
        SamTemplate.FunctionDef function = template.function(logicalId);
        if (function.codeUri() == null || function.codeUri().startsWith("{")) {
            throw new IllegalStateException(logicalId + ": CodeUri must be a path to the function's jar, not "
                    + function.codeUri());
        }
        Path root = options.codeRoot() != null ? options.codeRoot() : template.path().toAbsolutePath().getParent();
        return root.resolve(function.codeUri()).normalize();
    }

    List<String> functionIds() {
        return template.logicalIdsOfType(FUNCTION_TYPE);
    }

    /** Creates the tables, queues and event buses on the backends, as CloudFormation would, and records their names. */
    void createResources(Backends backends) {
        Intrinsics plain = new Intrinsics(template, pseudo(), processEnv);
        Map<String, String> names = new LinkedHashMap<>();
        for (String tableId : template.tableLogicalIds()) {
            JsonNode declared = template.resource(tableId).path("Properties").get("TableName");
            names.put(tableId, declared != null ? plain.resolve(declared, null) : options.stackName() + "-" + tableId);
        }
        // Tables and queues are independent, and each backend's first call is its slowest: side by side.
        DynamoDbClient ddb = backends.dynamoDb();
        CompletableFuture<Void> tables = CompletableFuture.runAsync(() -> names.forEach((tableId, name) -> {
            TemplateResources.createTable(ddb, template, tableId, name);
            String streamArn = ensureStream(ddb, tableId, name);
            if (streamArn != null) {
                streamArns.put(tableId, streamArn);
            }
        }));
        SqsClient sqs = backends.sqs();
        queueUrls.putAll(TemplateResources.createQueues(sqs, template, ""));
        queueUrls.forEach((id, url) -> queueArns.put(id, sqs.getQueueAttributes(request -> request.queueUrl(url)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN)));
        try {
            tables.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        tableNames.putAll(names);
        // The account the endpoint puts in its ARNs (moto: 123456789012), so the ARNs the stack builds agree with it.
        queueArns.values().stream().findFirst().ifPresent(arn -> {
            String[] parts = arn.split(":");
            if (parts.length > 4 && !parts[4].isEmpty()) {
                accountId = parts[4];
            }
        });
        plain = new Intrinsics(template, pseudo(), processEnv);
        for (String busId : template.logicalIdsOfType("AWS::Events::EventBus")) {
            JsonNode declared = template.resource(busId).path("Properties").get("Name");
            busNames.put(busId, declared != null ? plain.resolve(declared, null) : busId);
        }
        Map<String, String> busArns = new LinkedHashMap<>();
        busNames.forEach((id, name) -> busArns.put(id, backends.eventBus(name, accountId)));

        intrinsics = new Intrinsics(template, pseudo(), processEnv);
        template.root().path("Resources").properties().forEach(entry -> intrinsics.defineRef(entry.getKey(), entry.getKey()));
        String region = Clients.REGION.id();
        tableNames.forEach((id, name) -> {
            intrinsics.defineRef(id, name);
            String arn = "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + name;
            intrinsics.defineAttribute(id, "Arn", arn);
            intrinsics.defineAttribute(id, "StreamArn", streamArns.getOrDefault(id, arn + "/stream/local"));
        });
        queueUrls.forEach((id, url) -> {
            intrinsics.defineRef(id, url);
            intrinsics.defineAttribute(id, "Arn", queueArns.get(id));
            intrinsics.defineAttribute(id, "QueueUrl", url);
            intrinsics.defineAttribute(id, "QueueName", url.substring(url.lastIndexOf('/') + 1));
        });
        busNames.forEach((id, name) -> {
            intrinsics.defineRef(id, name);
            intrinsics.defineAttribute(id, "Name", name);
            intrinsics.defineAttribute(id, "Arn", busArns.get(id));
        });
        for (String api : template.logicalIdsOfType("AWS::Serverless::HttpApi")) {
            intrinsics.defineRef(api, HttpApiEvents.API_ID);
        }
        for (String function : functionIds()) {
            intrinsics.defineRef(function, functionName(function));
            intrinsics.defineAttribute(function, "Arn", functionArn(function));
        }
    }

    String functionName(String logicalId) {
        return options.stackName() + "-" + logicalId;
    }

    String functionArn(String logicalId) {
        return "arn:aws:lambda:" + Clients.REGION.id() + ":" + accountId + ":function:" + functionName(logicalId);
    }

    /**
     * The function's environment as Lambda would give it: {@code Globals.Function.Environment.Variables} merged with
     * its own, intrinsics resolved; the reserved variables Lambda sets; the per-service endpoints; the local secrets;
     * then {@link Options#environment()} over all.
     */
    Map<String, String> environment(String logicalId, Backends backends, int port) {
        JsonNode globals = template.root().path("Globals").path("Function");
        JsonNode properties = template.resource(logicalId).path("Properties");
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        globals.path("Environment").path("Variables").properties().forEach(e -> declared.put(e.getKey(), e.getValue()));
        properties.path("Environment").path("Variables").properties().forEach(e -> declared.put(e.getKey(), e.getValue()));

        Map<String, String> secrets = localSecrets(port);
        Map<String, String> environment = new LinkedHashMap<>();
        declared.forEach((name, value) -> {
            if (!secrets.containsKey(name)) {
                try {
                    environment.put(name, intrinsics.resolve(value, name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(logicalId + ": environment variable " + name + ": " + e.getMessage(), e);
                }
            }
        });
        secrets.forEach((name, fallback) -> {
            String fromProcess = processEnv.apply(name);
            environment.put(name, fromProcess != null && !fromProcess.isBlank() ? fromProcess : fallback);
        });

        // Reserved by Lambda: a template cannot set them.
        environment.put("AWS_REGION", Clients.REGION.id());
        environment.put("AWS_DEFAULT_REGION", Clients.REGION.id());
        environment.put("AWS_ACCESS_KEY_ID", Clients.ACCESS_KEY);
        environment.put("AWS_SECRET_ACCESS_KEY", Clients.SECRET_KEY);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", functionName(logicalId));
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb(logicalId)));
        environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName(logicalId));
        environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + text(properties, globals, "Runtime", "java21"));
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", endpoint(backends.dynamoDbEndpoint()));
        environment.put("AWS_ENDPOINT_URL_SQS", endpoint(backends.sqsEndpoint()));
        environment.put("AWS_ENDPOINT_URL_SESV2", endpoint(backends.sesEndpoint()));
        environment.put("AWS_ENDPOINT_URL_EVENTBRIDGE", endpoint(backends.eventBridgeEndpoint()));
        if (options.endpoint() != null) {
            environment.put("AWS_ENDPOINT_URL", endpoint(options.endpoint()));
        }
        environment.putAll(options.environment());
        return environment;
    }

    int timeoutSeconds(String logicalId) {
        return Integer.parseInt(text(template.resource(logicalId).path("Properties"),
                template.root().path("Globals").path("Function"), "Timeout", "3"));
    }

    int memoryMb(String logicalId) {
        return Integer.parseInt(text(template.resource(logicalId).path("Properties"),
                template.root().path("Globals").path("Function"), "MemorySize", "128"));
    }

    /** The queue a {@code Queue:} property names: {@code Fn::GetAtt [Id, Arn]}, {@code Ref}, or an ARN of a known queue. */
    String queueOf(JsonNode queue, String where) {
        if (queue != null && queue.has("Fn::GetAtt")) {
            JsonNode target = queue.get("Fn::GetAtt");
            String id = target.isArray() ? target.get(0).asText() : target.asText().split("\\.")[0];
            if (queueUrls.containsKey(id)) {
                return id;
            }
        }
        if (queue != null && queue.has("Ref") && queueUrls.containsKey(queue.get("Ref").asText())) {
            return queue.get("Ref").asText();
        }
        String arn = queue == null ? null : intrinsics.resolve(queue, null);
        for (Map.Entry<String, String> entry : queueArns.entrySet()) {
            if (entry.getValue().equals(arn)) {
                return entry.getKey();
            }
        }
        throw new IllegalStateException(where + ": Queue " + queue + " is not a queue of the template");
    }

    /**
     * The table whose stream a {@code Stream:} property names: {@code Fn::GetAtt [Id, StreamArn]} of a table of the
     * template, or the ARN of one of their streams.
     */
    String tableOfStream(JsonNode stream, String where) {
        if (stream != null && stream.has("Fn::GetAtt")) {
            JsonNode target = stream.get("Fn::GetAtt");
            String[] parts = target.isArray() ? new String[]{target.get(0).asText(), target.path(1).asText()}
                    : target.asText().split("\\.", 2);
            if (tableNames.containsKey(parts[0]) && parts.length > 1 && "StreamArn".equals(parts[1])) {
                return parts[0];
            }
        }
        String arn;
        try {
            arn = stream == null ? null : intrinsics.resolve(stream, null);
        } catch (IllegalArgumentException unresolvable) {
            arn = null;
        }
        for (Map.Entry<String, String> entry : streamArns.entrySet()) {
            if (entry.getValue().equals(arn)) {
                return entry.getKey();
            }
        }
        throw new IllegalStateException(where + ": Stream " + stream + " is not the stream of a table of the template"
                + " (Fn::GetAtt: [<table>, StreamArn])");
    }

    /**
     * The queue of a DynamoDB or SQS event's {@code DestinationConfig.OnFailure}, or null when there is none.
     *
     * @throws IllegalStateException for a destination the local stack cannot deliver to (SNS, a foreign queue)
     */
    String onFailureQueueOf(JsonNode properties, String where) {
        JsonNode onFailure = properties.path("DestinationConfig").path("OnFailure");
        if (onFailure.isMissingNode() || onFailure.isNull()) {
            return null;
        }
        String type = onFailure.path("Type").asText("SQS");
        if (!"SQS".equals(type)) {
            throw new IllegalStateException(where + ": DestinationConfig.OnFailure of Type " + type
                    + " is not supported by the local stack (SQS only)");
        }
        return queueOf(onFailure.get("Destination"), where + ".DestinationConfig.OnFailure");
    }

    /**
     * The stream ARN of a table whose template declares {@code StreamSpecification}, turning the stream on when an
     * existing table (an endpoint's, from an earlier template) has none; null for a table without a stream.
     */
    private String ensureStream(DynamoDbClient ddb, String tableId, String tableName) {
        JsonNode specification = template.resource(tableId).path("Properties").get("StreamSpecification");
        TableDescription table = ddb.describeTable(request -> request.tableName(tableName)).table();
        if (specification == null || table.latestStreamArn() != null && table.streamSpecification() != null
                && Boolean.TRUE.equals(table.streamSpecification().streamEnabled())) {
            return table.latestStreamArn();
        }
        String viewType = specification.path("StreamViewType").asText();
        ddb.updateTable(request -> request.tableName(tableName)
                .streamSpecification(stream -> stream.streamEnabled(true).streamViewType(viewType)));
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(ddb).build()) {
            waiter.waitUntilTableExists(request -> request.tableName(tableName));
        }
        return ddb.describeTable(request -> request.tableName(tableName)).table().latestStreamArn();
    }

    /** Queues that receive another queue's failures ({@code RedrivePolicy.deadLetterTargetArn}). */
    Set<String> deadLetterQueues() {
        Set<String> dlqs = new LinkedHashSet<>();
        for (String id : template.queueLogicalIds()) {
            JsonNode target = template.resource(id).path("Properties").path("RedrivePolicy").get("deadLetterTargetArn");
            if (target != null && target.has("Fn::GetAtt")) {
                JsonNode getAtt = target.get("Fn::GetAtt");
                dlqs.add(getAtt.isArray() ? getAtt.get(0).asText() : getAtt.asText().split("\\.")[0]);
            }
        }
        return dlqs;
    }

    /**
     * The SES identities the functions may send as: the {@code identity/...} resources of their {@code ses:} policy
     * statements, else the domains of their {@code *FROM*} addresses. The endpoint verifies them, as a deployer would.
     */
    Set<String> sesIdentities(Map<String, Map<String, String>> environments) {
        Set<String> identities = new LinkedHashSet<>();
        for (String function : functionIds()) {
            for (JsonNode policy : template.resource(function).path("Properties").path("Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    boolean ses = false;
                    for (JsonNode action : statement.path("Action").isArray() ? statement.path("Action")
                            : List.of(statement.path("Action"))) {
                        ses |= action.asText().startsWith("ses:");
                    }
                    if (!ses) {
                        continue;
                    }
                    for (JsonNode resource : statement.path("Resource").isArray() ? statement.path("Resource")
                            : List.of(statement.path("Resource"))) {
                        String arn;
                        try {
                            arn = intrinsics.resolve(resource, null);
                        } catch (IllegalArgumentException unresolvable) {
                            continue;
                        }
                        int at = arn == null ? -1 : arn.indexOf(":identity/");
                        if (at >= 0 && !arn.endsWith("/*")) {
                            identities.add(arn.substring(at + ":identity/".length()));
                        }
                    }
                }
            }
        }
        environments.values().forEach(environment -> environment.forEach((name, value) -> {
            var matcher = value == null ? null : EMAIL.matcher(value);
            if (name.contains("FROM") && matcher != null && matcher.matches()) {
                identities.add(matcher.group(1));
            }
        }));
        return identities;
    }

    /** The function's events of one {@code Type}. */
    List<SamTemplate.EventDef> events(String logicalId, String type) {
        List<SamTemplate.EventDef> events = new ArrayList<>();
        for (SamTemplate.EventDef event : template.function(logicalId).events()) {
            if (type.equals(event.type()) || ("Schedule*".equals(type) && ScheduleEvent.isSchedule(event.type()))) {
                events.add(event);
            }
        }
        return events;
    }

    String resolve(JsonNode node) {
        return intrinsics.resolve(node, null);
    }

    private Map<String, String> pseudo() {
        Map<String, String> pseudo = new LinkedHashMap<>();
        pseudo.put("AWS::Region", Clients.REGION.id());
        pseudo.put("AWS::AccountId", accountId);
        pseudo.put("AWS::StackName", options.stackName());
        pseudo.put("AWS::StackId", "arn:aws:cloudformation:" + Clients.REGION.id() + ":" + accountId + ":stack/"
                + options.stackName() + "/local");
        pseudo.put("AWS::Partition", "aws");
        pseudo.put("AWS::URLSuffix", "amazonaws.com");
        pseudo.put("AWS::NoValue", "");
        return pseudo;
    }

    private static String text(JsonNode own, JsonNode globals, String field, String fallback) {
        JsonNode value = own.get(field) != null ? own.get(field) : globals.get(field);
        return value == null || !value.isValueNode() ? fallback : value.asText();
    }

    private static String endpoint(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
