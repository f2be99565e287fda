package dev.invoiceloyalty.payments;

import dev.invoiceloyalty.domain.ProblemException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static dev.invoiceloyalty.domain.Fixtures.problem;
import static dev.invoiceloyalty.payments.StripeEventsTest.sampleBody;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class SquareEventsTest {
    private static ProviderEvent parse(String body) {
        return SquareEvents.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    /** A Square notification of {@code type} whose {@code data.object} holds {@code key}: {@code object}. */
    private static String notification(String type, String key, String object) {
        return """
                {"merchant_id": "M1", "type": "%s", "event_id": "ev-1", "created_at": "2026-11-22T09:00:05Z",
                 "data": {"type": "%s", "id": "obj-1", "object": {"%s": %s}}}""".formatted(type, key, key, object);
    }

    private static String payment(String status, String amount, String currency) {
        return notification("payment.updated", "payment", """
                {"id": "pay-1", "status": "%s", "amount_money": {"amount": %s, "currency": "%s"},
                 "reference_id": "inv-1", "created_at": "2026-11-22T08:59:58Z", "updated_at": "2026-11-22T09:00:01Z"}"""
                .formatted(status, amount, currency));
    }

    private static String refund(String status, String amount) {
        return notification("refund.updated", "refund", """
                {"id": "rf-1", "payment_id": "pay-1", "status": "%s", "amount_money": {"amount": %s, "currency": "EUR"},
                 "created_at": "2026-11-22T08:59:59Z", "updated_at": "2026-11-22T09:00:02Z"}"""
                .formatted(status, amount));
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
        void aCompletedPaymentUpdatedIsAPaymentForItsReferenceIdAtItsUpdatedAt() {
            ProviderEvent event = SquareEvents.parse(sampleBody("square-payment-updated.json"));

            assertEquals(new ProviderEvent.PaymentSucceeded("square", "5f9c7a2e-1d3b-4c8e-9a6f-2b7d0e4c1a93",
                    "R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY", 11000, "EUR", "inv_sample",
                    Instant.parse("2026-11-22T09:00:00.388Z")), event);
        }

        @Test
        void aCompletedRefundUpdatedIsANonCumulativeRefundOfItsPaymentAtItsUpdatedAt() {
            ProviderEvent event = SquareEvents.parse(sampleBody("square-refund-updated.json"));

            assertEquals(new ProviderEvent.Refund("square", "b0e4d6a1-7c2f-4e95-8d3a-6f1c9b2e7a04",
                    "R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY_Sample0Refund0001", "R2B3Z8WMVt3EAmzYWLZvz7Y69EbZY", 3000, false,
                    "EUR", null, Instant.parse("2026-11-22T09:00:00.701Z")), event);
        }
    }

    @Nested
    class Payments {
        @Test
        void aCompletedPaymentIsAPaymentSucceeded() {
            var p = (ProviderEvent.PaymentSucceeded) parse(payment("COMPLETED", "2500", "EUR"));

            assertAll(
                    () -> assertEquals("square", p.provider()),
                    () -> assertEquals("ev-1", p.eventId()),
                    () -> assertEquals("pay-1", p.paymentId()),
                    () -> assertEquals(2500, p.amount()),
                    () -> assertEquals("EUR", p.currency()),
                    () -> assertEquals("inv-1", p.invoiceId()));
        }

        @Test
        void theTimeIsThePaymentsUpdatedAtNotItsCreatedAtNorTheNotifications() {
            var p = (ProviderEvent.PaymentSucceeded) parse(payment("COMPLETED", "2500", "EUR"));

            assertEquals(Instant.parse("2026-11-22T09:00:01Z"), p.occurredAt());
        }

        @Test
        void withoutUpdatedAtTheTimeIsThePaymentsCreatedAt() {
            var p = (ProviderEvent.PaymentSucceeded) parse(notification("payment.updated", "payment", """
                    {"id": "pay-1", "status": "COMPLETED", "amount_money": {"amount": 100, "currency": "EUR"},
                     "created_at": "2026-11-22T08:59:58Z"}"""));

            assertEquals(Instant.parse("2026-11-22T08:59:58Z"), p.occurredAt());
        }

        @Test
        void aLowerCaseCurrencyIsUpperCased() {
            var p = (ProviderEvent.PaymentSucceeded) parse(payment("COMPLETED", "2500", "eur"));

            assertEquals("EUR", p.currency());
        }

        @Test
        void withoutReferenceIdThereIsNoInvoice() {
            var p = (ProviderEvent.PaymentSucceeded) parse(notification("payment.updated", "payment", """
                    {"id": "pay-1", "status": "COMPLETED", "amount_money": {"amount": 100, "currency": "EUR"},
                     "updated_at": "2026-11-22T09:00:01Z"}"""));

            assertNull(p.invoiceId());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"APPROVED", "PENDING", "CANCELED", "FAILED"})
        void aPaymentNotCompletedIsIgnoredWithItsStatus(String status) {
            ProviderEvent event = parse(payment(status, "2500", "EUR"));

            assertEquals(new ProviderEvent.Ignored("square", "ev-1", "payment.updated:" + status), event);
        }
    }

    @Nested
    class Refunds {
        @Test
        void aCompletedRefundIsThisRefundAloneKeyedByItsOwnId() {
            var r = (ProviderEvent.Refund) parse(refund("COMPLETED", "3000"));

            assertAll(
                    () -> assertFalse(r.cumulative()),
                    () -> assertEquals(3000, r.amount()),
                    () -> assertEquals("rf-1", r.refundId()),
                    () -> assertEquals("pay-1", r.paymentId()),
                    () -> assertEquals("EUR", r.currency()),
                    () -> assertNull(r.invoiceId()));
        }

        @Test
        void theTimeIsTheRefundsUpdatedAt() {
            var r = (ProviderEvent.Refund) parse(refund("COMPLETED", "3000"));

            assertEquals(Instant.parse("2026-11-22T09:00:02Z"), r.occurredAt());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"PENDING", "REJECTED", "FAILED"})
        void aRefundNotCompletedIsIgnoredWithItsStatus(String status) {
            ProviderEvent event = parse(refund(status, "3000"));

            assertEquals(new ProviderEvent.Ignored("square", "ev-1", "refund.updated:" + status), event);
        }
    }

    @Nested
    class OtherTypes {
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"invoice.payment_made", "customer.created", "dispute.created"})
        void anUnknownTypeIsIgnoredWithItsType(String type) {
            assertEquals(new ProviderEvent.Ignored("square", "ev-1", type), parse(notification(type, "x", "{}")));
        }
    }

    @Nested
    class Malformed {
        @Test
        void aNotificationWithoutEventIdIs400() {
            assertMalformed(problem(() -> parse("""
                    {"type": "payment.updated", "data": {"object": {}}}""")));
        }

        @Test
        void aNotificationWithoutTypeIs400() {
            assertMalformed(problem(() -> parse("""
                    {"event_id": "ev-1", "data": {"object": {}}}""")));
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"not json", "", "[]"})
        void aBodyThatIsNotAJsonObjectIs400(String body) {
            assertMalformed(problem(() -> parse(body)));
        }

        @ParameterizedTest(name = "amount {0}")
        @ValueSource(strings = {"-1", "25.5", "\"2500\""})
        void aPaymentAmountThatIsNotANonNegativeIntegerIs400(String amount) {
            assertMalformed(problem(() -> parse(payment("COMPLETED", amount, "EUR"))));
        }

        @ParameterizedTest(name = "amount {0}")
        @ValueSource(strings = {"-3000", "30.5"})
        void aRefundAmountThatIsNotANonNegativeIntegerIs400(String amount) {
            assertMalformed(problem(() -> parse(refund("COMPLETED", amount))));
        }

        @Test
        void aCompletedRefundWithoutPaymentIdIs400() {
            assertMalformed(problem(() -> parse(notification("refund.updated", "refund", """
                    {"id": "rf-1", "status": "COMPLETED", "amount_money": {"amount": 100, "currency": "EUR"},
                     "updated_at": "2026-11-22T09:00:02Z"}"""))));
        }

        @Test
        void aCompletedPaymentWithAnUnreadableUpdatedAtIs400() {
            assertMalformed(problem(() -> parse(notification("payment.updated", "payment", """
                    {"id": "pay-1", "status": "COMPLETED", "amount_money": {"amount": 100, "currency": "EUR"},
                     "updated_at": "yesterday"}"""))));
        }

        @Test
        void aCompletedPaymentWithNoTimeAnywhereIs400() {
            assertMalformed(problem(() -> parse("""
                    {"event_id": "ev-1", "type": "payment.updated", "data": {"object": {"payment": {
                      "id": "pay-1", "status": "COMPLETED", "amount_money": {"amount": 100, "currency": "EUR"}}}}}""")));
        }
    }
}
