package dev.invoiceloyalty.webhook;

import dev.invoiceloyalty.adapters.DynamoDbPaymentStore;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.http.ApiGatewayHttp;
import dev.invoiceloyalty.http.HttpRequest;
import dev.invoiceloyalty.http.HttpResponse;
import dev.invoiceloyalty.payments.PaymentApplication;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.payments.ProviderEvent;
import dev.invoiceloyalty.payments.SquareEvents;
import dev.invoiceloyalty.payments.StripeEvents;
import dev.invoiceloyalty.payments.WebhookSignatures;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingHttp;
import dev.invoiceloyalty.snapstart.PrimingResource;
import dev.invoiceloyalty.snapstart.PrimingSamples;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.invoiceloyalty.snapstart.Priming.expect;
import static dev.invoiceloyalty.snapstart.PrimingSamples.ABSENT_ID;

/**
 * SnapStart priming of {@code PaymentWebhookFunction}: a Stripe and a Square payment event through the transport,
 * signature check and parser, the payment store's read (a BatchGetItem of keys that cannot exist), the payment applied
 * to an in-memory invoice, its messages, its transaction built with the messages on its dedup record (not run), and
 * the answer: the warm path of a paying event, which is a BatchGetItem and a TransactWriteItems and sends nothing.
 *
 * <p>Signatures are computed and checked with a priming-only key: the real secrets are not read here, so none is
 * fetched before the snapshot or kept in it.
 */
final class PaymentWebhookPriming extends PrimingResource {
    /** Signs and verifies the priming samples only; never a provider's secret. */
    private static final String PRIMING_KEY = "whsec_snapstart_priming";
    private static final String SQUARE_URL = "https://priming.invalid/webhooks/square";

    private final DynamoDbPaymentStore payments;

    /** @param payments the payment store over the function's own DynamoDB client and table */
    PaymentWebhookPriming(DynamoDbPaymentStore payments) {
        super("payment-webhook");
        this.payments = payments;
    }

    @Override
    protected void prime(Priming.Run run) {
        Invoice[] invoice = new Invoice[1];
        ProviderEvent[] stripe = new ProviderEvent[1];
        run.step("stripe-event", () -> {
            invoice[0] = PrimingSamples.invoice(ProgramConfig.defaults());
            byte[] body = stripeBody(invoice[0]).getBytes(StandardCharsets.UTF_8);
            String signature = WebhookSignatures.signStripe(body, PRIMING_KEY, PrimingSamples.NOW.getEpochSecond());
            HttpRequest request = request("stripe", Map.of("stripe-signature", signature), body);
            expect(WebhookSignatures.verifyStripe(request.body(), request.header("stripe-signature"), List.of(PRIMING_KEY),
                    PrimingSamples.NOW, WebhookSignatures.STRIPE_DEFAULT_TOLERANCE) == WebhookSignatures.Verdict.VALID,
                    "a valid Stripe signature");
            stripe[0] = StripeEvents.parse(request.body());
            expect(stripe[0] instanceof ProviderEvent.PaymentSucceeded, "a Stripe payment");
        });
        run.step("square-event", () -> {
            byte[] body = squareBody(invoice[0]).getBytes(StandardCharsets.UTF_8);
            String signature = WebhookSignatures.signSquare(body, PRIMING_KEY, SQUARE_URL);
            HttpRequest request = request("square", Map.of("x-square-hmacsha256-signature", signature), body);
            expect(WebhookSignatures.verifySquare(request.body(), request.header("x-square-hmacsha256-signature"),
                    PRIMING_KEY, SQUARE_URL) == WebhookSignatures.Verdict.VALID, "a valid Square signature");
            expect(SquareEvents.parse(request.body()) instanceof ProviderEvent.PaymentSucceeded, "a Square payment");
        });
        run.step("payment-load", () -> {
            var loaded = payments.load(StripeEvents.PROVIDER, ABSENT_ID, ABSENT_ID);
            expect(!loaded.stub().exists() && loaded.invoice() == null, "nothing stored under the absent id");
        });
        Invoice[] paid = new Invoice[1];
        run.step("apply-payment", () -> {
            var outcome = PaymentApplication.applyPayment(invoice[0], true, (ProviderEvent.PaymentSucceeded) stripe[0],
                    List.of(), PrimingSamples.NOW);
            expect(outcome.completed() && outcome.invoice().status() == InvoiceStatus.PAID, "the sample paid in full");
            paid[0] = outcome.invoice();
        });
        List<OutboxMessage> messages = new ArrayList<>();
        run.step("payment-messages", () -> {
            Invoice inv = paid[0];
            Invoice.Payment recorded = inv.payments().get(inv.payments().size() - 1);
            messages.add(OutboxMessage.event("PaymentRecorded#stripe#" + recorded.paymentId(), "PaymentRecorded",
                    Json.write(Map.of("invoiceId", inv.invoiceId(), "customerId", inv.customerId(),
                            "currency", inv.currency(), "payment", recorded))));
            String payment = Json.write(PaymentMessage.paymentRecorded(inv));
            messages.add(OutboxMessage.payment(PaymentMessage.PAYMENT_RECORDED + "#" + inv.invoiceId(),
                    PaymentMessage.PAYMENT_RECORDED, payment));
            messages.add(OutboxMessage.event("InvoicePaid#" + inv.invoiceId(), "InvoicePaid", Json.write(inv)));
            expect(Json.read(payment, PaymentMessage.class).invoiceId().equals(inv.invoiceId()), "a PaymentMessage");
        });
        run.step("payment-transaction", () -> {
            Invoice inv = paid[0];
            // Built like the service builds it, the messages encoded on the dedup record for the relay; run() is what
            // would write, and it is never called here.
            payments.commit(StripeEvents.PROVIDER, stripe[0].eventId(), "paid", messages, PrimingSamples.NOW)
                    .invoice(inv, 1)
                    .paymentRecorded(StripeEvents.PROVIDER, inv.payments().get(0).paymentId(), inv.invoiceId(),
                            inv.amountPaid(), inv.currency(), 0);
        });
        run.step("response", () -> {
            String body = Json.write(Map.of("received", true, "eventId", stripe[0].eventId(), "outcome", "paid"));
            var out = new java.io.ByteArrayOutputStream();
            ApiGatewayHttp.writeResponse(new HttpResponse(200, Map.of("content-type", "application/json"), body), out);
            expect(Json.tree(out.toByteArray()).path("statusCode").asInt() == 200, "a 200");
        });
    }

    private static HttpRequest request(String provider, Map<String, String> headers, byte[] body) {
        try {
            return ApiGatewayHttp.readRequest(new java.io.ByteArrayInputStream(PrimingHttp.event("POST",
                    "/webhooks/" + provider, "POST /webhooks/{provider}", Map.of("provider", provider), headers,
                    new String(body, StandardCharsets.UTF_8))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A {@code payment_intent.succeeded} that pays the sample invoice in full. */
    private static String stripeBody(Invoice inv) {
        return "{\"id\":\"evt_snapstart_priming\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\","
                + "\"created\":" + PrimingSamples.NOW.getEpochSecond() + ",\"data\":{\"object\":{"
                + "\"id\":\"pi_snapstart_priming\",\"object\":\"payment_intent\",\"amount\":" + inv.total()
                + ",\"amount_received\":" + inv.total() + ",\"currency\":\"" + inv.currency().toLowerCase() + "\","
                + "\"created\":" + PrimingSamples.NOW.getEpochSecond() + ",\"latest_charge\":\"ch_snapstart_priming\","
                + "\"metadata\":{\"invoice_id\":\"" + inv.invoiceId() + "\"},\"status\":\"succeeded\"}}}";
    }

    /** A completed Square {@code payment.updated} for the sample invoice. */
    private static String squareBody(Invoice inv) {
        return "{\"merchant_id\":\"PRIMING\",\"type\":\"payment.updated\",\"event_id\":\"snapstart-priming\","
                + "\"created_at\":\"" + PrimingSamples.NOW + "\",\"data\":{\"type\":\"payment\",\"id\":\"sq_priming\","
                + "\"object\":{\"payment\":{\"id\":\"sq_priming\",\"updated_at\":\"" + PrimingSamples.NOW + "\","
                + "\"amount_money\":{\"amount\":" + inv.total() + ",\"currency\":\"" + inv.currency() + "\"},"
                + "\"status\":\"COMPLETED\",\"reference_id\":\"" + inv.invoiceId() + "\"}}}}";
    }
}
