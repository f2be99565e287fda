package dev.invoiceloyalty.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * HttpApi payload format 2.0 ↔ {@link HttpRequest} / {@link HttpResponse}, shared by every HTTP function, on the raw
 * event bytes (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 *
 * <p>The HTTP functions are {@code RequestStreamHandler}s: the Lambda runtime hands them the event's bytes instead of
 * building {@code APIGatewayV2HTTPEvent} with its own reflection-based serializer, so a cold start initialises one
 * Jackson (ours) instead of two (issue 8).
 */
public final class ApiGatewayHttp {
    private ApiGatewayHttp() {
    }

    /** The whole exchange of an HTTP function: the event from the runtime's stream in, the answer out. */
    public static void serve(InputStream event, OutputStream answer, Function<HttpRequest, HttpResponse> handler)
            throws IOException {
        writeResponse(handler.apply(readRequest(event)), answer);
    }

    /** Reads one event from the runtime's stream. */
    public static HttpRequest readRequest(InputStream event) throws IOException {
        JsonNode node = Json.tree(event);
        if (node == null || !node.isObject()) {
            throw new IOException("the event is not a JSON object");
        }
        return toRequest(node);
    }

    /**
     * The request with its body as the exact bytes the client sent: API Gateway base64-encodes bodies it does not
     * treat as text, and signatures are computed over the raw bytes, so the body is decoded, never re-serialised.
     * Header names are lower-cased (HTTP/2 and API Gateway already send them so).
     */
    public static HttpRequest toRequest(JsonNode event) {
        Map<String, String> headers = new HashMap<>();
        event.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT),
                e.getValue().asText()));
        byte[] body = new byte[0];
        JsonNode b = event.get("body");
        if (b != null && !b.isNull()) {
            body = event.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(b.asText())
                    : b.asText().getBytes(StandardCharsets.UTF_8);
        }
        JsonNode context = event.path("requestContext");
        JsonNode http = context.path("http");
        String rawPath = text(event, "rawPath");
        String path = text(http, "path");
        return new HttpRequest(text(http, "method"), path != null ? path : rawPath, text(event, "routeKey"),
                strings(event.get("pathParameters")), strings(event.get("queryStringParameters")), headers, body,
                text(context, "requestId"));
    }

    /** Writes the payload-2.0 answer: {@code statusCode}, {@code headers}, {@code body}, {@code isBase64Encoded}. */
    public static void writeResponse(HttpResponse response, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("statusCode", response.status());
            g.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : response.headers().entrySet()) {
                g.writeStringField(h.getKey(), h.getValue());
            }
            g.writeEndObject();
            if (response.body() != null) {
                g.writeStringField("body", response.body());
            }
            g.writeBooleanField("isBase64Encoded", false);
            g.writeEndObject();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, String> strings(JsonNode object) {
        if (object == null || !object.isObject()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
