package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lambda's SQS event source mapping for one {@code SQS} event of a function: long-polls the queue, hands batches of
 * up to {@code BatchSize} messages to the function as an {@code SQSEvent}, and deletes what succeeded. With
 * {@code FunctionResponseTypes: [ReportBatchItemFailures]} only the reported {@code batchItemFailures} stay on the
 * queue; without it, or when the handler throws, the whole batch does. Messages that stay are made visible again
 * after the local retry delay (AWS waits for the queue's visibility timeout); the queue's own redrive policy moves
 * them to the dead-letter queue after {@code maxReceiveCount} receives.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">Handling errors for an SQS event source</a>
 */
final class SqsPoller implements Runnable {
    /** The long-poll wait: short, so that stopping the stack takes no longer. */
    private static final int WAIT_SECONDS = 2;

    private final LambdaFunction function;
    private final String eventName;
    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final int batchSize;
    private final boolean reportBatchItemFailures;
    private final Duration retryDelay;
    private final Thread thread;
    private volatile boolean running = true;

    SqsPoller(LambdaFunction function, String eventName, SqsClient sqs, String queueUrl, String queueArn, int batchSize,
              boolean reportBatchItemFailures, Duration retryDelay) {
        this.function = function;
        this.eventName = eventName;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.batchSize = batchSize;
        this.reportBatchItemFailures = reportBatchItemFailures;
        this.retryDelay = retryDelay;
        this.thread = new Thread(this, "sqs-" + function.logicalId() + "-" + eventName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String queueUrl() {
        return queueUrl;
    }

    String describe() {
        return function.logicalId() + " <- SQS " + queueArn.substring(queueArn.lastIndexOf(':') + 1) + " (batch "
                + batchSize + (reportBatchItemFailures ? ", ReportBatchItemFailures" : "") + ")";
    }

    /** Asks the loop to end after the current poll. */
    void stop() {
        running = false;
    }

    void join(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                List<Message> batch = receive();
                if (!batch.isEmpty() && running) {
                    deliver(batch);
                } else if (!batch.isEmpty()) {
                    retryLater(batch);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                System.err.println("local stack: polling " + queueUrl + " for " + function.logicalId() + " failed: " + e);
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    private List<Message> receive() {
        List<Message> batch = new ArrayList<>();
        // SQS returns at most 10 per call; a larger BatchSize is filled from several calls while messages are there.
        while (batch.size() < batchSize) {
            int wanted = Math.min(10, batchSize - batch.size());
            List<Message> messages = sqs.receiveMessage(request -> request.queueUrl(queueUrl)
                    .maxNumberOfMessages(wanted)
                    .waitTimeSeconds(batch.isEmpty() ? WAIT_SECONDS : 0)
                    .messageSystemAttributeNamesWithStrings("All")
                    .messageAttributeNames("All")).messages();
            batch.addAll(messages);
            if (messages.size() < wanted) {
                break;
            }
        }
        return batch;
    }

    private void deliver(List<Message> batch) {
        LambdaFunction.Result result = function.invoke(event(batch).toString().getBytes(StandardCharsets.UTF_8));
        if (result.failed()) {
            retryLater(batch);
            return;
        }
        if (!reportBatchItemFailures) {
            delete(batch);
            return;
        }
        Set<String> failed = failedIds(result, batch);
        List<Message> succeeded = new ArrayList<>();
        List<Message> retried = new ArrayList<>();
        for (Message message : batch) {
            (failed.contains(message.messageId()) ? retried : succeeded).add(message);
        }
        delete(succeeded);
        retryLater(retried);
    }

    /**
     * The ids in {@code batchItemFailures}. An answer Lambda cannot read as a partial failure (an identifier that is
     * empty or not in the batch) fails the whole batch, as Lambda does; no answer or an empty list fails nothing.
     */
    private static Set<String> failedIds(LambdaFunction.Result result, List<Message> batch) {
        Set<String> inBatch = new HashSet<>();
        batch.forEach(message -> inBatch.add(message.messageId()));
        JsonNode response;
        try {
            response = HttpApiEvents.JSON.readTree(result.payload());
        } catch (IOException e) {
            return inBatch;
        }
        Set<String> failed = new HashSet<>();
        if (response == null || !response.isObject()) {
            return failed;
        }
        for (JsonNode failure : response.path("batchItemFailures")) {
            String id = failure.path("itemIdentifier").asText("");
            if (id.isEmpty() || !inBatch.contains(id)) {
                return inBatch;
            }
            failed.add(id);
        }
        return failed;
    }

    /** The {@code SQSEvent} JSON Lambda sends. */
    ObjectNode event(List<Message> batch) {
        ObjectNode event = HttpApiEvents.JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        String region = regionOf(queueArn);
        for (Message message : batch) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            message.attributes().forEach((name, value) -> {
                if (name != MessageSystemAttributeName.UNKNOWN_TO_SDK_VERSION) {
                    attributes.put(name.toString(), value);
                }
            });
            ObjectNode messageAttributes = record.putObject("messageAttributes");
            message.messageAttributes().forEach((name, value) -> messageAttributes.set(name, attribute(value)));
            record.put("md5OfBody", message.md5OfBody());
            if (message.md5OfMessageAttributes() != null) {
                record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
            }
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", region);
        }
        return event;
    }

    private static ObjectNode attribute(MessageAttributeValue value) {
        ObjectNode node = HttpApiEvents.JSON.createObjectNode();
        if (value.stringValue() != null) {
            node.put("stringValue", value.stringValue());
        }
        if (value.binaryValue() != null) {
            node.put("binaryValue", value.binaryValue().asByteArray());
        }
        ArrayNode strings = node.putArray("stringListValues");
        value.stringListValues().forEach(strings::add);
        ArrayNode binaries = node.putArray("binaryListValues");
        value.binaryListValues().forEach(binary -> binaries.add(binary.asByteArray()));
        node.put("dataType", value.dataType());
        return node;
    }

    private void delete(List<Message> messages) {
        for (List<Message> chunk : chunks(messages)) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            sqs.deleteMessageBatch(request -> request.queueUrl(queueUrl).entries(entries));
        }
    }

    private void retryLater(List<Message> messages) {
        int seconds = (int) Math.max(0, retryDelay.toSeconds());
        for (List<Message> chunk : chunks(messages)) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).visibilityTimeout(seconds).build());
            }
            sqs.changeMessageVisibilityBatch(request -> request.queueUrl(queueUrl).entries(entries));
        }
    }

    private static List<List<Message>> chunks(List<Message> messages) {
        List<List<Message>> chunks = new ArrayList<>();
        for (int i = 0; i < messages.size(); i += 10) {
            chunks.add(messages.subList(i, Math.min(messages.size(), i + 10)));
        }
        return chunks;
    }

    private static String regionOf(String arn) {
        String[] parts = arn.split(":");
        return parts.length > 3 && !parts[3].isEmpty() ? parts[3] : Clients.REGION.id();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
