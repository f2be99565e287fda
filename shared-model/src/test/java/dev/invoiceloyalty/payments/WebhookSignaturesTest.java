package dev.invoiceloyalty.payments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.payments.SampleWebhookEvents.Sample;
import dev.invoiceloyalty.payments.WebhookSignatures.Verdict;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignaturesTest {
    private static final String SECRET = "whsec_local";
    private static final long T = 1795338000L;
    private static final Instant SIGNED = Instant.ofEpochSecond(T);
    private static final Duration TOLERANCE = WebhookSignatures.STRIPE_DEFAULT_TOLERANCE;
    private static final byte[] BODY = """
            {
              "id": "evt_test",
              "object": "event",
              "type": "payment_intent.succeeded"
            }""".getBytes(StandardCharsets.UTF_8);

    private static Verdict stripe(byte[] body, String header, Instant now) {
        return WebhookSignatures.verifyStripe(body, header, List.of(SECRET), now, TOLERANCE);
    }

    private static String v1(byte[] body, String secret, long t) {
        String header = WebhookSignatures.signStripe(body, secret, t);
        return header.substring(header.indexOf("v1=") + 3);
    }

    @Nested
    class Stripe {
        @Test
        void aSignatureMadeWithTheSecretIsValid() {
            // GIVEN a body signed with our secret at T
            String header = WebhookSignatures.signStripe(BODY, SECRET, T);
            // WHEN it is verified at T THEN it passes
            assertEquals(Verdict.VALID, stripe(BODY, header, SIGNED));
        }

        @Test
        void aSignatureMadeWithAnotherSecretIsAMismatch() {
            String header = WebhookSignatures.signStripe(BODY, "whsec_other", T);
            assertEquals(Verdict.MISMATCH, stripe(BODY, header, SIGNED));
        }

        @Test
        void aBodyWithOneByteChangedIsAMismatch() {
            String header = WebhookSignatures.signStripe(BODY, SECRET, T);
            byte[] tampered = BODY.clone();
            tampered[tampered.length / 2] ^= 0x01;
            assertEquals(Verdict.MISMATCH, stripe(tampered, header, SIGNED));
        }

        @Test
        void aChangedTimestampIsAMismatchBecauseTheTimestampIsSigned() {
            String header = "t=" + (T + 1) + ",v1=" + v1(BODY, SECRET, T);
            assertEquals(Verdict.MISMATCH, stripe(BODY, header, SIGNED));
        }

        @Test
        void anAbsentOrBlankHeaderIsMissing() {
            assertEquals(Verdict.MISSING, stripe(BODY, null, SIGNED));
            assertEquals(Verdict.MISSING, stripe(BODY, "", SIGNED));
            assertEquals(Verdict.MISSING, stripe(BODY, "   ", SIGNED));
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {
                "v1=SIG",                           // no t
                "t=,v1=SIG",                        // empty t
                "t=17953380OO,v1=SIG",              // non-numeric t
                "t=-1795338000,v1=SIG",             // signed t
                "t=1795338000000000,v1=SIG",        // more than twelve digits
                "t=1795338000,t=1795338000,v1=SIG", // t twice
                "t=1795338000",                     // no v1
                "t=1795338000,v0=SIG",              // only a scheme we do not check
                "garbage",
                "sha256=SIG",
                ",,,",
        })
        void anUnreadableHeaderIsMalformed(String template) {
            // SIG is the correct signature, so only the header's shape can be at fault.
            String header = template.replace("SIG", v1(BODY, SECRET, T));
            assertEquals(Verdict.MALFORMED, stripe(BODY, header, SIGNED));
        }

        @Test
        void elementsOfOtherSchemesAreIgnoredBesideAV1() {
            String header = "t=" + T + ",v0=" + v1(BODY, "whsec_test_mode", T) + ",v1=" + v1(BODY, SECRET, T);
            assertEquals(Verdict.VALID, stripe(BODY, header, SIGNED));
        }

        @Test
        void spacesAroundElementsAreTolerated() {
            String header = "t=" + T + ", v1=" + v1(BODY, SECRET, T);
            assertEquals(Verdict.VALID, stripe(BODY, header, SIGNED));
        }

        @Test
        void anUppercaseHexSignatureIsAMismatchBecauseStripeSendsLowercase() {
            String header = "t=" + T + ",v1=" + v1(BODY, SECRET, T).toUpperCase();
            assertEquals(Verdict.MISMATCH, stripe(BODY, header, SIGNED));
        }

        @Test
        void exactly300SecondsEitherWayIsStillValid() {
            String header = WebhookSignatures.signStripe(BODY, SECRET, T);
            assertEquals(Verdict.VALID, stripe(BODY, header, SIGNED.plusSeconds(300)));
            assertEquals(Verdict.VALID, stripe(BODY, header, SIGNED.minusSeconds(300)));
        }

        @Test
        void aCorrectSignature301SecondsOldIsStale() {
            String header = WebhookSignatures.signStripe(BODY, SECRET, T);
            assertEquals(Verdict.STALE, stripe(BODY, header, SIGNED.plusSeconds(301)));
        }

        @Test
        void aCorrectSignature301SecondsInTheFutureIsStale() {
            String header = WebhookSignatures.signStripe(BODY, SECRET, T);
            assertEquals(Verdict.STALE, stripe(BODY, header, SIGNED.minusSeconds(301)));
        }

        @Test
        void aFractionOfASecondBeyondTheToleranceIsStale() {
            String header = WebhookSignatures.signStripe(BODY, SECRET, T);
            assertEquals(Verdict.STALE, stripe(BODY, header, SIGNED.plusSeconds(300).plusMillis(1)));
        }

        @Test
        void aWrongSignatureIsAMismatchEvenWhenItIsAlsoStale() {
            // The signature is checked first: STALE is only ever said of a delivery Stripe really signed.
            String header = WebhookSignatures.signStripe(BODY, "whsec_other", T);
            assertEquals(Verdict.MISMATCH, stripe(BODY, header, SIGNED.plusSeconds(3600)));
        }

        @Test
        void duringStripesRotationASecondV1ThatMatchesIsValid() {
            String header = "t=" + T + ",v1=" + v1(BODY, "whsec_expiring", T) + ",v1=" + v1(BODY, SECRET, T);
            assertEquals(Verdict.VALID, stripe(BODY, header, SIGNED));
        }

        @Test
        void duringOurRotationTheSecondSecretThatMatchesIsValid() {
            String header = WebhookSignatures.signStripe(BODY, "whsec_new", T);
            Verdict verdict = WebhookSignatures.verifyStripe(BODY, header, List.of("whsec_old", "whsec_new"), SIGNED,
                    TOLERANCE);
            assertEquals(Verdict.VALID, verdict);
        }

        @Test
        void aBodyWithNonAsciiUtf8AndCrLfVerifiesByteForByte() {
            // GIVEN a body with multi-byte UTF-8, CRLF line ends, and a byte that is not valid UTF-8 at all
            byte[] prefix = "{\"name\": \"Müller – 東京 💶\",\r\n\"note\": \"".getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[prefix.length + 3];
            System.arraycopy(prefix, 0, body, 0, prefix.length);
            body[prefix.length] = (byte) 0xff;
            body[prefix.length + 1] = '"';
            body[prefix.length + 2] = '}';
            String header = WebhookSignatures.signStripe(body, SECRET, T);

            // THEN the exact bytes verify, and a decode/re-encode round trip (which replaces 0xff) does not
            assertEquals(Verdict.VALID, stripe(body, header, SIGNED));
            byte[] reencoded = new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            assertEquals(Verdict.MISMATCH, stripe(reencoded, header, SIGNED));
            byte[] lfOnly = new String(body, StandardCharsets.ISO_8859_1).replace("\r\n", "\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(Verdict.MISMATCH, stripe(lfOnly, header, SIGNED));
        }

        @Test
        void theSignatureIsHmacSha256OfTimestampDotBodyAsComputedIndependently() throws Exception {
            byte[] body = "{\"id\":\"evt_vector\",\"object\":\"event\"}".getBytes(StandardCharsets.UTF_8);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(
                    mac.doFinal(("1795338000." + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));

            assertEquals("t=1795338000,v1=" + expected, WebhookSignatures.signStripe(body, SECRET, T));
            // The same vector from: printf '%s' '1795338000.{"id":"evt_vector","object":"event"}' \
            //                        | openssl dgst -sha256 -hmac whsec_local
            assertEquals("aa0d609f22fa6006033b3bc03e8e5dceb5f6c8724d2cabd4c673b7b603855791", expected);
        }

        @Test
        void noSecretsIsAConfigurationErrorNotAVerdict() {
            String header = WebhookSignatures.signStripe(BODY, SECRET, T);
            assertThrows(IllegalArgumentException.class,
                    () -> WebhookSignatures.verifyStripe(BODY, header, List.of(), SIGNED, TOLERANCE));
            assertThrows(IllegalArgumentException.class,
                    () -> WebhookSignatures.verifyStripe(BODY, header, List.of(SECRET, " "), SIGNED, TOLERANCE));
        }
    }

    @Nested
    class Square {
        private static final String KEY = "square_local";
        private static final String URL = "http://127.0.0.1:3000/webhooks/square";
        private final byte[] body = "{\"event_id\":\"vector\"}".getBytes(StandardCharsets.UTF_8);

        @Test
        void aSignatureMadeWithTheKeyAndUrlIsValid() {
            String header = WebhookSignatures.signSquare(body, KEY, URL);
            assertEquals(Verdict.VALID, WebhookSignatures.verifySquare(body, header, KEY, URL));
        }

        @Test
        void aSignatureMadeWithAnotherKeyIsAMismatch() {
            String header = WebhookSignatures.signSquare(body, "other_key", URL);
            assertEquals(Verdict.MISMATCH, WebhookSignatures.verifySquare(body, header, KEY, URL));
        }

        @Test
        void aSignatureOfAnotherBodyIsAMismatch() {
            String header = WebhookSignatures.signSquare("{\"event_id\":\"other\"}".getBytes(StandardCharsets.UTF_8),
                    KEY, URL);
            assertEquals(Verdict.MISMATCH, WebhookSignatures.verifySquare(body, header, KEY, URL));
        }

        @Test
        void aSignatureForAnotherNotificationUrlIsAMismatch() {
            // Square signs the URL as registered: a trailing slash or another scheme is another URL.
            String header = WebhookSignatures.signSquare(body, KEY, URL);
            assertEquals(Verdict.MISMATCH, WebhookSignatures.verifySquare(body, header, KEY, URL + "/"));
            assertEquals(Verdict.MISMATCH,
                    WebhookSignatures.verifySquare(body, header, KEY, URL.replace("http:", "https:")));
        }

        @Test
        void anAbsentOrBlankHeaderIsMissing() {
            assertEquals(Verdict.MISSING, WebhookSignatures.verifySquare(body, null, KEY, URL));
            assertEquals(Verdict.MISSING, WebhookSignatures.verifySquare(body, " ", KEY, URL));
        }

        @ParameterizedTest
        @ValueSource(strings = {"not base64!", "c2hvcnQ=", "t=1795338000,v1=abc"})
        void aHeaderThatIsNotBase64Of32BytesIsMalformed(String header) {
            assertEquals(Verdict.MALFORMED, WebhookSignatures.verifySquare(body, header, KEY, URL));
        }

        @Test
        void theSignatureIsBase64HmacSha256OfUrlThenBodyAsComputedIndependently() throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(
                    mac.doFinal((URL + "{\"event_id\":\"vector\"}").getBytes(StandardCharsets.UTF_8)));

            assertEquals(expected, WebhookSignatures.signSquare(body, KEY, URL));
            // printf '%s' 'http://127.0.0.1:3000/webhooks/square{"event_id":"vector"}' \
            //   | openssl dgst -sha256 -hmac square_local -binary | base64
            assertEquals("hJCgpd/4sAbF0SSzWw7o/YFmosBQOd0avFlxHV9OGNA=", expected);
        }
    }

    /** The signed samples in {@code events/payment-webhook/} (working directory: shared-model). */
    @Nested
    class Samples {
        private final Path dir = Path.of("..", "events", "payment-webhook");

        @TestFactory
        Stream<DynamicTest> everySampleVerifiesWithTheLocalSecretsAtItsTime() {
            return SampleWebhookEvents.samples().stream().map(sample -> DynamicTest.dynamicTest(sample.fileName(),
                    () -> {
                        JsonNode event = Json.mapper().readTree(Files.readString(dir.resolve(sample.fileName())));
                        assertEquals("POST /webhooks/{provider}", event.path("routeKey").asText());
                        assertEquals(sample.provider(), event.path("pathParameters").path("provider").asText());
                        assertEquals(sample.base64(), event.path("isBase64Encoded").asBoolean());

                        String body = event.path("body").asText();
                        byte[] raw = event.path("isBase64Encoded").asBoolean()
                                ? Base64.getDecoder().decode(body)
                                : body.getBytes(StandardCharsets.UTF_8);
                        JsonNode headers = event.path("headers");
                        Verdict verdict = sample.provider().equals("stripe")
                                ? WebhookSignatures.verifyStripe(raw, headers.path("stripe-signature").asText(null),
                                        List.of(SampleWebhookEvents.STRIPE_SECRET), SIGNED, TOLERANCE)
                                : WebhookSignatures.verifySquare(raw,
                                        headers.path("x-square-hmacsha256-signature").asText(null),
                                        SampleWebhookEvents.SQUARE_SIGNATURE_KEY,
                                        SampleWebhookEvents.SQUARE_NOTIFICATION_URL);
                        assertEquals(Verdict.VALID, verdict);
                    }));
        }

        @TestFactory
        Stream<DynamicTest> everySampleOnDiskIsWhatTheGeneratorWrites() {
            return SampleWebhookEvents.samples().stream().map(sample -> DynamicTest.dynamicTest(sample.fileName(),
                    () -> assertEquals(SampleWebhookEvents.render(sample), read(sample),
                            sample.fileName() + " differs from SampleWebhookEvents; regenerate it (see its Javadoc)")));
        }

        @Test
        void theStripeSamplesCarryTheEventTypesTheFunctionHandlesAndOneItIgnores() throws IOException {
            List<String> types = new ArrayList<>();
            for (Sample sample : SampleWebhookEvents.samples()) {
                if (sample.provider().equals("stripe")) {
                    types.add(Json.mapper().readTree(sample.body()).path("type").asText());
                }
            }
            assertTrue(types.containsAll(List.of("payment_intent.succeeded", "charge.refunded",
                    "charge.dispute.created", "charge.dispute.closed", "customer.created")), types::toString);
        }

        private String read(Sample sample) throws IOException {
            return Files.readString(dir.resolve(sample.fileName()), StandardCharsets.UTF_8);
        }
    }
}
