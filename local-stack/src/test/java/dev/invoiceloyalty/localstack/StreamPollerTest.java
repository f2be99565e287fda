package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.local.SamTemplate;
import dev.invoiceloyalty.local.TableStream;
import dev.invoiceloyalty.local.TemplateResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The DynamoDB event source mapping on DynamoDB Local's stream of a table shaped like the template's, with a function
 * written here (what it answers is the point), and ElasticMQ for the on-failure destination.
 */
class StreamPollerTest {
    /** The template's OutboxStream filter. */
    private static final String OUTBOX = "{\"eventName\": [\"INSERT\"], \"dynamodb\": {\"NewImage\": {\"relay\": {\"S\": [\"outbox\"]}}}}";
    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:invoice-loyalty-Probe";
    private static final AtomicInteger TABLES = new AtomicInteger();

    private static LocalBackends backends;
    private static SamTemplate template;
    private static DynamoDbStreamsClient streams;

    private final List<StreamPoller> pollers = new ArrayList<>();

    @BeforeAll
    static void emulators() {
        backends = LocalBackends.shared();
        template = SamTemplate.load(Repository.template());
        streams = Clients.configure(DynamoDbStreamsClient.builder(), backends.dynamoDb().endpoint()).build();
    }

    @AfterAll
    static void closeStreams() {
        streams.close();
    }

    @AfterEach
    void stopPollers() {
        pollers.forEach(StreamPoller::stop);
        pollers.forEach(poller -> poller.join(Duration.ofSeconds(5)));
    }

    // -------------------------------------------------------------------------------------------------------------
    // What the function gets
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void givenOutboxAndOtherWrites_whenTheStreamIsPolled_thenOnlyMatchingRecordsArriveInStreamOrderAndBatchSize() {
        String table = table();
        put(table, "o1", true);
        put(table, "p1", false);
        put(table, "o2", true);
        put(table, "o3", true);
        put(table, "o1", true); // a MODIFY of o1: not an INSERT
        put(table, "o4", true);
        put(table, "o5", true);
        Recorder function = new Recorder(batch -> success());

        StreamPoller poller = start(table, settings("\"BatchSize\": 2, \"FilterCriteria\": {\"Filters\": [{\"Pattern\": "
                + quoted(OUTBOX) + "}]}"), function, null);
        awaitCaughtUp(poller);

        assertEquals(List.of(List.of("o1", "o2"), List.of("o3", "o4"), List.of("o5")), function.batches());
        JsonNode first = function.events.get(0).path("Records").get(0);
        assertEquals("INSERT", first.path("eventName").asText());
        assertEquals("aws:dynamodb", first.path("eventSource").asText());
        assertEquals(poller.streamArn(), first.path("eventSourceARN").asText());
        assertEquals("outbox", first.path("dynamodb").path("NewImage").path("relay").path("S").asText());
    }

    @Test
    void givenStartingPositionLatest_whenTheMappingStarts_thenOnlyRecordsWrittenAfterwardsArrive() {
        String table = table();
        put(table, "before", true);
        Recorder function = new Recorder(batch -> success());

        StreamPoller poller = start(table, settings("\"StartingPosition\": \"LATEST\""), function, null);
        put(table, "after", true);
        awaitCaughtUp(poller);

        assertEquals(List.of(List.of("after")), function.batches());
    }

    // -------------------------------------------------------------------------------------------------------------
    // Failures and retries
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void givenReportBatchItemFailures_whenARecordIsReported_thenTheRecordsBeforeItAreDoneAndTheRestIsRetried() {
        String table = table();
        put(table, "a", true);
        put(table, "b", true);
        put(table, "c", true);
        AtomicInteger calls = new AtomicInteger();
        Recorder function = new Recorder(batch -> calls.incrementAndGet() == 1 ? failedAt(batch.get(1)) : success());

        StreamPoller poller = start(table, settings("\"FunctionResponseTypes\": [\"ReportBatchItemFailures\"]"),
                function, null);
        awaitCaughtUp(poller);

        assertEquals(List.of(List.of("a", "b", "c"), List.of("b", "c")), function.batches());
    }

    @Test
    void givenAFunctionThatThrows_whenItSucceedsOnTheRetry_thenTheWholeBatchWasRetried() {
        String table = table();
        put(table, "a", true);
        put(table, "b", true);
        AtomicInteger calls = new AtomicInteger();
        Recorder function = new Recorder(batch -> calls.incrementAndGet() == 1 ? thrown() : success());

        StreamPoller poller = start(table, settings("\"FunctionResponseTypes\": [\"ReportBatchItemFailures\"]"),
                function, null);
        awaitCaughtUp(poller);

        assertEquals(List.of(List.of("a", "b"), List.of("a", "b")), function.batches());
    }

    @Test
    void givenBisectAndAPoisonRecord_whenItsRetriesRunOut_thenOnlyItGoesToTheOnFailureQueueAndTheOthersAreDone() {
        String table = table();
        for (String sk : List.of("a", "b", "poison", "d")) {
            put(table, sk, true);
        }
        Recorder function = new Recorder(batch -> batch.stream().anyMatch(r -> sk(r).equals("poison")) ? thrown() : success());
        SqsClient sqs = backends.sqs().client();
        String queue = sqs.createQueue(request -> request.queueName("stream-failures-" + UUID.randomUUID())).queueUrl();

        StreamPoller poller = start(table, settings("\"BisectBatchOnFunctionError\": true, \"MaximumRetryAttempts\": 1"),
                function, new StreamPoller.FailureDestination(sqs, queue, "StreamFailures"));
        awaitCaughtUp(poller);

        // Split in halves (not counted as retries), then the poison record alone: the first try and one retry.
        assertEquals(List.of(List.of("a", "b", "poison", "d"), List.of("a", "b"), List.of("poison", "d"),
                List.of("poison"), List.of("poison"), List.of("d")), function.batches());
        List<Message> failures = receiveAll(sqs, queue);
        assertEquals(1, failures.size(), failures.toString());
        JsonNode record = json(failures.get(0).body());
        assertEquals("RetryAttemptsExhausted", record.at("/requestContext/condition").asText());
        assertEquals(FUNCTION_ARN, record.at("/requestContext/functionArn").asText());
        assertEquals(2, record.at("/requestContext/approximateInvokeCount").asInt());
        assertEquals("Unhandled", record.at("/responseContext/functionError").asText());
        JsonNode info = record.path("DDBStreamBatchInfo");
        String poisonSequence = function.sequenceOf("poison");
        assertEquals(poisonSequence, info.path("startSequenceNumber").asText());
        assertEquals(poisonSequence, info.path("endSequenceNumber").asText());
        assertEquals(1, info.path("batchSize").asInt());
        assertEquals(poller.streamArn(), info.path("streamArn").asText());
        assertNotEquals("unknown", info.path("shardId").asText());
        assertTrue(info.path("shardId").asText().startsWith("shardId-"), info.toString());
        assertTrue(info.has("approximateArrivalOfFirstRecord"), info.toString());
    }

    @Test
    void givenNoBisect_whenTheFirstRecordKeepsFailing_thenTheBatchIsGivenUpAfterMaximumRetryAttemptsAndTheStreamMovesOn() {
        String table = table();
        put(table, "a", true);
        put(table, "b", true);
        Recorder function = new Recorder(batch -> sk(batch.get(0)).equals("a") ? failedAt(batch.get(0)) : success());
        SqsClient sqs = backends.sqs().client();
        String queue = sqs.createQueue(request -> request.queueName("stream-failures-" + UUID.randomUUID())).queueUrl();

        StreamPoller poller = start(table, settings("\"FunctionResponseTypes\": [\"ReportBatchItemFailures\"],"
                + " \"MaximumRetryAttempts\": 2"), function, new StreamPoller.FailureDestination(sqs, queue, "StreamFailures"));
        awaitCaughtUp(poller);
        put(table, "c", true);
        awaitCaughtUp(poller);

        assertEquals(List.of(List.of("a", "b"), List.of("a", "b"), List.of("a", "b"), List.of("c")), function.batches());
        List<Message> failures = receiveAll(sqs, queue);
        assertEquals(1, failures.size(), failures.toString());
        JsonNode record = json(failures.get(0).body());
        assertEquals(3, record.at("/requestContext/approximateInvokeCount").asInt());
        assertFalse(record.path("responseContext").has("functionError"), record.toString());
        assertEquals(2, record.at("/DDBStreamBatchInfo/batchSize").asInt());
        assertEquals(function.sequenceOf("a"), record.at("/DDBStreamBatchInfo/startSequenceNumber").asText());
        assertEquals(function.sequenceOf("b"), record.at("/DDBStreamBatchInfo/endSequenceNumber").asText());
    }

    @Test
    void givenAnAnswerLambdaCannotReadAsAPartialFailure_whenSettled_thenTheWholeBatchFailsElseTheEarliestReportedRecord() {
        List<ObjectNode> batch = List.of(record("1"), record("2"), record("3"));

        assertEquals(-1, StreamPoller.failedFrom(answer("{\"batchItemFailures\":[]}"), batch));
        assertEquals(-1, StreamPoller.failedFrom(answer("null"), batch));
        assertEquals(-1, StreamPoller.failedFrom(answer("{}"), batch));
        assertEquals(1, StreamPoller.failedFrom(answer("{\"batchItemFailures\":[{\"itemIdentifier\":\"3\"},"
                + "{\"itemIdentifier\":\"2\"}]}"), batch));
        assertEquals(3, StreamPoller.failedFrom(answer("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}"), batch));
        assertEquals(3, StreamPoller.failedFrom(answer("{\"batchItemFailures\":[{\"itemIdentifier\":\"9\"}]}"), batch));
        assertEquals(3, StreamPoller.failedFrom(answer("{\"batchItemFailures\":[{\"id\":\"2\"}]}"), batch));
        assertEquals(3, StreamPoller.failedFrom(answer("not json {"), batch));
    }

    // -------------------------------------------------------------------------------------------------------------
    // What /_local/drain reads
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void givenARecordInABatchThatHasNotReturned_whenAskedIfCaughtUp_thenNotUntilItIsDoneAndAnEmptyPollFollowed()
            throws InterruptedException {
        String table = table();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Recorder function = new Recorder(batch -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return success();
        });
        StreamPoller poller = start(table, settings(""), function, null);
        awaitCaughtUp(poller);

        put(table, "x", true);
        long written = System.nanoTime();
        poller.wake();
        assertTrue(entered.await(30, TimeUnit.SECONDS), "the function was invoked");

        assertFalse(poller.caughtUpSince(written), "a batch is in flight");
        assertEquals(1, poller.pendingRecords());
        release.countDown();
        awaitCaughtUp(poller);
        assertEquals(List.of(List.of("x")), function.batches());
        assertEquals(0, poller.pendingRecords());
    }

    // -------------------------------------------------------------------------------------------------------------

    private StreamPoller start(String table, StreamPoller.Settings settings, Recorder function,
                               StreamPoller.FailureDestination onFailure) {
        DynamoDbClient ddb = backends.dynamoDb().client();
        StreamPoller poller = new StreamPoller("Probe", "Stream", FUNCTION_ARN, function, settings,
                () -> TableStream.open(ddb, streams, table, Clients.REGION.id()), streams, table, onFailure,
                Duration.ofMillis(20));
        pollers.add(poller);
        poller.start();
        return poller;
    }

    /** Waits (at most a minute, then fails) until the poller has caught up with everything written before the call. */
    private static void awaitCaughtUp(StreamPoller poller) {
        long since = System.nanoTime();
        long deadline = since + TimeUnit.SECONDS.toNanos(60);
        while (!poller.caughtUpSince(since)) {
            if (System.nanoTime() - deadline > 0) {
                fail(poller.name() + " did not catch up; " + poller.pendingRecords() + " records pending");
            }
            poller.wake();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** The event's properties: {@code more} (JSON members), from TRIM_HORIZON unless they say otherwise. */
    private static StreamPoller.Settings settings(String more) {
        String start = more.contains("StartingPosition") ? "" : "\"StartingPosition\": \"TRIM_HORIZON\"";
        String separator = start.isEmpty() || more.isEmpty() ? "" : ", ";
        return StreamPoller.Settings.of(json("{" + start + separator + more + "}"));
    }

    private static String table() {
        String name = "stream-poller-" + TABLES.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        TemplateResources.createTable(backends.dynamoDb().client(), template, "InvoiceTable", name);
        return name;
    }

    /** An item keyed by {@code sk}; an outbox item carries the relay marker its pattern matches. */
    private static void put(String table, String sk, boolean outbox) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("OUTBOX"));
        item.put("sk", AttributeValue.fromS(sk));
        item.put("written", AttributeValue.fromS(UUID.randomUUID().toString()));
        if (outbox) {
            item.put("relay", AttributeValue.fromS("outbox"));
        }
        backends.dynamoDb().client().putItem(request -> request.tableName(table).item(item));
    }

    private static List<Message> receiveAll(SqsClient sqs, String queue) {
        List<Message> all = new ArrayList<>();
        List<Message> received;
        do {
            received = sqs.receiveMessage(request -> request.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            all.addAll(received);
        } while (!received.isEmpty());
        return all;
    }

    private static String sk(JsonNode record) {
        return record.path("dynamodb").path("Keys").path("sk").path("S").asText();
    }

    private static LambdaFunction.Result success() {
        return answer("{\"batchItemFailures\":[]}");
    }

    private static LambdaFunction.Result failedAt(JsonNode record) {
        return answer("{\"batchItemFailures\":[{\"itemIdentifier\":\""
                + record.path("dynamodb").path("SequenceNumber").asText() + "\"}]}");
    }

    private static LambdaFunction.Result thrown() {
        return new LambdaFunction.Result(null, "java.lang.IllegalStateException", "relay failed");
    }

    private static LambdaFunction.Result answer(String json) {
        return new LambdaFunction.Result(json.getBytes(StandardCharsets.UTF_8), null, null);
    }

    private static ObjectNode record(String sequenceNumber) {
        ObjectNode record = HttpApiEvents.JSON.createObjectNode();
        record.putObject("dynamodb").put("SequenceNumber", sequenceNumber);
        return record;
    }

    private static String quoted(String text) {
        return HttpApiEvents.JSON.getNodeFactory().textNode(text).toString();
    }

    private static JsonNode json(String text) {
        try {
            return HttpApiEvents.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A function that answers what {@code behaviour} says and remembers every event it got. */
    private static final class Recorder implements Function<byte[], LambdaFunction.Result> {
        private final Function<List<JsonNode>, LambdaFunction.Result> behaviour;
        private final List<JsonNode> events = new CopyOnWriteArrayList<>();

        Recorder(Function<List<JsonNode>, LambdaFunction.Result> behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public LambdaFunction.Result apply(byte[] event) {
            JsonNode parsed = json(new String(event, StandardCharsets.UTF_8));
            events.add(parsed);
            List<JsonNode> records = new ArrayList<>();
            parsed.path("Records").forEach(records::add);
            return behaviour.apply(records);
        }

        /** The sort keys of each batch, in order. */
        List<List<String>> batches() {
            List<List<String>> batches = new ArrayList<>();
            for (JsonNode event : events) {
                List<String> keys = new ArrayList<>();
                event.path("Records").forEach(record -> keys.add(sk(record)));
                batches.add(keys);
            }
            return batches;
        }

        String sequenceOf(String sk) {
            for (JsonNode event : events) {
                for (JsonNode record : event.path("Records")) {
                    if (sk(record).equals(sk)) {
                        return record.path("dynamodb").path("SequenceNumber").asText();
                    }
                }
            }
            throw new AssertionError("no record " + sk);
        }
    }
}
