package dev.invoiceloyalty.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The raw HttpApi payload 2.0 the HTTP stream handlers read and write. */
class ApiGatewayHttpTest {
    private static final String EVENT = """
            {"version":"2.0","routeKey":"POST /webhooks/{provider}","rawPath":"/webhooks/stripe",
             "headers":{"Stripe-Signature":"t=1,v1=ab","content-type":"application/json"},
             "queryStringParameters":{"limit":"10"},"pathParameters":{"provider":"stripe"},
             "requestContext":{"requestId":"req-1","http":{"method":"POST","path":"/webhooks/stripe"}},
             "body":"eyJhIjogMX0=","isBase64Encoded":true}
            """;

    @Test
    void givenABase64BodyThenTheRequestHoldsTheDecodedBytesAndLowerCaseHeaders() throws IOException {
        HttpRequest r = ApiGatewayHttp.readRequest(new ByteArrayInputStream(EVENT.getBytes(StandardCharsets.UTF_8)));

        assertEquals("POST", r.method());
        assertEquals("/webhooks/stripe", r.path());
        assertEquals("POST /webhooks/{provider}", r.routeKey());
        assertEquals(Map.of("provider", "stripe"), r.pathParameters());
        assertEquals(Map.of("limit", "10"), r.query());
        assertEquals("t=1,v1=ab", r.header("stripe-signature"));
        assertEquals("req-1", r.requestId());
        assertArrayEquals("{\"a\": 1}".getBytes(StandardCharsets.UTF_8), r.body());
    }

    @Test
    void givenATextBodyAndNoOptionalFieldsThenItIsTakenAsUtf8() throws IOException {
        String event = "{\"rawPath\":\"/x\",\"body\":\"größe\",\"isBase64Encoded\":false}";

        HttpRequest r = ApiGatewayHttp.readRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));

        assertEquals("/x", r.path());
        assertEquals(Map.of(), r.headers());
        assertEquals(Map.of(), r.pathParameters());
        assertArrayEquals("größe".getBytes(StandardCharsets.UTF_8), r.body());
    }

    @Test
    void givenSomethingOtherThanAnObjectThenItIsRefused() {
        assertThrows(IOException.class, () -> ApiGatewayHttp.readRequest(new ByteArrayInputStream("[1]".getBytes())));
    }

    @Test
    void theAnswerIsThePayload20ResponseWithItsHeadersAndBody() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ApiGatewayHttp.serve(new ByteArrayInputStream(EVENT.getBytes(StandardCharsets.UTF_8)), out,
                request -> new HttpResponse(201, Map.of("location", "/invoices/1"), new String(request.body(),
                        StandardCharsets.UTF_8)));

        JsonNode answer = Json.mapper().readTree(out.toByteArray());
        assertEquals(201, answer.path("statusCode").asInt());
        assertEquals("/invoices/1", answer.path("headers").path("location").asText());
        assertEquals("{\"a\": 1}", answer.path("body").asText());
        assertFalse(answer.path("isBase64Encoded").asBoolean(true));
    }
}
