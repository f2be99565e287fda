package dev.invoiceloyalty.http;

import java.util.Map;

/**
 * The parts of an HttpApi (payload format 2.0) request the API reads, independent of the Lambda event classes.
 * Header names are lower case (API Gateway lower-cases them in format 2.0).
 *
 * @param routeKey the matched route such as {@code POST /invoices}, or null / {@code $default} when unknown
 * @param body     the decoded body bytes (base64 already undone), empty when there is none
 */
public record HttpRequest(String method, String path, String routeKey, Map<String, String> pathParameters,
                          Map<String, String> query, Map<String, String> headers, byte[] body, String requestId) {
    public HttpRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
