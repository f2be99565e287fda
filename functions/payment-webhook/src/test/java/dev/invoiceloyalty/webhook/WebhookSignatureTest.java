package dev.invoiceloyalty.webhook;

import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.payments.WebhookSignatures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.invoiceloyalty.webhook.WebhookHarness.NOW;
import static dev.invoiceloyalty.webhook.WebhookHarness.SAMPLE_INVOICE;
import static dev.invoiceloyalty.webhook.WebhookHarness.SQUARE_KEY;
import static dev.invoiceloyalty.webhook.WebhookHarness.SQUARE_URL;
import static dev.invoiceloyalty.webhook.WebhookHarness.STRIPE_SECRET;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §5: signatures are verified over the exact raw body; missing, malformed, stale or wrong → 401 and nothing
 * written; unknown provider → 404; accepted events, ignored types included, → 200.
 */
class WebhookSignatureTest {
    private static final String STRIPE_BODY = WebhookHarness.stripePayment("evt_sig_1", "pi_sig_1", 11000, "EUR",
            SAMPLE_INVOICE, NOW);
    private static final byte[] STRIPE_BYTES = STRIPE_BODY.getBytes(StandardCharsets.UTF_8);
    private static final String SQUARE_BODY = WebhookHarness.squarePayment("sq_evt_sig_1", "sq_pay_sig_1", 11000, "EUR",
            SAMPLE_INVOICE, NOW);
    private static final byte[] SQUARE_BYTES = SQUARE_BODY.getBytes(StandardCharsets.UTF_8);
    private static final long T = NOW.getEpochSecond();

    private WebhookHarness h;

    @BeforeEach
    void freshTable() {
        h = new WebhookHarness();
        h.givenSampleInvoice();
    }

    private static String hmacHex(String secret, long t, byte[] body) {
        // signStripe's "t=..,v1=<hex>": the hex alone, to build headers by hand
        String header = WebhookSignatures.signStripe(body, secret, t);
        return header.substring(header.indexOf("v1=") + 3);
    }

    private WebhookHarness.Response stripeWithHeader(String header, byte[] body) {
        return h.deliver(WebhookHarness.request("stripe", header == null ? Map.of() : Map.of("stripe-signature", header),
                body, false));
    }

    private WebhookHarness.Response squareWithHeader(String header, byte[] body) {
        return h.deliver(WebhookHarness.request("square",
                header == null ? Map.of() : Map.of("x-square-hmacsha256-signature", header), body, false));
    }

    private void assertRejectedWithNothingWritten(int status, java.util.function.Supplier<WebhookHarness.Response> call) {
        var before = h.snapshot();

        var r = call.get();

        assertAll(
                () -> assertEquals(status, r.status(), r.body()),
                () -> assertEquals("application/problem+json", r.contentType()),
                () -> assertEquals(status, r.json().path("status").asInt()),
                () -> assertTrue(r.json().has("type") && r.json().has("title") && r.json().has("detail"), r.body()),
                () -> assertEquals(before, h.snapshot(), "a rejected delivery writes nothing"),
                () -> assertEquals(List.of(), h.paymentMessages()),
                () -> assertEquals(List.of(), h.mailMessages()),
                () -> assertEquals(List.of(), h.busEvents()));
    }

    // --- Stripe ------------------------------------------------------------------------------------------------------

    @Test
    void givenAValidStripeSignatureWhenDeliveredThenItAnswers200AndPaysTheInvoice() {
        var r = stripeWithHeader(WebhookSignatures.signStripe(STRIPE_BYTES, STRIPE_SECRET, T), STRIPE_BYTES);

        assertEquals(200, r.status(), r.body());
        assertEquals("paid", r.outcome());
        assertEquals("evt_sig_1", r.json().path("eventId").asText());
        assertEquals(InvoiceStatus.PAID, h.invoice(SAMPLE_INVOICE).status());
    }

    static Stream<Arguments> badStripeHeaders() {
        String valid = hmacHex(STRIPE_SECRET, T, STRIPE_BYTES);
        byte[] tampered = STRIPE_BODY.replace("11000", "1").getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("wrong secret", WebhookSignatures.signStripe(STRIPE_BYTES, "whsec_other", T), STRIPE_BYTES),
                Arguments.of("tampered body", "t=" + T + ",v1=" + valid, tampered),
                Arguments.of("missing header", null, STRIPE_BYTES),
                Arguments.of("blank header", " ", STRIPE_BYTES),
                Arguments.of("malformed: no t", "v1=" + valid, STRIPE_BYTES),
                Arguments.of("malformed: no v1", "t=" + T + ",v0=" + valid, STRIPE_BYTES),
                Arguments.of("malformed: t not a number", "t=soon,v1=" + valid, STRIPE_BYTES),
                Arguments.of("malformed: garbage", "garbage", STRIPE_BYTES),
                Arguments.of("stale: signed 301 s ago", WebhookSignatures.signStripe(STRIPE_BYTES, STRIPE_SECRET, T - 301),
                        STRIPE_BYTES),
                Arguments.of("stale: signed 301 s ahead", WebhookSignatures.signStripe(STRIPE_BYTES, STRIPE_SECRET, T + 301),
                        STRIPE_BYTES),
                Arguments.of("stale timestamp swapped into a fresh signature", "t=" + (T - 301) + ",v1=" + valid,
                        STRIPE_BYTES));
    }

    @ParameterizedTest(name = "GIVEN a Stripe delivery with {0} THEN 401 and nothing written")
    @MethodSource("badStripeHeaders")
    void givenAnInvalidStripeSignatureWhenDeliveredThen401AndTheTableIsUnchanged(String why, String header, byte[] body) {
        assertTrue(body.length > 0, why);
        assertRejectedWithNothingWritten(401, () -> stripeWithHeader(header, body));
    }

    @Test
    void givenTheSignatureHeaderNameInAnotherCaseWhenDeliveredThenItIsFoundAndItAnswers200() {
        var r = h.deliver(WebhookHarness.request("stripe",
                Map.of("Stripe-Signature", WebhookSignatures.signStripe(STRIPE_BYTES, STRIPE_SECRET, T)), STRIPE_BYTES, false));

        assertEquals(200, r.status(), r.body());
    }

    @Test
    void givenAStripeTimestampExactly300SecondsOldWhenDeliveredThenItIsStillAccepted() {
        var r = stripeWithHeader(WebhookSignatures.signStripe(STRIPE_BYTES, STRIPE_SECRET, T - 300), STRIPE_BYTES);

        assertEquals(200, r.status(), r.body());
    }

    @Test
    void givenStripeRollingItsSecretWithTwoV1OfWhichTheSecondIsValidWhenDeliveredThenItAnswers200() {
        String header = "t=" + T + ",v1=" + hmacHex("whsec_old_rolled", T, STRIPE_BYTES) + ",v1="
                + hmacHex(STRIPE_SECRET, T, STRIPE_BYTES);

        var r = stripeWithHeader(header, STRIPE_BYTES);

        assertEquals(200, r.status(), r.body());
        assertEquals(InvoiceStatus.PAID, h.invoice(SAMPLE_INVOICE).status());
    }

    @Test
    void givenATestModeV0ElementBeforeTheValidV1WhenDeliveredThenTheV0IsIgnoredAndItAnswers200() {
        String header = "t=" + T + ",v0=" + hmacHex("whsec_test", T, STRIPE_BYTES) + ",v1="
                + hmacHex(STRIPE_SECRET, T, STRIPE_BYTES);

        assertEquals(200, stripeWithHeader(header, STRIPE_BYTES).status());
    }

    @Test
    void givenOurOwnSecretRotationWithTwoConfiguredSecretsWhenSignedWithTheNewOneThenItAnswers200() {
        h = new WebhookHarness(List.of(), List.of("whsec_previous", STRIPE_SECRET));
        h.givenSampleInvoice();

        var r = stripeWithHeader(WebhookSignatures.signStripe(STRIPE_BYTES, STRIPE_SECRET, T), STRIPE_BYTES);

        assertEquals(200, r.status(), r.body());
    }

    @Test
    void givenTheBase64EncodedSampleWhenDeliveredThenTheSignatureIsCheckedOverTheDecodedBytesAndItAnswers200() {
        var event = WebhookHarness.sample("stripe-payment-intent-succeeded-base64.json");
        assertTrue(event.getIsBase64Encoded());

        var r = h.deliver(event);

        assertEquals(200, r.status(), r.body());
        assertEquals("paid", r.outcome());
        var inv = h.invoice(SAMPLE_INVOICE);
        assertEquals(InvoiceStatus.PAID, inv.status());
        assertEquals("pi_3QxSample0Payment000002", inv.payments().get(0).paymentId());
    }

    @Test
    void givenABase64BodyWhoseSignatureIsOverTheBase64TextWhenDeliveredThen401() {
        byte[] b64Text = java.util.Base64.getEncoder().encode(STRIPE_BYTES);
        String header = WebhookSignatures.signStripe(b64Text, STRIPE_SECRET, T);

        assertRejectedWithNothingWritten(401, () -> h.deliver(WebhookHarness.request("stripe",
                Map.of("stripe-signature", header), STRIPE_BYTES, true)));
    }

    @Test
    void givenASignedBodyWithNonAsciiTextWhenDeliveredThenItIsVerifiedOverTheExactUtf8Bytes() {
        var event = WebhookHarness.sample("stripe-payment-intent-succeeded.json");
        assertTrue(event.getBody().contains("Müller"));

        var r = h.deliver(event);

        assertEquals(200, r.status(), r.body());
    }

    // --- Square ------------------------------------------------------------------------------------------------------

    @Test
    void givenAValidSquareSignatureWhenDeliveredThenItAnswers200AndPaysTheInvoice() {
        var r = squareWithHeader(WebhookSignatures.signSquare(SQUARE_BYTES, SQUARE_KEY, SQUARE_URL), SQUARE_BYTES);

        assertEquals(200, r.status(), r.body());
        assertEquals("paid", r.outcome());
        assertEquals(InvoiceStatus.PAID, h.invoice(SAMPLE_INVOICE).status());
    }

    static Stream<Arguments> badSquareHeaders() {
        return Stream.of(
                Arguments.of("wrong key", WebhookSignatures.signSquare(SQUARE_BYTES, "square_other", SQUARE_URL)),
                Arguments.of("wrong notification URL",
                        WebhookSignatures.signSquare(SQUARE_BYTES, SQUARE_KEY, "http://127.0.0.1:3001/webhooks/square")),
                Arguments.of("tampered body", WebhookSignatures.signSquare(
                        SQUARE_BODY.replace("11000", "1100").getBytes(StandardCharsets.UTF_8), SQUARE_KEY, SQUARE_URL)),
                Arguments.of("missing header", null),
                Arguments.of("malformed: not base64", "not base64 at all!"),
                Arguments.of("malformed: too short", java.util.Base64.getEncoder().encodeToString(new byte[16])));
    }

    @ParameterizedTest(name = "GIVEN a Square delivery with {0} THEN 401 and nothing written")
    @MethodSource("badSquareHeaders")
    void givenAnInvalidSquareSignatureWhenDeliveredThen401AndTheTableIsUnchanged(String why, String header) {
        assertRejectedWithNothingWritten(401, () -> squareWithHeader(header, SQUARE_BYTES));
    }

    @Test
    void givenAStripeSignatureOnTheSquareRouteWhenDeliveredThen401() {
        String stripeHeader = WebhookSignatures.signStripe(SQUARE_BYTES, STRIPE_SECRET, T);

        assertRejectedWithNothingWritten(401, () -> h.deliver(WebhookHarness.request("square",
                Map.of("stripe-signature", stripeHeader), SQUARE_BYTES, false)));
    }

    // --- routing and ignored types ---------------------------------------------------------------------------------

    @Test
    void givenAnUnknownProviderWhenDeliveredThen404ProblemAndNothingWritten() {
        String header = WebhookSignatures.signStripe(STRIPE_BYTES, STRIPE_SECRET, T);

        assertRejectedWithNothingWritten(404, () -> h.deliver(WebhookHarness.request("paypal",
                Map.of("stripe-signature", header), STRIPE_BYTES, false)));
    }

    @Test
    void givenTheIgnoredEventTypeSampleWhenDeliveredThen200IgnoredAndNothingWritten() {
        var before = h.snapshot();

        var r = h.deliver(WebhookHarness.sample("stripe-customer-created-ignored.json"));

        assertEquals(200, r.status(), r.body());
        assertEquals("ignored", r.outcome());
        assertEquals(before, h.snapshot());
        assertEquals(List.of(), h.paymentMessages());
        assertEquals(List.of(), h.busEvents());
    }

    @Test
    void givenASquarePaymentThatIsNotCompletedWhenDeliveredThen200IgnoredAndNothingWritten() {
        String pending = SQUARE_BODY.replace("\"COMPLETED\"", "\"APPROVED\"");
        var before = h.snapshot();

        var r = h.square(pending);

        assertEquals(200, r.status(), r.body());
        assertEquals("ignored", r.outcome());
        assertEquals(before, h.snapshot());
    }

    @Test
    void givenAValidlySignedBodyThatIsNotJsonWhenDeliveredThen400AndNothingWritten() {
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);

        assertRejectedWithNothingWritten(400, () -> stripeWithHeader(
                WebhookSignatures.signStripe(notJson, STRIPE_SECRET, T), notJson));
    }

    @Test
    void givenABodyOver256KiBWhenDeliveredThen413AndNothingWritten() {
        byte[] huge = new byte[256 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');

        assertRejectedWithNothingWritten(413, () -> stripeWithHeader(
                WebhookSignatures.signStripe(huge, STRIPE_SECRET, T), huge));
    }

    @Test
    void givenTheStoredSignatureReplayedAnHourLaterWhenDeliveredThenItIsStale() {
        // The same stored sample that is valid at NOW, checked by a function whose clock is an hour later.
        var event = WebhookHarness.sample("stripe-payment-intent-succeeded.json");
        var later = new WebhookService(null, new WebhookSecrets() {
            @Override
            public List<String> stripeSecrets() {
                return List.of(STRIPE_SECRET);
            }

            @Override
            public String squareSignatureKey() {
                return SQUARE_KEY;
            }

            @Override
            public String squareNotificationUrl() {
                return SQUARE_URL;
            }
        }, java.time.Clock.fixed(Instant.ofEpochSecond(T + 3600), java.time.ZoneOffset.UTC));

        var r = dev.invoiceloyalty.local.LambdaStreams.invoke(new PaymentWebhookHandler(later), event,
                com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse.class);

        assertEquals(401, r.getStatusCode(), r.getBody());
        assertTrue(r.getBody().contains("stale"), r.getBody());
    }
}
