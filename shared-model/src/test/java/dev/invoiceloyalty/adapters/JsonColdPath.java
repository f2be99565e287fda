package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.http.ApiGatewayHttp;
import dev.invoiceloyalty.http.HttpResponse;
import dev.invoiceloyalty.snapstart.PrimingHttp;
import dev.invoiceloyalty.snapstart.PrimingSamples;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What a function's cold path does with JSON, in a JVM of its own ({@link JsonTreeTest} starts it and reads which
 * classes it loaded): the configuration, an API Gateway event in and the answer out, a scheduled event, an invoice
 * and an outbox message written and read, a record and a map written.
 */
public final class JsonColdPath {
    static final String DONE = "json-cold-path-done";

    private JsonColdPath() {
    }

    record Answer(String kind, long amount, List<String> ids) {
    }

    public static void main(String[] args) throws Exception {
        ProgramConfig config = ProgramConfig.defaults();
        byte[] event = PrimingHttp.event("POST", "/v1/invoices", "POST /v1/invoices", Map.of(), Map.of(), "{\"a\":1.50}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ApiGatewayHttp.serve(new ByteArrayInputStream(event), out,
                r -> HttpResponse.json(200, Map.of("read", body(r.body()))));
        JsonNode answer = Json.tree(out.toByteArray());
        JsonNode schedule = Json.tree("{\"time\":\"2026-01-05T08:00:00Z\",\"kind\":\"daily\"}");
        var invoice = PrimingSamples.invoice(config);
        var back = Json.read(Json.write(invoice), invoice.getClass());
        var message = OutboxMessage.event("E#1", "Event", Json.write(new Answer("x", 1, List.of("a"))));
        var messageBack = Json.read(Json.write(message), OutboxMessage.class);
        String written = Json.write(Map.of("answer", answer, "schedule", schedule, "record", new Answer("k", 2, List.of())));
        if (!back.equals(invoice) || !messageBack.equals(message) || written.isEmpty()) {
            throw new IllegalStateException("round trips differ");
        }
        System.out.println(DONE);
    }

    private static JsonNode body(byte[] body) {
        try {
            return Json.tree(new String(body, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
