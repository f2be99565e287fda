package dev.invoiceloyalty.payments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.domain.ProblemException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;

import static dev.invoiceloyalty.domain.Fixtures.problem;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StripeEventsTest {
    /** 1795338000: the time of every sample in {@code events/payment-webhook/}. */
    static final Instant SAMPLE_TIME = Instant.parse("2026-11-22T09:00:00Z");

    /**
     * The raw provider body of a sample in {@code events/payment-webhook/} (working directory: shared-model): the
     * API Gateway event's {@code body}, base64-decoded when {@code isBase64Encoded}. Shared with the other payment
     * tests so every sample file is proven by a parser, as {@code sam local invoke -e} will use it.
     */
    static byte[] sampleBody(String fileName) {
        try {
            JsonNode event = Json.mapper().readTree(
                    Files.readString(Path.of("..", "events", "payment-webhook", fileName), StandardCharsets.UTF_8));
            String body = event.path("body").asText();
            return event.path("isBase64Encoded").asBoolean()
                    ? Base64.getDecoder().decode(body)
                    : body.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProviderEvent parse(String body) {
        return StripeEvents.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A Stripe event of {@code type} whose {@code data.object} is {@code object} (a JSON object's text). */
    private static String event(String type, String object) {
        return """
                {"id": "evt_1", "object": "event", "created": 1795338060, "type": "%s",
                 "data": {"object": %s}}""".formatted(type, object);
    }

    private static String paymentIntent(String amountReceived) {
        return event("payment_intent.succeeded", """
                {"id": "pi_1", "object": "payment_intent", "amount": 11000, "amount_received": %s,
                 "currency": "usd", "created": 1795338000, "metadata": {"invoice_id": "inv-1"}}"""
                .formatted(amountReceived));
    }

    private static String chargeRefunded(String paymentIntent, String amountRefunded) {
        return event("charge.refunded", """
                {"id": "ch_1", "object": "charge", "amount": 11000, "amount_refunded": %s,
                 "payment_intent": %s, "currency": "usd", "created": 1795338000,
                 "metadata": {"invoice_id": "inv-1"}}""".formatted(amountRefunded, paymentIntent));
    }

    private static String dispute(String type, String status, String amount) {
        return event(type, """
                {"id": "dp_1", "object": "dispute", "amount": %s, "charge": "ch_1", "payment_intent": "pi_1",
                 "currency": "usd", "created": 1795338000, "status": "%s",
                 "metadata": {"invoice_id": "inv-1"}}""".formatted(amount, status));
    }

    private static void assertMalformed(ProblemException e) {
        assertAll(
                () -> assertEquals(400, e.status()),
                () -> assertEquals("malformed-request", e.type()));
    }

    /** The files in {@code events/payment-webhook/}, parsed as the function parses them. */
    @Nested
    class Samples {
        @Test
        void paymentIntentSucceededIsAPaymentOfAmountReceivedForTheInvoiceInItsMetadata() {
            ProviderEvent event = StripeEvents.parse(sampleBody("stripe-payment-intent-succeeded.json"));

            assertEquals(new ProviderEvent.PaymentSucceeded("stripe", "evt_3QxSample0PaySucceeded01",
                    "pi_3QxSample0Payment000001", 11000, "EUR", "inv_sample", SAMPLE_TIME), event);
        }

        @Test
        void aBase64DeliveredPaymentIntentSucceededParsesFromItsDecodedBytes() {
            ProviderEvent event = StripeEvents.parse(sampleBody("stripe-payment-intent-succeeded-base64.json"));

            assertEquals(new ProviderEvent.PaymentSucceeded("stripe", "evt_3QxSample0PaySucceeded02",
                    "pi_3QxSample0Payment000002", 11000, "EUR", "inv_sample", SAMPLE_TIME), event);
        }

        @Test
        void chargeRefundedIsACumulativeRefundKeyedByTheChargeOfItsPaymentIntent() {
            ProviderEvent event = StripeEvents.parse(sampleBody("stripe-charge-refunded.json"));

            assertEquals(new ProviderEvent.Refund("stripe", "evt_3QxSample0ChargeRefund1", "ch_3QxSample0Payment000001",
                    "pi_3QxSample0Payment000001", 3000, true, "EUR", "inv_sample", SAMPLE_TIME), event);
        }

        @Test
        void chargeDisputeCreatedIsAnOpenDisputeWithTheProviderStatus() {
            ProviderEvent event = StripeEvents.parse(sampleBody("stripe-charge-dispute-created.json"));

            assertEquals(new ProviderEvent.Dispute("stripe", "evt_1QxSample0DisputeOpen01", "dp_1QxSample0Dispute000001",
                    "pi_3QxSample0Payment000001", 11000, "needs_response", false, "inv_sample", SAMPLE_TIME), event);
            assertFalse(((ProviderEvent.Dispute) event).lost());
        }

        @Test
        void chargeDisputeClosedWithStatusLostIsALostDispute() {
            ProviderEvent event = StripeEvents.parse(sampleBody("stripe-charge-dispute-closed-lost.json"));

            assertEquals(new ProviderEvent.Dispute("stripe", "evt_1QxSample0DisputeLost01", "dp_1QxSample0Dispute000001",
                    "pi_3QxSample0Payment000001", 11000, "lost", true, "inv_sample", SAMPLE_TIME), event);
            assertTrue(((ProviderEvent.Dispute) event).lost());
        }

        @Test
        void customerCreatedIsIgnoredWithItsIdAndType() {
            ProviderEvent event = StripeEvents.parse(sampleBody("stripe-customer-created-ignored.json"));

            assertEquals(new ProviderEvent.Ignored("stripe", "evt_1QxSample0CustCreated01", "customer.created"), event);
        }
    }

    @Nested
    class PaymentIntentSucceeded {
        @Test
        void theAmountIsAmountReceivedNotTheRequestedAmount() {
            var p = (ProviderEvent.PaymentSucceeded) parse(paymentIntent("5000"));

            assertEquals(5000, p.amount());
        }

        @Test
        void theLowerCaseCurrencyIsUpperCased() {
            var p = (ProviderEvent.PaymentSucceeded) parse(paymentIntent("11000"));

            assertEquals("USD", p.currency());
        }

        @Test
        void theTimeIsTheObjectsCreatedRatherThanTheEvents() {
            // GIVEN data.object.created 1795338000 and the event's created a minute later
            var p = (ProviderEvent.PaymentSucceeded) parse(paymentIntent("11000"));

            assertEquals(Instant.ofEpochSecond(1795338000), p.occurredAt());
        }

        @Test
        void theTimeFallsBackToTheEventsCreatedWhenTheObjectHasNone() {
            var p = (ProviderEvent.PaymentSucceeded) parse(event("payment_intent.succeeded", """
                    {"id": "pi_1", "amount_received": 100, "currency": "usd"}"""));

            assertEquals(Instant.ofEpochSecond(1795338060), p.occurredAt());
        }

        @Test
        void theInvoiceIsMetadataInvoiceIdAndThePaymentIsTheIntentsId() {
            var p = (ProviderEvent.PaymentSucceeded) parse(paymentIntent("11000"));

            assertAll(
                    () -> assertEquals("inv-1", p.invoiceId()),
                    () -> assertEquals("pi_1", p.paymentId()),
                    () -> assertEquals("evt_1", p.eventId()),
                    () -> assertEquals("stripe", p.provider()));
        }

        @Test
        void withoutMetadataThereIsNoInvoice() {
            var p = (ProviderEvent.PaymentSucceeded) parse(event("payment_intent.succeeded", """
                    {"id": "pi_1", "amount_received": 100, "currency": "usd", "created": 1795338000}"""));

            assertNull(p.invoiceId());
        }

        @Test
        void aBlankInvoiceIdInMetadataIsNoInvoice() {
            var p = (ProviderEvent.PaymentSucceeded) parse(event("payment_intent.succeeded", """
                    {"id": "pi_1", "amount_received": 100, "currency": "usd", "created": 1795338000,
                     "metadata": {"invoice_id": "  "}}"""));

            assertNull(p.invoiceId());
        }

        @Test
        void aZeroAmountIsAccepted() {
            var p = (ProviderEvent.PaymentSucceeded) parse(paymentIntent("0"));

            assertEquals(0, p.amount());
        }
    }

    @Nested
    class ChargeRefunded {
        @Test
        void theAmountIsTheCumulativeAmountRefundedOfTheCharge() {
            var r = (ProviderEvent.Refund) parse(chargeRefunded("\"pi_1\"", "5000"));

            assertAll(
                    () -> assertEquals(5000, r.amount()),
                    () -> assertTrue(r.cumulative()),
                    () -> assertEquals("ch_1", r.refundId()),
                    () -> assertEquals("USD", r.currency()),
                    () -> assertEquals("inv-1", r.invoiceId()),
                    () -> assertEquals(Instant.ofEpochSecond(1795338000), r.occurredAt()));
        }

        @Test
        void thePaymentIntentGivenAsAnIdStringIsThePayment() {
            var r = (ProviderEvent.Refund) parse(chargeRefunded("\"pi_1\"", "3000"));

            assertEquals("pi_1", r.paymentId());
        }

        @Test
        void thePaymentIntentGivenAsAnExpandedObjectIsThePaymentByItsId() {
            var r = (ProviderEvent.Refund) parse(chargeRefunded("""
                    {"id": "pi_1", "object": "payment_intent", "amount_received": 11000}""", "3000"));

            assertEquals("pi_1", r.paymentId());
        }

        @Test
        void aChargeWithoutPaymentIntentHasNoPayment() {
            var r = (ProviderEvent.Refund) parse(chargeRefunded("null", "3000"));

            assertNull(r.paymentId());
        }
    }

    @Nested
    class Disputes {
        @Test
        void aCreatedDisputeIsOpenAndNotLost() {
            var d = (ProviderEvent.Dispute) parse(dispute("charge.dispute.created", "needs_response", "11000"));

            assertAll(
                    () -> assertFalse(d.closed()),
                    () -> assertFalse(d.lost()),
                    () -> assertEquals("needs_response", d.status()),
                    () -> assertEquals("dp_1", d.disputeId()),
                    () -> assertEquals("pi_1", d.paymentId()),
                    () -> assertEquals(11000, d.amount()),
                    () -> assertEquals("inv-1", d.invoiceId()));
        }

        @Test
        void aDisputeClosedLostIsLost() {
            var d = (ProviderEvent.Dispute) parse(dispute("charge.dispute.closed", "lost", "11000"));

            assertAll(
                    () -> assertTrue(d.closed()),
                    () -> assertEquals("lost", d.status()),
                    () -> assertTrue(d.lost()));
        }

        @Test
        void aDisputeClosedWonIsClosedButNotLost() {
            var d = (ProviderEvent.Dispute) parse(dispute("charge.dispute.closed", "won", "11000"));

            assertAll(
                    () -> assertTrue(d.closed()),
                    () -> assertEquals("won", d.status()),
                    () -> assertFalse(d.lost()));
        }

        @Test
        void aCreatedDisputeWhoseStatusSaysLostIsNotLostUntilClosed() {
            var d = (ProviderEvent.Dispute) parse(dispute("charge.dispute.created", "lost", "11000"));

            assertFalse(d.lost());
        }
    }

    @Nested
    class OtherTypes {
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"customer.created", "charge.succeeded", "payment_intent.payment_failed",
                "charge.dispute.updated"})
        void anUnknownTypeIsIgnoredWithItsType(String type) {
            ProviderEvent event = parse(event(type, "{\"id\": \"obj_1\"}"));

            assertEquals(new ProviderEvent.Ignored("stripe", "evt_1", type), event);
        }

        @Test
        void anIgnoredTypeNeedsNoAmountOrCurrency() {
            assertInstanceOf(ProviderEvent.Ignored.class, parse(event("invoice.paid", "{}")));
        }
    }

    @Nested
    class Malformed {
        @Test
        void anEventWithoutIdIs400() {
            assertMalformed(problem(() -> parse("""
                    {"type": "payment_intent.succeeded", "data": {"object": {}}}""")));
        }

        @Test
        void anEventWithoutTypeIs400() {
            assertMalformed(problem(() -> parse("""
                    {"id": "evt_1", "data": {"object": {}}}""")));
        }

        @Test
        void anEventWithABlankIdIs400() {
            assertMalformed(problem(() -> parse("""
                    {"id": " ", "type": "customer.created", "data": {"object": {}}}""")));
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"not json", "{\"id\": \"evt_1\",", "", "[]", "\"evt_1\"", "null"})
        void aBodyThatIsNotAJsonObjectIs400(String body) {
            assertMalformed(problem(() -> parse(body)));
        }

        @ParameterizedTest(name = "amount_received {0}")
        @ValueSource(strings = {"-1", "110.5", "11000.0", "1.1e4", "\"11000\"", "null", "true"})
        void anAmountThatIsNotANonNegativeIntegerIs400(String amount) {
            assertMalformed(problem(() -> parse(paymentIntent(amount))));
        }

        @Test
        void anAmountBeyondTheRangeOfALongIs400RatherThanWrappingAround() {
            // 2^64 + 5: taken modulo 2^64 it would read as a payment of 5
            assertMalformed(problem(() -> parse(paymentIntent("18446744073709551621"))));
        }

        @Test
        void aMissingAmountReceivedIs400() {
            assertMalformed(problem(() -> parse(event("payment_intent.succeeded", """
                    {"id": "pi_1", "currency": "usd", "created": 1795338000}"""))));
        }

        @ParameterizedTest(name = "amount_refunded {0}")
        @ValueSource(strings = {"-3000", "30.5"})
        void aNegativeOrFractionalAmountRefundedIs400(String amount) {
            assertMalformed(problem(() -> parse(chargeRefunded("\"pi_1\"", amount))));
        }

        @ParameterizedTest(name = "dispute amount {0}")
        @ValueSource(strings = {"-11000", "110.00"})
        void aNegativeOrFractionalDisputeAmountIs400(String amount) {
            assertMalformed(problem(() -> parse(dispute("charge.dispute.created", "needs_response", amount))));
        }

        @Test
        void aPaymentWithoutCurrencyIs400() {
            assertMalformed(problem(() -> parse(event("payment_intent.succeeded", """
                    {"id": "pi_1", "amount_received": 100, "created": 1795338000}"""))));
        }

        @Test
        void aPaymentWithoutObjectIdIs400() {
            assertMalformed(problem(() -> parse(event("payment_intent.succeeded", """
                    {"amount_received": 100, "currency": "usd", "created": 1795338000}"""))));
        }
    }
}
