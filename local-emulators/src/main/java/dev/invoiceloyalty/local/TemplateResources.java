package dev.invoiceloyalty.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates the template's tables and queues on an emulator, as CloudFormation would create them in AWS,
 * under names the caller chooses so that tests never share state.
 */
public final class TemplateResources {
    /** CloudFormation queue properties that are SQS attributes of the same name and meaning. */
    private static final List<String> QUEUE_ATTRIBUTES = List.of("VisibilityTimeout", "MessageRetentionPeriod",
            "DelaySeconds", "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds", "FifoQueue",
            "ContentBasedDeduplication");

    private TemplateResources() {
    }

    /**
     * Creates table {@code tableName} with the keys, indexes, stream and time-to-live of the template's
     * {@code logicalId}, on demand whatever the template says. Leaves an existing table of that name alone.
     * Point-in-time recovery and encryption settings have no local meaning and are skipped.
     */
    public static void createTable(DynamoDbClient ddb, SamTemplate template, String logicalId, String tableName) {
        JsonNode resource = template.resource(logicalId);
        requireType(template, logicalId, resource, "AWS::DynamoDB::Table");
        JsonNode properties = resource.path("Properties");

        List<AttributeDefinition> attributes = new ArrayList<>();
        for (JsonNode attribute : properties.path("AttributeDefinitions")) {
            attributes.add(AttributeDefinition.builder()
                    .attributeName(plain(template, attribute.get("AttributeName")))
                    .attributeType(plain(template, attribute.get("AttributeType")))
                    .build());
        }
        List<GlobalSecondaryIndex> globalIndexes = new ArrayList<>();
        for (JsonNode index : properties.path("GlobalSecondaryIndexes")) {
            globalIndexes.add(GlobalSecondaryIndex.builder()
                    .indexName(plain(template, index.get("IndexName")))
                    .keySchema(keySchema(template, index.path("KeySchema")))
                    .projection(projection(template, index.path("Projection")))
                    .build());
        }
        List<LocalSecondaryIndex> localIndexes = new ArrayList<>();
        for (JsonNode index : properties.path("LocalSecondaryIndexes")) {
            localIndexes.add(LocalSecondaryIndex.builder()
                    .indexName(plain(template, index.get("IndexName")))
                    .keySchema(keySchema(template, index.path("KeySchema")))
                    .projection(projection(template, index.path("Projection")))
                    .build());
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(attributes)
                .keySchema(keySchema(template, properties.path("KeySchema")))
                .billingMode(BillingMode.PAY_PER_REQUEST);
        // The SDK sends an empty list as "[]", which DynamoDB rejects; absent is what "no indexes" means.
        if (!globalIndexes.isEmpty()) {
            request.globalSecondaryIndexes(globalIndexes);
        }
        if (!localIndexes.isEmpty()) {
            request.localSecondaryIndexes(localIndexes);
        }
        JsonNode stream = properties.get("StreamSpecification");
        if (stream != null) {
            request.streamSpecification(StreamSpecification.builder()
                    .streamEnabled(true)
                    .streamViewType(plain(template, stream.get("StreamViewType")))
                    .build());
        }
        try {
            ddb.createTable(request.build());
        } catch (ResourceInUseException alreadyThere) {
            return;
        }
        // DynamoDB Local creates tables ACTIVE; LocalStack and AWS do not, and reject UpdateTimeToLive and
        // writes until they are.
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(ddb).build()) {
            waiter.waitUntilTableExists(describe -> describe.tableName(tableName));
        }

        JsonNode ttl = properties.get("TimeToLiveSpecification");
        if (ttl != null && Boolean.parseBoolean(plain(template, ttl.get("Enabled")))) {
            String attribute = plain(template, ttl.get("AttributeName"));
            ddb.updateTimeToLive(update -> update.tableName(tableName)
                    .timeToLiveSpecification(spec -> spec.attributeName(attribute).enabled(true)));
        }
    }

    /**
     * Creates every queue of the template, named {@code <logicalId><nameSuffix>} (plus {@code .fifo} for a
     * FIFO queue), dead-letter queues before the queues that redrive to them, with the declared timeouts,
     * retention and redrive policy. An existing queue of that name is reused as it is. Returns logical id →
     * queue URL, in template order.
     */
    public static Map<String, String> createQueues(SqsClient sqs, SamTemplate template, String nameSuffix) {
        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, String> arns = new LinkedHashMap<>();
        Set<String> inProgress = new HashSet<>();
        for (String logicalId : template.queueLogicalIds()) {
            createQueue(sqs, template, logicalId, nameSuffix, urls, arns, inProgress);
        }
        Map<String, String> inTemplateOrder = new LinkedHashMap<>();
        template.queueLogicalIds().forEach(id -> inTemplateOrder.put(id, urls.get(id)));
        return java.util.Collections.unmodifiableMap(inTemplateOrder);
    }

    private static void createQueue(SqsClient sqs, SamTemplate template, String logicalId, String nameSuffix,
                                    Map<String, String> urls, Map<String, String> arns, Set<String> inProgress) {
        if (urls.containsKey(logicalId)) {
            return;
        }
        if (!inProgress.add(logicalId)) {
            throw new IllegalArgumentException("queues in " + template.path() + " redrive to each other in a cycle: " + inProgress);
        }
        JsonNode properties = template.resource(logicalId).path("Properties");
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String name : QUEUE_ATTRIBUTES) {
            JsonNode value = properties.get(name);
            if (value != null) {
                attributes.put(name, plain(template, value));
            }
        }
        JsonNode redrive = properties.get("RedrivePolicy");
        if (redrive != null) {
            JsonNode target = redrive.get("deadLetterTargetArn");
            String deadLetterQueue = getAttTarget(target, "Arn");
            String targetArn;
            if (deadLetterQueue != null) {
                requireType(template, deadLetterQueue, template.resource(deadLetterQueue), "AWS::SQS::Queue");
                createQueue(sqs, template, deadLetterQueue, nameSuffix, urls, arns, inProgress);
                targetArn = arns.get(deadLetterQueue);
            } else {
                targetArn = plain(template, target);
            }
            ObjectNode policy = CaptureServer.JSON.createObjectNode()
                    .put("deadLetterTargetArn", targetArn)
                    .put("maxReceiveCount", Integer.parseInt(plain(template, redrive.get("maxReceiveCount"))));
            attributes.put("RedrivePolicy", policy.toString());
        }

        boolean fifo = Boolean.parseBoolean(attributes.getOrDefault("FifoQueue", "false"));
        if (!fifo) {
            // SQS rejects FifoQueue=false on create; a standard queue simply leaves it out.
            attributes.remove("FifoQueue");
        }
        String name = logicalId + nameSuffix + (fifo ? ".fifo" : "");
        String url;
        try {
            url = sqs.getQueueUrl(request -> request.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException absent) {
            url = sqs.createQueue(request -> request.queueName(name).attributesWithStrings(attributes)).queueUrl();
        }
        String queueUrl = url;
        String arn = sqs.getQueueAttributes(request -> request.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        urls.put(logicalId, url);
        arns.put(logicalId, arn);
        inProgress.remove(logicalId);
    }

    private static List<KeySchemaElement> keySchema(SamTemplate template, JsonNode keySchema) {
        List<KeySchemaElement> keys = new ArrayList<>();
        for (JsonNode key : keySchema) {
            keys.add(KeySchemaElement.builder()
                    .attributeName(plain(template, key.get("AttributeName")))
                    .keyType(plain(template, key.get("KeyType")))
                    .build());
        }
        return keys;
    }

    private static Projection projection(SamTemplate template, JsonNode projection) {
        Projection.Builder builder = Projection.builder()
                .projectionType(projection.has("ProjectionType") ? plain(template, projection.get("ProjectionType")) : "KEYS_ONLY");
        List<String> nonKey = new ArrayList<>();
        projection.path("NonKeyAttributes").forEach(attribute -> nonKey.add(plain(template, attribute)));
        if (!nonKey.isEmpty()) {
            builder.nonKeyAttributes(nonKey);
        }
        return builder.build();
    }

    /** The logical id in {@code Fn::GetAtt: [Id, attribute]} or {@code Fn::GetAtt: Id.attribute}; else null. */
    private static String getAttTarget(JsonNode node, String attribute) {
        JsonNode getAtt = node == null ? null : node.get("Fn::GetAtt");
        if (getAtt == null) {
            return null;
        }
        if (getAtt.isArray() && getAtt.size() == 2 && attribute.equals(getAtt.get(1).asText())) {
            return getAtt.get(0).asText();
        }
        if (getAtt.isTextual() && getAtt.asText().endsWith("." + attribute)) {
            String text = getAtt.asText();
            return text.substring(0, text.length() - attribute.length() - 1);
        }
        return null;
    }

    /**
     * A property's value as text: a plain scalar, or {@code Ref:} to a template parameter, resolved to the
     * parameter's default (what a local run deploys with). Anything else cannot be known without a stack.
     */
    private static String plain(SamTemplate template, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("a required property is missing in " + template.path());
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        JsonNode ref = node.get("Ref");
        if (ref != null && node.size() == 1) {
            JsonNode defaultValue = template.root().path("Parameters").path(ref.asText()).get("Default");
            if (defaultValue != null && defaultValue.isValueNode()) {
                return defaultValue.asText();
            }
        }
        throw new IllegalArgumentException("cannot resolve " + node + " in " + template.path()
                + " locally: use a plain value or a Ref to a parameter with a Default");
    }

    private static void requireType(SamTemplate template, String logicalId, JsonNode resource, String type) {
        if (!type.equals(resource.path("Type").asText())) {
            throw new IllegalArgumentException(logicalId + " in " + template.path() + " is not an " + type);
        }
    }
}
