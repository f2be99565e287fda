package dev.invoiceloyalty.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** HttpApi payload format 2.0 ↔ {@link HttpRequest} / {@link HttpResponse}, shared by every HTTP function. */
public final class ApiGatewayHttp {
    private ApiGatewayHttp() {
    }

    /**
     * The request with its body as the exact bytes the client sent: API Gateway base64-encodes bodies it does not
     * treat as text, and signatures are computed over the raw bytes, so the body is decoded, never re-serialised.
     */
    public static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        byte[] body = new byte[0];
        if (event.getBody() != null) {
            body = event.getIsBase64Encoded()
                    ? Base64.getDecoder().decode(event.getBody())
                    : event.getBody().getBytes(StandardCharsets.UTF_8);
        }
        var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
        String method = http != null ? http.getMethod() : null;
        String path = http != null && http.getPath() != null ? http.getPath() : event.getRawPath();
        String requestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        return new HttpRequest(method, path != null ? path : event.getRawPath(), event.getRouteKey(),
                event.getPathParameters(), event.getQueryStringParameters(), headers, body, requestId);
    }

    public static APIGatewayV2HTTPResponse toResponse(HttpResponse response) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }
}
