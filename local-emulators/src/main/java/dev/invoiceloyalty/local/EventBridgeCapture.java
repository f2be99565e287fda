package dev.invoiceloyalty.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A stand-in for EventBridge that delivers nothing and keeps every event it accepts, in order. It speaks
 * the AWS JSON 1.1 protocol the SDK uses ({@code POST /} with {@code X-Amz-Target: AWSEvents.<Operation>})
 * and answers {@code PutEvents} as EventBridge does, including per-entry failures for entries EventBridge
 * would refuse (missing Source, DetailType or Detail; Detail not a JSON object), so that code which
 * ignores {@code FailedEntryCount} fails here as it would in AWS. {@code CreateEventBus} and
 * {@code DescribeEventBus} answer for any name, so deploy-style set-up code runs too.
 */
public final class EventBridgeCapture implements AutoCloseable {
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String TARGET_PREFIX = "AWSEvents.";
    private static final int MAX_ENTRIES = 10;

    private final List<CapturedEvent> events = new ArrayList<>();
    private final CaptureServer server;
    private final EventBridgeClient client;

    private EventBridgeCapture() {
        this.server = CaptureServer.start("eventbridge-capture", this::handle);
        this.client = LocalClients.configure(EventBridgeClient.builder(), server.endpoint()).build();
    }

    public static EventBridgeCapture start() {
        return new EventBridgeCapture();
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** A snapshot, oldest first. */
    public List<CapturedEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Waits until at least {@code count} events have arrived and returns them all. */
    public List<CapturedEvent> awaitEvents(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (events.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " events within " + timeout + ", got "
                            + events.size() + ": " + events);
                }
                try {
                    events.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for events", e);
                }
            }
            return List.copyOf(events);
        }
    }

    public void clear() {
        synchronized (events) {
            events.clear();
        }
    }

    /** One client for the life of the capture; closed with it. */
    public EventBridgeClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = CaptureServer.body(exchange);
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
            error(exchange, "UnknownOperationException", "expected POST / with X-Amz-Target: AWSEvents.<Operation>");
            return;
        }
        JsonNode request = body.length == 0 ? CaptureServer.JSON.createObjectNode() : CaptureServer.JSON.readTree(body);
        switch (target.substring(TARGET_PREFIX.length())) {
            case "PutEvents" -> putEvents(exchange, request);
            case "CreateEventBus" -> {
                String name = request.path("Name").asText("");
                if (name.isEmpty()) {
                    error(exchange, "ValidationException", "Name is required");
                    return;
                }
                ok(exchange, CaptureServer.JSON.createObjectNode().put("EventBusArn", busArn(name)));
            }
            case "DescribeEventBus" -> {
                String name = busName(request.path("Name").asText("default"));
                ok(exchange, CaptureServer.JSON.createObjectNode().put("Name", name).put("Arn", busArn(name)));
            }
            default -> error(exchange, "UnknownOperationException",
                    "the local EventBridge capture serves PutEvents, CreateEventBus and DescribeEventBus, not " + target);
        }
    }

    private void putEvents(HttpExchange exchange, JsonNode request) {
        JsonNode entries = request.path("Entries");
        if (!entries.isArray() || entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            error(exchange, "ValidationException", "Entries must hold 1 to " + MAX_ENTRIES + " entries");
            return;
        }
        ObjectNode response = CaptureServer.JSON.createObjectNode();
        ArrayNode results = response.putArray("Entries");
        int failed = 0;
        List<CapturedEvent> accepted = new ArrayList<>();
        for (JsonNode entry : entries) {
            String problem = problem(entry);
            if (problem != null) {
                failed++;
                results.addObject()
                        .put("ErrorCode", problem.startsWith("Detail is malformed") ? "MalformedDetail" : "InvalidArgument")
                        .put("ErrorMessage", problem);
                continue;
            }
            results.addObject().put("EventId", UUID.randomUUID().toString());
            accepted.add(new CapturedEvent(entry.get("Source").asText(), entry.get("DetailType").asText(),
                    entry.get("Detail").asText(), entry.path("EventBusName").asText("default")));
        }
        response.put("FailedEntryCount", failed);
        synchronized (events) {
            events.addAll(accepted);
            events.notifyAll();
        }
        ok(exchange, response);
    }

    private static String problem(JsonNode entry) {
        for (String field : List.of("Source", "DetailType", "Detail")) {
            if (entry.path(field).asText("").isEmpty()) {
                return "Parameter " + field + " is not valid. Reason: " + field + " is a required argument.";
            }
        }
        try {
            if (!CaptureServer.JSON.readTree(entry.get("Detail").asText()).isObject()) {
                return "Detail is malformed: not a JSON object.";
            }
        } catch (IOException e) {
            return "Detail is malformed: not JSON.";
        }
        return null;
    }

    /** EventBridge accepts a bus's name or its ARN wherever a bus is named. */
    private static String busName(String nameOrArn) {
        int slash = nameOrArn.lastIndexOf('/');
        return nameOrArn.startsWith("arn:") && slash >= 0 ? nameOrArn.substring(slash + 1) : nameOrArn;
    }

    private static String busArn(String name) {
        return "arn:aws:events:" + LocalClients.REGION.id() + ":" + LocalClients.ACCOUNT_ID + ":event-bus/" + name;
    }

    private static void ok(HttpExchange exchange, JsonNode body) {
        CaptureServer.respond(exchange, 200, CONTENT_TYPE, body.toString());
    }

    private static void error(HttpExchange exchange, String type, String message) {
        // AWS JSON 1.1 names the error in the body's __type; the SDK maps it to the exception class.
        CaptureServer.respond(exchange, 400, CONTENT_TYPE,
                CaptureServer.JSON.createObjectNode().put("__type", type).put("message", message).toString());
    }
}
