package dev.invoiceloyalty.snapstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.http.ApiGatewayHttp;
import dev.invoiceloyalty.http.HttpRequest;
import dev.invoiceloyalty.http.HttpResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * HttpApi (payload format 2.0) sample events for the priming of the HTTP functions, shaped as API Gateway sends them,
 * and their round trip through the same stream path the Lambda runtime drives ({@link ApiGatewayHttp#serve}).
 */
public final class PrimingHttp {
    private PrimingHttp() {
    }

    /** What came back from one priming request: the status and the body. */
    public record Answer(int status, String body) {
    }

    /**
     * The event's bytes as the runtime hands them to a {@code RequestStreamHandler}.
     *
     * @param routeKey       the matched route, e.g. {@code POST /invoices}
     * @param pathParameters the route's parameters, decoded as API Gateway passes them
     * @param headers        lower-case names; {@code content-type} is added when there is a body
     * @param body           null for none
     */
    public static byte[] event(String method, String rawPath, String routeKey, Map<String, String> pathParameters,
                               Map<String, String> headers, String body) {
        Map<String, String> h = new HashMap<>(headers);
        if (body != null) {
            h.putIfAbsent("content-type", "application/json");
        }
        ObjectNode event = Json.object();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", rawPath);
        event.put("rawQueryString", "");
        ObjectNode headerNode = event.putObject("headers");
        h.forEach(headerNode::put);
        ObjectNode params = event.putObject("pathParameters");
        pathParameters.forEach(params::put);
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", "snapstart-priming");
        context.put("routeKey", routeKey);
        context.putObject("http").put("method", method).put("path", rawPath).put("protocol", "HTTP/1.1");
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return Json.bytes(event);
    }

    /** Serves {@code event} with {@code handler} as the function would and reads its answer back. */
    public static Answer call(Function<HttpRequest, HttpResponse> handler, byte[] event) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ApiGatewayHttp.serve(new ByteArrayInputStream(event), out, handler);
            JsonNode answer = Json.tree(out.toByteArray());
            return new Answer(answer.path("statusCode").asInt(), answer.path("body").asText(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
