package dev.invoiceloyalty.mailer;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.local.LambdaStreams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls {@link MailerHandler} as Lambda does: the event as the bytes the runtime hands a stream handler, the answer
 * read back as Lambda reads a partial batch response.
 */
final class MailerCalls {
    /**
     * The handler's answer.
     *
     * @param json      the bytes it wrote, as text
     * @param failedIds the {@code itemIdentifier}s of {@code batchItemFailures}, in order
     */
    record Answer(String json, List<String> failedIds) {
    }

    private MailerCalls() {
    }

    /** Hands {@code event} to the handler serialised exactly as Lambda delivers an SQS event. */
    static Answer handle(MailerHandler handler, SQSEvent event) {
        return handle(handler, LambdaStreams.json(event));
    }

    /** Hands the raw event bytes to the handler, no context (as the tests always did). */
    static Answer handle(MailerHandler handler, byte[] event) {
        String json = new String(LambdaStreams.invoke(handler, event), StandardCharsets.UTF_8);
        return new Answer(json, failedIds(json));
    }

    /** The ids of a partial batch response, checking it has the shape Lambda reads and nothing else. */
    private static List<String> failedIds(String json) {
        JsonNode answer;
        try {
            answer = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError("the answer is not JSON: " + json, e);
        }
        assertTrue(answer != null && answer.isObject() && answer.size() == 1
                && answer.path("batchItemFailures").isArray(), "a partial batch response: " + json);
        List<String> ids = new ArrayList<>();
        for (JsonNode failure : answer.get("batchItemFailures")) {
            assertEquals(1, failure.size(), "only itemIdentifier in " + json);
            assertTrue(failure.path("itemIdentifier").isTextual(), "a textual itemIdentifier in " + json);
            ids.add(failure.get("itemIdentifier").asText());
        }
        return ids;
    }
}
