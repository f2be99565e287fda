package dev.invoiceloyalty.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Lambda entry point of {@code InvoiceApiFunction}: an HttpApi payload-format-2.0 event in, a response out. */
public final class InvoiceApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final InvoiceApi api;

    /** Used by Lambda: clients and configuration are built once per container, here. */
    public InvoiceApiHandler() {
        this(new InvoiceApi(InvoiceApi.Dependencies.fromEnvironment()));
    }

    public InvoiceApiHandler(InvoiceApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpResponse response = api.handle(toRequest(event));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
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
}
