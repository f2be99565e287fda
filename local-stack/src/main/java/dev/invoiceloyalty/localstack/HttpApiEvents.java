package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Payload format 2.0 as API Gateway HTTP APIs send it to Lambda, and the function's answer back to HTTP.
 *
 * @see <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html">Lambda
 * proxy integrations for HTTP APIs</a>
 */
final class HttpApiEvents {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String API_ID = "local";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** An HTTP request as it arrived; header names in any case, in arrival order. */
    record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body,
                   String sourceIp, String protocol) {
    }

    /** What goes back to the client. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private HttpApiEvents() {
    }

    static ObjectNode event(Request request, HttpApiRoute.Match match, String accountId, Instant now) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", match.route().routeKey());
        event.put("rawPath", request.rawPath());
        event.put("rawQueryString", request.rawQuery() == null ? "" : request.rawQuery());

        // Header names lower-cased, repeats joined with commas; cookies travel apart, in "cookies".
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        request.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                for (String value : values) {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.strip());
                        }
                    }
                }
                return;
            }
            headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
        });
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);

        Map<String, String> query = queryParameters(request.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach(queryNode::put);
        }

        String requestId = UUID.randomUUID().toString();
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", accountId);
        context.put("apiId", API_ID);
        String host = headers.getOrDefault("host", "127.0.0.1");
        context.put("domainName", host);
        context.put("domainPrefix", host.contains(".") ? host.substring(0, host.indexOf('.')) : host);
        ObjectNode http = context.putObject("http");
        http.put("method", request.method());
        http.put("path", request.rawPath());
        http.put("protocol", request.protocol());
        http.put("sourceIp", request.sourceIp());
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        context.put("requestId", requestId);
        context.put("routeKey", match.route().routeKey());
        context.put("stage", "$default");
        context.put("time", REQUEST_TIME.format(now));
        context.put("timeEpoch", now.toEpochMilli());

        if (!match.pathParameters().isEmpty()) {
            ObjectNode parameters = event.putObject("pathParameters");
            match.pathParameters().forEach(parameters::put);
        }

        byte[] body = request.body();
        if (body != null && body.length > 0) {
            String text = isTextual(headers.get("content-type")) ? utf8(body) : null;
            if (text != null) {
                event.put("body", text);
                event.put("isBase64Encoded", false);
            } else {
                event.put("body", Base64.getEncoder().encodeToString(body));
                event.put("isBase64Encoded", true);
            }
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    /**
     * The content types API Gateway passes as text; everything else (images, forms, {@code application/*+json}…)
     * arrives base64-encoded.
     */
    static boolean isTextual(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return media.startsWith("text/") || media.equals("application/json") || media.equals("application/xml")
                || media.equals("application/javascript");
    }

    /** Decoded values; a repeated name's values joined with commas, as API Gateway does. */
    static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters;
    }

    /** The function's result as API Gateway turns it into HTTP (payload format 2.0). */
    static Response response(LambdaFunction.Result result) {
        if (result.failed()) {
            return json(500, "{\"message\":\"Internal Server Error\"}");
        }
        JsonNode output;
        try {
            output = JSON.readTree(result.payload());
        } catch (IOException e) {
            return json(500, "{\"message\":\"Internal Server Error\"}");
        }
        if (output == null || !output.isObject() || !output.has("statusCode")) {
            // "If your function returns valid JSON and doesn't return a statusCode, API Gateway assumes" 200, JSON.
            return json(200, output == null || output.isNull() ? "" : output.toString());
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        output.path("multiValueHeaders").properties().forEach(entry -> {
            List<String> values = new ArrayList<>();
            entry.getValue().forEach(value -> values.add(value.asText()));
            headers.put(entry.getKey().toLowerCase(Locale.ROOT), values);
        });
        output.path("headers").properties().forEach(entry ->
                headers.put(entry.getKey().toLowerCase(Locale.ROOT), new ArrayList<>(List.of(entry.getValue().asText()))));
        List<String> setCookies = new ArrayList<>();
        output.path("cookies").forEach(cookie -> setCookies.add(cookie.asText()));
        if (!setCookies.isEmpty()) {
            headers.computeIfAbsent("set-cookie", name -> new ArrayList<>()).addAll(setCookies);
        }
        JsonNode bodyNode = output.get("body");
        byte[] body = new byte[0];
        if (bodyNode != null && !bodyNode.isNull()) {
            String text = bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString();
            body = output.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(text)
                    : text.getBytes(StandardCharsets.UTF_8);
        }
        return new Response(output.path("statusCode").asInt(200), headers, body);
    }

    static Response json(int status, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", new ArrayList<>(List.of("application/json")));
        return new Response(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
