package dev.invoiceloyalty.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TemplateResourcesTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static EmbeddedDynamoDb dynamoDb;
    private static EmbeddedSqs sqs;

    @BeforeAll
    static void start() {
        dynamoDb = EmbeddedDynamoDb.start();
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        dynamoDb.close();
    }

    static List<SamTemplate> templates() {
        return Templates.all().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void GIVEN_the_template_WHEN_the_table_is_created_THEN_it_has_the_declared_keys_indexes_billing_and_ttl(SamTemplate template) {
        DynamoDbClient ddb = dynamoDb.client();
        String name = "table-" + NAMES.incrementAndGet();

        TemplateResources.createTable(ddb, template, "InvoiceTable", name);

        TableDescription table = ddb.describeTable(d -> d.tableName(name)).table();
        assertEquals(List.of("pk:HASH", "sk:RANGE"), table.keySchema().stream()
                .map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList());
        Map<String, GlobalSecondaryIndexDescription> indexes = table.globalSecondaryIndexes().stream()
                .collect(Collectors.toMap(GlobalSecondaryIndexDescription::indexName, i -> i));
        assertEquals(List.of("GSI1", "GSI2", "GSI3"), indexes.keySet().stream().sorted().toList());
        for (int n = 1; n <= 3; n++) {
            GlobalSecondaryIndexDescription index = indexes.get("GSI" + n);
            assertEquals(List.of("gsi" + n + "pk:HASH", "gsi" + n + "sk:RANGE"), index.keySchema().stream()
                    .map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList());
            assertEquals(ProjectionType.ALL, index.projection().projectionType());
        }
        assertEquals(BillingMode.PAY_PER_REQUEST, table.billingModeSummary().billingMode());
        var ttl = ddb.describeTimeToLive(d -> d.tableName(name)).timeToLiveDescription();
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
        assertEquals("ttl", ttl.attributeName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void GIVEN_a_table_from_the_template_WHEN_an_item_carries_gsi_keys_THEN_the_index_finds_it_with_all_attributes(SamTemplate template) {
        DynamoDbClient ddb = dynamoDb.client();
        String name = "table-" + NAMES.incrementAndGet();
        TemplateResources.createTable(ddb, template, "InvoiceTable", name);

        ddb.putItem(p -> p.tableName(name).item(Map.of(
                "pk", AttributeValue.fromS("INVOICE#1"), "sk", AttributeValue.fromS("INVOICE"),
                "gsi1pk", AttributeValue.fromS("CUSTOMER#7"), "gsi1sk", AttributeValue.fromS("2026-11-22"),
                "amount", AttributeValue.fromN("123456"))));

        var found = ddb.query(q -> q.tableName(name).indexName("GSI1")
                .keyConditionExpression("gsi1pk = :c")
                .expressionAttributeValues(Map.of(":c", AttributeValue.fromS("CUSTOMER#7")))).items();

        assertEquals(1, found.size());
        assertEquals("123456", found.get(0).get("amount").n());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void GIVEN_an_existing_table_WHEN_it_is_created_again_THEN_it_is_left_as_it_is(SamTemplate template) {
        DynamoDbClient ddb = dynamoDb.client();
        String name = "table-" + NAMES.incrementAndGet();
        TemplateResources.createTable(ddb, template, "InvoiceTable", name);
        ddb.putItem(p -> p.tableName(name).item(Map.of(
                "pk", AttributeValue.fromS("kept"), "sk", AttributeValue.fromS("kept"))));

        TemplateResources.createTable(ddb, template, "InvoiceTable", name);

        assertEquals(1, ddb.scan(s -> s.tableName(name)).count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void GIVEN_the_template_WHEN_queues_are_created_THEN_each_has_its_declared_attributes_and_redrive_to_its_dlq(SamTemplate template) {
        SqsClient client = sqs.client();
        String suffix = "-q" + NAMES.incrementAndGet();

        Map<String, String> urls = TemplateResources.createQueues(client, template, suffix);

        assertEquals(template.queueLogicalIds(), List.copyOf(urls.keySet()));
        assertTrue(urls.get("MailQueue").endsWith("/MailQueue" + suffix), urls.toString());
        Map<String, String> mail = attributes(client, urls.get("MailQueue"));
        String dlqArn = attributes(client, urls.get("MailDeadLetterQueue")).get("QueueArn");
        assertEquals("180", mail.get("VisibilityTimeout"));
        JsonNode redrive = json(mail.get("RedrivePolicy"));
        assertEquals(dlqArn, redrive.get("deadLetterTargetArn").asText());
        assertEquals(5, redrive.get("maxReceiveCount").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void GIVEN_the_template_WHEN_queues_are_created_THEN_the_dlq_is_created_first_and_retention_is_requested(SamTemplate template) {
        // ElasticMQ accepts MessageRetentionPeriod but neither keeps nor reports it, so the request is
        // what can be checked.
        List<CreateQueueRequest> requests = new CopyOnWriteArrayList<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof CreateQueueRequest create) {
                    requests.add(create);
                }
            }
        };
        String suffix = "-c" + NAMES.incrementAndGet();
        try (SqsClient recording = LocalClients.configure(SqsClient.builder(), sqs.endpoint())
                .overrideConfiguration(o -> o.addExecutionInterceptor(recorder)).build()) {

            TemplateResources.createQueues(recording, template, suffix);
        }

        // Other queues may come and go with the template; the mail pair shows the rule: DLQ first.
        List<CreateQueueRequest> mail = requests.stream().filter(r -> r.queueName().startsWith("Mail")).toList();
        assertEquals(List.of("MailDeadLetterQueue" + suffix, "MailQueue" + suffix),
                mail.stream().map(CreateQueueRequest::queueName).toList());
        assertEquals("1209600", mail.get(0).attributesAsStrings().get("MessageRetentionPeriod"));
        assertEquals("345600", mail.get(1).attributesAsStrings().get("MessageRetentionPeriod"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void GIVEN_queues_from_the_template_WHEN_a_message_is_received_max_receive_count_times_THEN_the_next_receive_finds_it_in_the_dlq(SamTemplate template) {
        SqsClient client = sqs.client();
        Map<String, String> urls = TemplateResources.createQueues(client, template, "-r" + NAMES.incrementAndGet());
        String queue = urls.get("MailQueue");
        client.sendMessage(m -> m.queueUrl(queue).messageBody("poison"));

        for (int receive = 1; receive <= 5; receive++) {
            // Visibility 0 makes the message visible again at once, as if the consumer failed it.
            List<Message> got = client.receiveMessage(r -> r.queueUrl(queue).visibilityTimeout(0).waitTimeSeconds(1)).messages();
            assertEquals(1, got.size(), "receive " + receive);
        }
        List<Message> sixth = client.receiveMessage(r -> r.queueUrl(queue).visibilityTimeout(0).waitTimeSeconds(0)).messages();
        List<Message> dead = client.receiveMessage(r -> r.queueUrl(urls.get("MailDeadLetterQueue")).waitTimeSeconds(1)).messages();

        assertEquals(List.of(), sixth);
        assertEquals(List.of("poison"), dead.stream().map(Message::body).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templates")
    void GIVEN_existing_queues_WHEN_they_are_created_again_THEN_the_same_urls_come_back_and_messages_stay(SamTemplate template) {
        SqsClient client = sqs.client();
        String suffix = "-i" + NAMES.incrementAndGet();
        Map<String, String> first = TemplateResources.createQueues(client, template, suffix);
        client.sendMessage(m -> m.queueUrl(first.get("MailQueue")).messageBody("kept"));

        Map<String, String> second = TemplateResources.createQueues(client, template, suffix);

        assertEquals(first, second);
        assertEquals("1", attributes(client, second.get("MailQueue")).get("ApproximateNumberOfMessages"));
    }

    private static Map<String, String> attributes(SqsClient client, String url) {
        return client.getQueueAttributes(g -> g.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}
