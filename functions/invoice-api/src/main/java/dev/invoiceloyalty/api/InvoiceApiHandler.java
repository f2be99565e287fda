package dev.invoiceloyalty.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.invoiceloyalty.http.ApiGatewayHttp;
import dev.invoiceloyalty.snapstart.Priming;

/** Lambda entry point of {@code InvoiceApiFunction}: an HttpApi payload-format-2.0 event in, a response out. */
public final class InvoiceApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final InvoiceApi api;

    /** Used by Lambda: clients and configuration are built once per container, here. */
    public InvoiceApiHandler() {
        this(new InvoiceApi(InvoiceApi.Dependencies.fromEnvironment()));
        Priming.register(new InvoiceApiPriming(api));
    }

    public InvoiceApiHandler(InvoiceApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGatewayHttp.toResponse(api.handle(ApiGatewayHttp.toRequest(event)));
    }
}
