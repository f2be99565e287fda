package dev.invoiceloyalty.snapstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import java.util.HashMap;
import java.util.Map;

/** HttpApi (payload format 2.0) sample events for the priming of the HTTP functions, shaped as API Gateway sends them. */
public final class PrimingHttp {
    private PrimingHttp() {
    }

    /**
     * @param routeKey       the matched route, e.g. {@code POST /invoices}
     * @param pathParameters the route's parameters, decoded as API Gateway passes them
     * @param headers        lower-case names; {@code content-type} is added when there is a body
     * @param body           null for none
     */
    public static APIGatewayV2HTTPEvent event(String method, String rawPath, String routeKey,
                                              Map<String, String> pathParameters, Map<String, String> headers,
                                              String body) {
        Map<String, String> h = new HashMap<>(headers);
        if (body != null) {
            h.putIfAbsent("content-type", "application/json");
        }
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(rawPath)
                .withRawQueryString("")
                .withHeaders(h)
                .withPathParameters(pathParameters)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("snapstart-priming")
                        .withRouteKey(routeKey)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(rawPath).withProtocol("HTTP/1.1").build())
                        .build())
                .build();
    }
}
