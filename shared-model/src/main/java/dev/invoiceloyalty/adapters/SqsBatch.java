package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQS event Lambda delivers and the partial batch response it expects, read and written as trees
 * ({@link Json#tree}, {@link Json#bytes}), for the queue consumers (mailer, reward crediting), which are stream handlers. As a
 * {@code RequestHandler<SQSEvent, SQSBatchResponse>} the runtime would first map the event with its own
 * reflection-based serializer (a second, shaded Jackson): a cold-start cost for the two fields they read (issue 8).
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html">The SQS event</a>
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html">Partial batch responses</a>
 */
public final class SqsBatch {
    /**
     * One record of the batch.
     *
     * @param messageId the SQS message id, the {@code itemIdentifier} of a failure; null when the record has none
     * @param body      the message body; null when the record has none (a poison record then)
     */
    public record Message(String messageId, String body) {
    }

    private SqsBatch() {
    }

    /** The records of the event on {@code input}; none when the event has no {@code Records}. */
    public static List<Message> read(InputStream input) throws IOException {
        return messages(Json.tree(input));
    }

    public static List<Message> messages(JsonNode event) {
        JsonNode records = event == null ? null : event.get("Records");
        if (records == null || !records.isArray()) {
            return List.of();
        }
        List<Message> messages = new ArrayList<>(records.size());
        for (JsonNode record : records) {
            messages.add(new Message(text(record, "messageId"), text(record, "body")));
        }
        return messages;
    }

    /** Writes {@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}, …]}}, an empty list when all succeeded. */
    public static void answer(List<String> failedMessageIds, OutputStream output) throws IOException {
        ObjectNode response = Json.object();
        ArrayNode failures = response.putArray("batchItemFailures");
        for (String messageId : failedMessageIds) {
            failures.addObject().put("itemIdentifier", messageId);
        }
        // Not writeValue(output, …): that would close the runtime's stream.
        output.write(Json.bytes(response));
    }

    private static String text(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
