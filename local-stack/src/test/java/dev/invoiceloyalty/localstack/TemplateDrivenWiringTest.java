package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.local.SamTemplate;
import dev.invoiceloyalty.local.TableStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stack is wired from the template alone: every Handler of the repository's template resolves in its jar, and a
 * fixture template with a function, a schedule and a stream event the stack's code has never heard of is served as it
 * stands.
 */
class TemplateDrivenWiringTest {
    private static LocalStack stack;
    private static Http http;

    @BeforeAll
    static void start() {
        Path fixture = Repository.resource("/fixture-template.yaml");
        Repository.requireJars(fixture, Repository.root());
        stack = LocalStack.start(Options.builder().port(0).template(fixture).codeRoot(Repository.root())
                .endpoint(Repository.endpoint()).build());
        http = new Http(stack.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void givenTheRepositoryTemplate_whenEachHandlerIsResolvedInItsCodeUriJar_thenTheClassAndMethodExist() throws Exception {
        Repository.requireJars(Repository.template(), Repository.root());
        SamTemplate template = SamTemplate.load(Repository.template());
        List<String> checked = new ArrayList<>();
        for (SamTemplate.FunctionDef function : template.functions()) {
            Path jar = Repository.root().resolve(function.codeUri());
            try (URLClassLoader loader = new URLClassLoader(new java.net.URL[]{jar.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader())) {
                HandlerMethod handler = HandlerMethod.resolve(function.handler(), loader);
                assertEquals(function.handler().substring(function.handler().indexOf("::") + 2), handler.method().getName());
                checked.add(function.logicalId());
            }
        }
        assertTrue(checked.containsAll(List.of("InvoiceApiFunction", "MailerFunction")), "checked " + checked);
    }

    @Test
    void givenAFunctionTheStackCodeNeverNames_whenItsRouteIsCalled_thenItsHandlerAnswers() {
        // The mailer's handler behind an HttpApi route: the event has no Records, so no item failed.
        HttpResponse<String> response = http.json("POST", "/previews/mail-batch", "{}");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(0, Http.tree(response).path("batchItemFailures").size());
        assertTrue(Http.tree(response).path("batchItemFailures").isArray());
        assertTrue(stack.functionIds().contains("MailBatchPreviewFunction"));
    }

    @Test
    void givenAScheduleV2Event_whenTriggeredForATime_thenTheFunctionGetsItsInputWithThatTime() {
        HttpResponse<String> response = http.json("POST", "/_local/schedules/MailerFunction",
                "{\"time\":\"2026-11-23T06:00:00Z\",\"schedule\":\"ReplayProbe\"}");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = Http.tree(response);
        assertEquals("MailerFunction", answer.path("function").asText());
        assertEquals("ReplayProbe", answer.path("schedule").asText());
        assertEquals("2026-11-23T06:00:00Z", answer.path("time").asText());
        // The Input's one record is not a mail message: reported failed under the id the scheduled time filled in.
        assertEquals("2026-11-23T06:00:00Z", answer.at("/result/batchItemFailures/0/itemIdentifier").asText());
    }

    @Test
    void givenADynamoDbEventTheStackCodeNeverNames_whenMatchingAndOtherItemsAreWritten_thenOnlyTheMatchingRecordReachesItsFunction() {
        String table = stack.tableName("InvoiceTable");
        String failures = stack.queueUrl("StreamProbeFailureQueue");
        String probe = "PROBE#" + UUID.randomUUID();
        try (DynamoDbClient ddb = Clients.configure(DynamoDbClient.builder(), stack.dynamoDbEndpoint()).build();
             DynamoDbStreamsClient streams = Clients.configure(DynamoDbStreamsClient.builder(), stack.dynamoDbEndpoint()).build();
             SqsClient sqs = Clients.configure(SqsClient.builder(), stack.sqsEndpoint()).build()) {
            http.drain();
            receiveAll(sqs, failures); // what earlier writes to a shared endpoint left there

            ddb.putItem(put -> put.tableName(table).item(Map.of("pk", AttributeValue.fromS(probe),
                    "sk", AttributeValue.fromS("other"), "probe", AttributeValue.fromS("something-else"))));
            ddb.putItem(put -> put.tableName(table).item(Map.of("pk", AttributeValue.fromS(probe),
                    "sk", AttributeValue.fromS("match"), "probe", AttributeValue.fromS("stream-wiring"))));
            http.drain();

            // The mailer cannot read a stream record: with no retries, its one batch went to the failure queue.
            List<Message> received = receiveAll(sqs, failures);
            assertEquals(1, received.size(), received.toString());
            JsonNode record = Http.JSON.readTree(received.get(0).body());
            assertEquals("RetryAttemptsExhausted", record.at("/requestContext/condition").asText());
            assertTrue(record.at("/requestContext/functionArn").asText().endsWith(":function:invoice-loyalty-StreamProbeFunction"),
                    record.toString());
            JsonNode info = record.path("DDBStreamBatchInfo");
            assertEquals(1, info.path("batchSize").asInt(), info.toString());
            assertEquals(sequenceNumberOf(ddb, streams, table, probe, "match"), info.path("startSequenceNumber").asText());
            assertTrue(stack.describe().stream().anyMatch(line -> line.contains("StreamProbeFunction <- DynamoDB stream of "
                    + table)), stack.describe().toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The sequence number of the INSERT of an item, read from the table's stream from its start. */
    private static String sequenceNumberOf(DynamoDbClient ddb, DynamoDbStreamsClient streams, String table, String pk,
                                           String sk) {
        try (TableStream stream = TableStream.open(ddb, streams, table, Clients.REGION.id())) {
            List<ObjectNode> records;
            do {
                records = stream.poll(1000);
                for (JsonNode record : records) {
                    JsonNode keys = record.path("dynamodb").path("Keys");
                    if (record.path("eventName").asText().equals("INSERT") && keys.path("pk").path("S").asText().equals(pk)
                            && keys.path("sk").path("S").asText().equals(sk)) {
                        return record.path("dynamodb").path("SequenceNumber").asText();
                    }
                }
            } while (!records.isEmpty());
        }
        throw new AssertionError("no INSERT of " + pk + "/" + sk + " on the stream of " + table);
    }

    private static List<Message> receiveAll(SqsClient sqs, String queueUrl) {
        List<Message> all = new ArrayList<>();
        List<Message> received;
        do {
            received = sqs.receiveMessage(request -> request.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            for (Message message : received) {
                all.add(message);
                sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        } while (!received.isEmpty());
        return all;
    }

    @Test
    void givenABodyWithoutTime_whenAScheduleIsTriggered_thenItIsA400() {
        HttpResponse<String> response = http.json("POST", "/_local/schedules/MailerFunction", "{\"schedule\":\"ReplayProbe\"}");

        assertEquals(400, response.statusCode(), response.body());
    }

    @Test
    void givenAnUnknownScheduleName_whenTriggered_thenItIsA404() {
        HttpResponse<String> response = http.json("POST", "/_local/schedules/MailerFunction",
                "{\"time\":\"2026-11-23T06:00:00Z\",\"schedule\":\"Nope\"}");

        assertEquals(404, response.statusCode(), response.body());
    }
}
