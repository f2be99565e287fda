package dev.invoiceloyalty.relay;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.local.TableStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.invoiceloyalty.relay.RelayHarness.invoicePk;
import static dev.invoiceloyalty.relay.RelayHarness.mail;
import static dev.invoiceloyalty.relay.RelayHarness.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one summary line per batch: counts, the record to retry from, the request id; no message content. */
class OutboxRelayLogTest {

    /** A Lambda context that knows only its request id. */
    private static Context context(String requestId) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> method.getName().equals("getAwsRequestId") ? requestId : null);
    }

    /** The JSON lines {@code run} printed to stdout. */
    private static List<JsonNode> logOf(ThrowingRunnable run) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setOut(original);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{")) {
                lines.add(RelayHarness.tree(line));
            }
        }
        return lines;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aBatchLogsOneSummaryLineWithItsCountsAndRequestId() throws Exception {
        try (RelayHarness relay = new RelayHarness()) {
            relay.outbox(invoicePk("inv_1"), mail("cust-1"), event("inv_1"));
            relay.outbox(invoicePk("inv_2"), mail("cust-2"));
            relay.put("CUSTOMER#cust-1", "PROFILE", java.util.Map.of());
            byte[] event = TableStream.bytes(TableStream.event(relay.records()));

            List<JsonNode> lines = logOf(() -> relay.handler().handleRequest(new ByteArrayInputStream(event),
                    new ByteArrayOutputStream(), context("req-42")));

            assertEquals(1, lines.size(), lines.toString());
            JsonNode line = lines.get(0);
            assertEquals("outbox_relay", line.path("event").asText());
            assertEquals(3, line.path("records").asInt());
            assertEquals(2, line.path("outboxes").asInt());
            assertEquals(2, line.path("relayed").asInt());
            assertEquals(3, line.path("messages").asInt());
            assertTrue(line.path("failed").isNull(), line.toString());
            assertEquals("req-42", line.path("requestId").asText());
            assertFalse(line.toString().contains("ada@example.com"), "no message content in the log");
        }
    }

    @Test
    void aFailedBatchNamesTheRecordToRetryFromInItsSummary() throws Exception {
        try (RelayHarness relay = new RelayHarness()) {
            relay.sendTo(relay.queues.get("MailQueue") + "-deleted", relay.queues.get("PaymentsQueue"));
            relay.outbox(invoicePk("inv_1"), mail("cust-1"));
            var records = relay.records();
            byte[] event = TableStream.bytes(TableStream.event(records));

            List<JsonNode> lines = logOf(() -> relay.handler().handleRequest(new ByteArrayInputStream(event),
                    new ByteArrayOutputStream(), context("req-43")));

            JsonNode summary = lines.get(lines.size() - 1);
            assertEquals("outbox_relay", summary.path("event").asText());
            assertEquals(0, summary.path("relayed").asInt());
            assertEquals(RelayHarness.sequenceNumber(records.get(0)), summary.path("failed").asText());
        }
    }
}
