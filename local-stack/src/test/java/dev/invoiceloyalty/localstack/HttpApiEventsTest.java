package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpApiEventsTest {
    private static final Instant NOW = Instant.parse("2026-11-22T09:00:00Z");
    private static final HttpApiRoute ROUTE = HttpApiRoute.of("POST", "/invoices/{invoiceId}/actions/{action}", "Api", "Act");

    private static JsonNode event(Map<String, List<String>> headers, String query, byte[] body) {
        HttpApiEvents.Request request = new HttpApiEvents.Request("POST", "/invoices/inv_1/actions/void", query, headers,
                body, "127.0.0.1", "HTTP/1.1");
        HttpApiRoute.Match match = new HttpApiRoute.Match(ROUTE, Map.of("invoiceId", "inv_1", "action", "void"));
        return HttpApiEvents.event(request, match, "000000000000", NOW);
    }

    @Test
    void givenARequest_whenTurnedIntoAnEvent_thenItHasThePayload20Shape() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("X-Trace", List.of("a", "b"));
        headers.put("Cookie", List.of("s=1; theme=dark"));
        headers.put("User-Agent", List.of("curl/8"));

        JsonNode event = event(headers, "status=OPEN&tag=a&tag=b&q=a%20b", "{\"x\":1}".getBytes(StandardCharsets.UTF_8));

        assertEquals("2.0", event.get("version").asText());
        assertEquals("POST /invoices/{invoiceId}/actions/{action}", event.get("routeKey").asText());
        assertEquals("/invoices/inv_1/actions/void", event.get("rawPath").asText());
        assertEquals("status=OPEN&tag=a&tag=b&q=a%20b", event.get("rawQueryString").asText());
        assertEquals("a,b", event.at("/queryStringParameters/tag").asText());
        assertEquals("a b", event.at("/queryStringParameters/q").asText());
        assertEquals("application/json", event.at("/headers/content-type").asText());
        assertEquals("a,b", event.at("/headers/x-trace").asText());
        assertFalse(event.get("headers").has("cookie"));
        assertEquals("[\"s=1\",\"theme=dark\"]", event.get("cookies").toString());
        assertEquals("inv_1", event.at("/pathParameters/invoiceId").asText());
        assertEquals("POST", event.at("/requestContext/http/method").asText());
        assertEquals("curl/8", event.at("/requestContext/http/userAgent").asText());
        assertEquals("$default", event.at("/requestContext/stage").asText());
        assertEquals("22/Nov/2026:09:00:00 +0000", event.at("/requestContext/time").asText());
        assertEquals(NOW.toEpochMilli(), event.at("/requestContext/timeEpoch").asLong());
        assertEquals("{\"x\":1}", event.get("body").asText());
        assertFalse(event.get("isBase64Encoded").asBoolean());
    }

    @Test
    void givenABodyOfANonTextualType_whenTurnedIntoAnEvent_thenItIsBase64Encoded() {
        byte[] body = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);

        JsonNode event = event(Map.of("content-type", List.of("application/vnd.api+json")), null, body);

        assertTrue(event.get("isBase64Encoded").asBoolean());
        assertArrayEquals(body, Base64.getDecoder().decode(event.get("body").asText()));
        assertEquals("", event.get("rawQueryString").asText());
        assertFalse(event.has("queryStringParameters"));
    }

    @Test
    void givenATextualTypeWithBytesThatAreNotUtf8_whenTurnedIntoAnEvent_thenItIsBase64Encoded() {
        byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);

        JsonNode event = event(Map.of("content-type", List.of("text/plain")), null, latin1);

        assertTrue(event.get("isBase64Encoded").asBoolean());
    }

    @Test
    void givenABase64ResponseWithCookies_whenAnswered_thenTheBodyIsDecodedAndCookiesAreSetCookieHeaders() {
        String output = "{\"statusCode\":201,\"headers\":{\"Content-Type\":\"image/png\"},\"cookies\":[\"a=1\",\"b=2\"],"
                + "\"body\":\"" + Base64.getEncoder().encodeToString(new byte[]{1, 2, 3}) + "\",\"isBase64Encoded\":true}";

        HttpApiEvents.Response response = HttpApiEvents.response(
                new LambdaFunction.Result(output.getBytes(StandardCharsets.UTF_8), null, null));

        assertEquals(201, response.status());
        assertEquals(List.of("image/png"), response.headers().get("content-type"));
        assertEquals(List.of("a=1", "b=2"), response.headers().get("set-cookie"));
        assertArrayEquals(new byte[]{1, 2, 3}, response.body());
    }

    @Test
    void givenAResultWithoutStatusCode_whenAnswered_thenItIsA200WithTheJson() {
        HttpApiEvents.Response response = HttpApiEvents.response(
                new LambdaFunction.Result("{\"ok\":true}".getBytes(StandardCharsets.UTF_8), null, null));

        assertEquals(200, response.status());
        assertEquals("{\"ok\":true}", new String(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void givenAFunctionError_whenAnswered_thenItIsApiGatewaysInternalServerError() {
        HttpApiEvents.Response response = HttpApiEvents.response(new LambdaFunction.Result(null, "java.lang.IllegalStateException", "x"));

        assertEquals(500, response.status());
        assertEquals("{\"message\":\"Internal Server Error\"}", new String(response.body(), StandardCharsets.UTF_8));
    }
}
