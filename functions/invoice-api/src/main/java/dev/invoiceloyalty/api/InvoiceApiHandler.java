package dev.invoiceloyalty.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.invoiceloyalty.http.ApiGatewayHttp;
import dev.invoiceloyalty.snapstart.Priming;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lambda entry point of {@code InvoiceApiFunction}: an HttpApi payload-format-2.0 event in, a response out. A stream
 * handler, so the runtime passes the event's bytes and the function's own Jackson reads them (see
 * {@link ApiGatewayHttp}).
 */
public final class InvoiceApiHandler implements RequestStreamHandler {
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
    public void handleRequest(InputStream event, OutputStream answer, Context context) throws IOException {
        ApiGatewayHttp.serve(event, answer, api::handle);
    }
}
