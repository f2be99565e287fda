package dev.invoiceloyalty.payments;

import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Fixtures;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.payments.PaymentApplication.DisputeOutcome;
import dev.invoiceloyalty.payments.PaymentApplication.PaymentOutcome;
import dev.invoiceloyalty.payments.PaymentApplication.RefundOutcome;
import dev.invoiceloyalty.payments.PaymentApplication.Unapplied;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;

import static dev.invoiceloyalty.domain.Fixtures.invoice;
import static dev.invoiceloyalty.payments.StripeEventsTest.sampleBody;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaymentApplicationTest {
    /** When the function runs; provider times are earlier, so a test can tell the two apart. */
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    // --- fixtures: Fixtures.invoice(...) is 100.00 USD "inv-1" in UTC ---

    private static ProviderEvent.PaymentSucceeded payment(String paymentId, long amount, String at) {
        return new ProviderEvent.PaymentSucceeded("stripe", "evt_" + paymentId, paymentId, amount, "USD", "inv-1",
                Instant.parse(at));
    }

    private static PaymentOutcome pay(Invoice inv, ProviderEvent.PaymentSucceeded p) {
        return PaymentApplication.applyPayment(inv, true, p, List.of(), NOW);
    }

    private static ProviderEvent.Refund cumulativeRefund(String chargeId, long totalRefunded) {
        return new ProviderEvent.Refund("stripe", "evt_" + chargeId + "_" + totalRefunded, chargeId, "pi_1",
                totalRefunded, true, "USD", "inv-1", Instant.parse("2026-11-21T12:00:00Z"));
    }

    private static ProviderEvent.Refund singleRefund(String refundId, long amount) {
        return new ProviderEvent.Refund("square", "ev_" + refundId, refundId, "pay-1", amount, false, "USD", null,
                Instant.parse("2026-11-21T12:00:00Z"));
    }

    private static ProviderEvent.Dispute dispute(String disputeId, String status, boolean closed, String at) {
        return new ProviderEvent.Dispute("stripe", "evt_" + disputeId + "_" + status, disputeId, "pi_1", 10_000,
                status, closed, "inv-1", Instant.parse(at));
    }

    /** An OPEN invoice of {@code total} minor units, in {@code timeZone}, with optional cash discount terms. */
    private static Invoice openInvoice(String invoiceId, String currency, long total, String timeZone,
                                       Invoice.EarlyPaymentDiscount early) {
        return new Invoice(invoiceId, "INV-2026-000042", "cust-1", currency, InvoiceStatus.OPEN, "2026-11-01",
                "2026-12-01", List.of(new Invoice.LineItem("Consulting", "1", total, "0", total, 0)), total, 0,
                List.of(), total, 0, total, 0, List.of(), List.of(), List.of(), false, Escalation.NONE, null, early,
                null, null, null, Fixtures.AT, Fixtures.AT, null, timeZone, 0, 0, List.of());
    }

    /** 100.00 USD, 2 % off when at least 98.00 is paid by {@code payBy} (a date in {@code timeZone}). */
    private static Invoice cashDiscountInvoice(String timeZone, String payBy) {
        return openInvoice("inv-1", "USD", 10_000, timeZone,
                new Invoice.EarlyPaymentDiscount("2", 14, payBy, 200, 9_800));
    }

    @Nested
    class Payments {
        @Test
        void aFullPaymentMakesTheInvoicePaidWithNothingDueClosedAtThePaymentTime() {
            PaymentOutcome out = pay(invoice(InvoiceStatus.OPEN), payment("pi_1", 10_000, "2026-11-20T15:30:00Z"));

            Invoice paid = out.invoice();
            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, paid.status()),
                    () -> assertEquals(0, paid.amountDue()),
                    () -> assertEquals(10_000, paid.amountPaid()),
                    () -> assertEquals("2026-11-20T15:30:00Z", paid.closedAt()),
                    () -> assertEquals(NOW.toString(), paid.updatedAt()),
                    () -> assertEquals(List.of(new Invoice.Payment("pi_1", "stripe", 10_000, "2026-11-20T15:30:00Z")),
                            paid.payments()),
                    () -> assertTrue(out.completed()),
                    () -> assertEquals(0, out.overpayment()),
                    () -> assertFalse(out.duplicate()),
                    () -> assertNull(out.unapplied()));
        }

        @Test
        void aPartialPaymentMakesTheInvoicePartiallyPaidWithTheRestDue() {
            PaymentOutcome out = pay(invoice(InvoiceStatus.OPEN), payment("pi_1", 4_000, "2026-11-20T15:30:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PARTIALLY_PAID, out.invoice().status()),
                    () -> assertEquals(4_000, out.invoice().amountPaid()),
                    () -> assertEquals(6_000, out.invoice().amountDue()),
                    () -> assertNull(out.invoice().closedAt()),
                    () -> assertFalse(out.completed()),
                    () -> assertEquals(0, out.overpayment()));
        }

        @Test
        void aSecondPaymentOfTheRestMakesAPartiallyPaidInvoicePaid() {
            Invoice partly = pay(invoice(InvoiceStatus.OPEN), payment("pi_1", 4_000, "2026-11-20T09:00:00Z")).invoice();

            PaymentOutcome out = pay(partly, payment("pi_2", 6_000, "2026-11-21T09:00:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals(10_000, out.invoice().amountPaid()),
                    () -> assertEquals(0, out.invoice().amountDue()),
                    () -> assertEquals(2, out.invoice().payments().size()),
                    () -> assertTrue(out.completed()));
        }

        @Test
        void twoPaymentsArrivingOutOfOrderCloseTheInvoiceAtTheLaterProviderTime() {
            // GIVEN the later payment (12:00) is delivered first and the earlier one (09:00) completes the invoice
            Invoice partly = pay(invoice(InvoiceStatus.OPEN), payment("pi_late", 4_000, "2026-11-20T12:00:00Z")).invoice();

            PaymentOutcome out = pay(partly, payment("pi_early", 6_000, "2026-11-20T09:00:00Z"));

            // THEN it was paid in full at 12:00, not at the time of the event that arrived last
            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals("2026-11-20T12:00:00Z", out.invoice().closedAt()));
        }

        @Test
        void twoPaymentsInTheSameSecondCloseTheInvoiceAtTheLaterOneEvenWhenOnlyItHasAFraction() {
            // GIVEN payments at 09:00:00.250 and 09:00:00 (Instant.toString drops a zero fraction)
            Invoice partly = pay(invoice(InvoiceStatus.OPEN), payment("pi_1", 4_000, "2026-11-20T09:00:00.250Z")).invoice();

            PaymentOutcome out = pay(partly, payment("pi_2", 6_000, "2026-11-20T09:00:00Z"));

            assertEquals("2026-11-20T09:00:00.250Z", out.invoice().closedAt());
        }

        @Test
        void aPaymentAboveTheAmountDueIsOverpaymentTurnedIntoCredit() {
            Invoice partly = pay(invoice(InvoiceStatus.OPEN), payment("pi_1", 4_000, "2026-11-20T09:00:00Z")).invoice();

            PaymentOutcome out = pay(partly, payment("pi_2", 7_500, "2026-11-21T09:00:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals(1_500, out.overpayment()),
                    () -> assertEquals(1_500, out.invoice().amountCredited()),
                    () -> assertEquals(11_500, out.invoice().amountPaid()),
                    () -> assertEquals(0, out.invoice().amountDue()),
                    () -> assertTrue(out.completed()));
        }

        @Test
        void aPaymentOnAPaidInvoiceIsOverpaymentInFullAndTheInvoiceStaysPaid() {
            Invoice paid = invoice(InvoiceStatus.PAID);

            PaymentOutcome out = pay(paid, payment("pi_late", 2_500, "2026-11-21T09:00:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals(2_500, out.overpayment()),
                    () -> assertEquals(2_500, out.invoice().amountCredited()),
                    () -> assertEquals(12_500, out.invoice().amountPaid()),
                    () -> assertEquals(0, out.invoice().amountDue()),
                    () -> assertEquals(paid.closedAt(), out.invoice().closedAt()),
                    () -> assertFalse(out.completed()),
                    () -> assertNull(out.unapplied()));
        }

        @Test
        void theSamePaymentAgainIsADuplicateThatChangesNothing() {
            Invoice paid = pay(invoice(InvoiceStatus.OPEN), payment("pi_1", 10_000, "2026-11-20T09:00:00Z")).invoice();

            PaymentOutcome again = pay(paid, payment("pi_1", 10_000, "2026-11-20T09:00:00Z"));

            assertAll(
                    () -> assertTrue(again.duplicate()),
                    () -> assertSame(paid, again.invoice()),
                    () -> assertEquals(0, again.overpayment()),
                    () -> assertFalse(again.completed()),
                    () -> assertNull(again.unapplied()));
        }

        @Test
        void theSamePaymentIdUnderAnotherEventIdIsStillADuplicate() {
            Invoice partly = pay(invoice(InvoiceStatus.OPEN), payment("pi_1", 4_000, "2026-11-20T09:00:00Z")).invoice();
            var redelivered = new ProviderEvent.PaymentSucceeded("stripe", "evt_other", "pi_1", 4_000, "USD", "inv-1",
                    Instant.parse("2026-11-20T09:00:00Z"));

            PaymentOutcome again = pay(partly, redelivered);

            assertAll(
                    () -> assertTrue(again.duplicate()),
                    () -> assertSame(partly, again.invoice()));
        }

        @Test
        void theSamePaymentIdFromAnotherProviderIsAnotherPayment() {
            Invoice partly = pay(invoice(InvoiceStatus.OPEN), payment("p-1", 4_000, "2026-11-20T09:00:00Z")).invoice();
            var square = new ProviderEvent.PaymentSucceeded("square", "ev-1", "p-1", 6_000, "USD", "inv-1",
                    Instant.parse("2026-11-21T09:00:00Z"));

            PaymentOutcome out = pay(partly, square);

            assertAll(
                    () -> assertFalse(out.duplicate()),
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()));
        }
    }

    @Nested
    class UnappliedPayments {
        @Test
        void aPaymentNamingAnInvoiceThatDoesNotExistIsUnknownInvoice() {
            PaymentOutcome out = PaymentApplication.applyPayment(null, true,
                    payment("pi_1", 10_000, "2026-11-20T09:00:00Z"), List.of(), NOW);

            assertAll(
                    () -> assertEquals(Unapplied.UNKNOWN_INVOICE, out.unapplied()),
                    () -> assertNull(out.invoice()),
                    () -> assertFalse(out.completed()));
        }

        @Test
        void aPaymentNamingNoInvoiceIsNoInvoice() {
            PaymentOutcome out = PaymentApplication.applyPayment(null, false,
                    payment("pi_1", 10_000, "2026-11-20T09:00:00Z"), List.of(), NOW);

            assertAll(
                    () -> assertEquals(Unapplied.NO_INVOICE, out.unapplied()),
                    () -> assertNull(out.invoice()));
        }

        @Test
        void aPaymentInAnotherCurrencyIsACurrencyMismatch() {
            var eur = new ProviderEvent.PaymentSucceeded("stripe", "evt_1", "pi_1", 10_000, "EUR", "inv-1",
                    Instant.parse("2026-11-20T09:00:00Z"));

            PaymentOutcome out = pay(invoice(InvoiceStatus.OPEN), eur);

            assertAll(
                    () -> assertEquals(Unapplied.CURRENCY_MISMATCH, out.unapplied()),
                    () -> assertNull(out.invoice()),
                    () -> assertFalse(out.completed()));
        }

        @Test
        void aPaymentOnAVoidInvoiceIsUnapplied() {
            PaymentOutcome out = pay(invoice(InvoiceStatus.VOID), payment("pi_1", 10_000, "2026-11-20T09:00:00Z"));

            assertAll(
                    () -> assertEquals(Unapplied.INVOICE_VOID, out.unapplied()),
                    () -> assertNull(out.invoice()));
        }
    }

    @Nested
    class Uncollectible {
        @Test
        void aFullPaymentOfAnUncollectibleInvoiceMakesItPaid() {
            PaymentOutcome out = pay(invoice(InvoiceStatus.UNCOLLECTIBLE),
                    payment("pi_1", 10_000, "2026-11-20T09:00:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals(0, out.invoice().amountDue()),
                    () -> assertEquals("2026-11-20T09:00:00Z", out.invoice().closedAt()),
                    () -> assertTrue(out.completed()));
        }

        @Test
        void aPartialPaymentOfAnUncollectibleInvoiceLeavesItUncollectible() {
            PaymentOutcome out = pay(invoice(InvoiceStatus.UNCOLLECTIBLE),
                    payment("pi_1", 4_000, "2026-11-20T09:00:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.UNCOLLECTIBLE, out.invoice().status()),
                    () -> assertEquals(4_000, out.invoice().amountPaid()),
                    () -> assertEquals(6_000, out.invoice().amountDue()),
                    () -> assertFalse(out.completed()));
        }
    }

    /** Cash discount: the window's last day is a date in the invoice's time zone, not in UTC. */
    @Nested
    class CashDiscount {
        @Test
        void theMinimumPaidOnTheLastDayInAucklandSettlesInFullThoughUtcIsStillThatDay() {
            // GIVEN pay by 2026-11-15 in Auckland (UTC+13); 10:30Z is 23:30 on the 15th there
            Invoice inv = cashDiscountInvoice("Pacific/Auckland", "2026-11-15");

            PaymentOutcome out = pay(inv, payment("pi_1", 9_800, "2026-11-15T10:30:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals(200, out.invoice().cashDiscountTaken()),
                    () -> assertEquals(0, out.invoice().amountDue()),
                    () -> assertEquals(0, out.overpayment()),
                    () -> assertTrue(out.completed()));
        }

        @Test
        void theMinimumPaidAfterMidnightInAucklandIsLateThoughUtcIsStillTheLastDay() {
            // GIVEN 11:30Z on the 15th is 00:30 on the 16th in Auckland: one day after the window
            Invoice inv = cashDiscountInvoice("Pacific/Auckland", "2026-11-15");

            PaymentOutcome out = pay(inv, payment("pi_1", 9_800, "2026-11-15T11:30:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PARTIALLY_PAID, out.invoice().status()),
                    () -> assertEquals(0, out.invoice().cashDiscountTaken()),
                    () -> assertEquals(200, out.invoice().amountDue()),
                    () -> assertFalse(out.completed()));
        }

        @Test
        void theMinimumPaidOnTheLastDayInLosAngelesSettlesInFullThoughUtcIsTheNextDay() {
            // GIVEN pay by 2026-11-15 in Los Angeles (UTC-8); 07:30Z on the 16th is 23:30 on the 15th there
            Invoice inv = cashDiscountInvoice("America/Los_Angeles", "2026-11-15");

            PaymentOutcome out = pay(inv, payment("pi_1", 9_800, "2026-11-16T07:30:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals(200, out.invoice().cashDiscountTaken()),
                    () -> assertEquals(0, out.invoice().amountDue()));
        }

        @Test
        void theMinimumPaidOneDayAfterTheWindowInLosAngelesLeavesTheInvoicePartiallyPaid() {
            Invoice inv = cashDiscountInvoice("America/Los_Angeles", "2026-11-15");

            PaymentOutcome out = pay(inv, payment("pi_1", 9_800, "2026-11-17T07:30:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PARTIALLY_PAID, out.invoice().status()),
                    () -> assertEquals(0, out.invoice().cashDiscountTaken()),
                    () -> assertEquals(200, out.invoice().amountDue()));
        }

        @Test
        void paidBetweenTheMinimumAndTheTotalTheDiscountTakenIsTotalMinusPaid() {
            Invoice inv = cashDiscountInvoice("America/Los_Angeles", "2026-11-15");

            PaymentOutcome out = pay(inv, payment("pi_1", 9_900, "2026-11-10T18:00:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals(100, out.invoice().cashDiscountTaken()));
        }

        @Test
        void lessThanTheMinimumInTheWindowIsAPartialPayment() {
            Invoice inv = cashDiscountInvoice("America/Los_Angeles", "2026-11-15");

            PaymentOutcome out = pay(inv, payment("pi_1", 9_799, "2026-11-10T18:00:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PARTIALLY_PAID, out.invoice().status()),
                    () -> assertEquals(201, out.invoice().amountDue()),
                    () -> assertEquals(0, out.invoice().cashDiscountTaken()));
        }

        @Test
        void twoPaymentsInTheWindowReachingTheMinimumTogetherSettleInFull() {
            Invoice inv = cashDiscountInvoice("America/Los_Angeles", "2026-11-15");
            Invoice partly = pay(inv, payment("pi_1", 5_000, "2026-11-10T18:00:00Z")).invoice();

            PaymentOutcome out = pay(partly, payment("pi_2", 4_800, "2026-11-12T18:00:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals(200, out.invoice().cashDiscountTaken()),
                    () -> assertEquals("2026-11-12T18:00:00Z", out.invoice().closedAt()));
        }

        @Test
        void theFullTotalInTheWindowTakesNoDiscount() {
            Invoice inv = cashDiscountInvoice("America/Los_Angeles", "2026-11-15");

            PaymentOutcome out = pay(inv, payment("pi_1", 10_000, "2026-11-10T18:00:00Z"));

            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals(0, out.invoice().cashDiscountTaken()),
                    () -> assertEquals(0, out.overpayment()));
        }
    }

    /** A refund that arrived before its payment is held and applied when the payment arrives. */
    @Nested
    class HeldRefunds {
        @Test
        void aHeldCumulativeRefundIsAppliedWithThePayment() {
            var held = List.of(new HeldRefund("ch_1", 3_000, true, "2026-11-20T08:00:00Z"));

            PaymentOutcome out = PaymentApplication.applyPayment(invoice(InvoiceStatus.OPEN), true,
                    payment("pi_1", 10_000, "2026-11-20T07:00:00Z"), held, NOW);

            assertAll(
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertTrue(out.completed()),
                    () -> assertEquals(3_000, out.invoice().amountRefunded()),
                    () -> assertEquals(List.of(new Invoice.Refund("ch_1#3000", 3_000, "2026-11-20T08:00:00Z")),
                            out.invoice().refunds()));
        }

        @Test
        void everyHeldRefundIsAppliedOnceAndTheStatusIsThePaymentsOwn() {
            var held = List.of(
                    new HeldRefund("rf_1", 1_000, false, "2026-11-20T08:00:00Z"),
                    new HeldRefund("rf_2", 2_000, false, "2026-11-20T08:30:00Z"));

            PaymentOutcome out = PaymentApplication.applyPayment(invoice(InvoiceStatus.OPEN), true,
                    payment("pi_1", 4_000, "2026-11-20T07:00:00Z"), held, NOW);

            assertAll(
                    () -> assertEquals(InvoiceStatus.PARTIALLY_PAID, out.invoice().status()),
                    () -> assertEquals(4_000, out.invoice().amountPaid()),
                    () -> assertEquals(6_000, out.invoice().amountDue()),
                    () -> assertEquals(3_000, out.invoice().amountRefunded()),
                    () -> assertEquals(List.of("rf_1", "rf_2"),
                            out.invoice().refunds().stream().map(Invoice.Refund::refundId).toList()));
        }
    }

    @Nested
    class Refunds {
        private final Invoice paid = invoice(InvoiceStatus.PAID);

        @Test
        void cumulativeTotalsRefundOnlyTheIncrease() {
            RefundOutcome first = PaymentApplication.applyRefund(paid, cumulativeRefund("ch_1", 3_000), NOW);
            RefundOutcome second = PaymentApplication.applyRefund(first.invoice(), cumulativeRefund("ch_1", 5_000), NOW);

            assertAll(
                    () -> assertEquals(3_000, first.delta()),
                    () -> assertEquals(2_000, second.delta()),
                    () -> assertEquals(5_000, second.invoice().amountRefunded()),
                    () -> assertEquals("ch_1#3000", first.refundId()),
                    () -> assertEquals("ch_1#5000", second.refundId()),
                    () -> assertEquals(NOW.toString(), second.invoice().updatedAt()));
        }

        @Test
        void anOlderSmallerCumulativeTotalArrivingLateRefundsNothing() {
            Invoice afterFive = PaymentApplication.applyRefund(paid, cumulativeRefund("ch_1", 5_000), NOW).invoice();

            RefundOutcome late = PaymentApplication.applyRefund(afterFive, cumulativeRefund("ch_1", 3_000), NOW);

            assertAll(
                    () -> assertEquals(0, late.delta()),
                    () -> assertSame(afterFive, late.invoice()),
                    () -> assertEquals(5_000, late.invoice().amountRefunded()));
        }

        @Test
        void theSameCumulativeTotalRedeliveredRefundsNothing() {
            Invoice once = PaymentApplication.applyRefund(paid, cumulativeRefund("ch_1", 3_000), NOW).invoice();

            RefundOutcome again = PaymentApplication.applyRefund(once, cumulativeRefund("ch_1", 3_000), NOW);

            assertAll(
                    () -> assertEquals(0, again.delta()),
                    () -> assertSame(once, again.invoice()));
        }

        @Test
        void cumulativeTotalsOfTwoChargesAreCountedApart() {
            Invoice once = PaymentApplication.applyRefund(paid, cumulativeRefund("ch_1", 3_000), NOW).invoice();

            RefundOutcome other = PaymentApplication.applyRefund(once, cumulativeRefund("ch_2", 2_000), NOW);

            assertAll(
                    () -> assertEquals(2_000, other.delta()),
                    () -> assertEquals(5_000, other.invoice().amountRefunded()));
        }

        @Test
        void aNonCumulativeRefundIsItsOwnAmountAndItsIdAgainRefundsNothing() {
            RefundOutcome first = PaymentApplication.applyRefund(paid, singleRefund("rf_1", 3_000), NOW);
            RefundOutcome again = PaymentApplication.applyRefund(first.invoice(), singleRefund("rf_1", 3_000), NOW);
            RefundOutcome second = PaymentApplication.applyRefund(again.invoice(), singleRefund("rf_2", 2_000), NOW);

            assertAll(
                    () -> assertEquals(3_000, first.delta()),
                    () -> assertEquals("rf_1", first.refundId()),
                    () -> assertEquals(0, again.delta()),
                    () -> assertSame(first.invoice(), again.invoice()),
                    () -> assertEquals(2_000, second.delta()),
                    () -> assertEquals(5_000, second.invoice().amountRefunded()));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(InvoiceStatus.class)
        void aRefundNeverChangesTheStatusOrTheAmountDue(InvoiceStatus status) {
            Invoice inv = invoice(status);

            RefundOutcome out = PaymentApplication.applyRefund(inv, cumulativeRefund("ch_1", 3_000), NOW);

            assertAll(
                    () -> assertEquals(3_000, out.delta()),
                    () -> assertEquals(status, out.invoice().status()),
                    () -> assertEquals(inv.amountDue(), out.invoice().amountDue()),
                    () -> assertEquals(inv.amountPaid(), out.invoice().amountPaid()),
                    () -> assertEquals(inv.closedAt(), out.invoice().closedAt()));
        }
    }

    @Nested
    class Disputes {
        private final Invoice paid = invoice(InvoiceStatus.PAID);

        private DisputeOutcome apply(Invoice inv, ProviderEvent.Dispute d) {
            return PaymentApplication.applyDispute(inv, d, NOW);
        }

        @Test
        void anOpenedDisputeFlagsTheInvoiceDisputed() {
            DisputeOutcome out = apply(paid, dispute("dp_1", "needs_response", false, "2026-11-21T08:00:00Z"));

            assertAll(
                    () -> assertTrue(out.changed()),
                    () -> assertTrue(out.invoice().disputed()),
                    () -> assertFalse(out.lostNow()),
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals(List.of(new Invoice.Dispute("dp_1", "pi_1", 10_000, "needs_response",
                            "2026-11-21T08:00:00Z", null)), out.invoice().disputes()));
        }

        @Test
        void theSameDisputeOpenedAgainChangesNothing() {
            Invoice open = apply(paid, dispute("dp_1", "needs_response", false, "2026-11-21T08:00:00Z")).invoice();

            DisputeOutcome again = apply(open, dispute("dp_1", "under_review", false, "2026-11-21T09:00:00Z"));

            assertAll(
                    () -> assertFalse(again.changed()),
                    () -> assertFalse(again.lostNow()),
                    () -> assertSame(open, again.invoice()));
        }

        @Test
        void aDisputeClosedLostIsLostNowAndNoLongerDisputed() {
            Invoice open = apply(paid, dispute("dp_1", "needs_response", false, "2026-11-21T08:00:00Z")).invoice();

            DisputeOutcome lost = apply(open, dispute("dp_1", "lost", true, "2026-11-28T08:00:00Z"));

            assertAll(
                    () -> assertTrue(lost.changed()),
                    () -> assertTrue(lost.lostNow()),
                    () -> assertFalse(lost.invoice().disputed()),
                    () -> assertEquals(List.of(new Invoice.Dispute("dp_1", "pi_1", 10_000, "lost",
                            "2026-11-21T08:00:00Z", "2026-11-28T08:00:00Z")), lost.invoice().disputes()));
        }

        @Test
        void aClosedDisputeClosedAgainChangesNothingAndIsNotLostTwice() {
            Invoice open = apply(paid, dispute("dp_1", "needs_response", false, "2026-11-21T08:00:00Z")).invoice();
            Invoice lost = apply(open, dispute("dp_1", "lost", true, "2026-11-28T08:00:00Z")).invoice();

            DisputeOutcome again = apply(lost, dispute("dp_1", "lost", true, "2026-11-28T08:00:00Z"));

            assertAll(
                    () -> assertFalse(again.changed()),
                    () -> assertFalse(again.lostNow()),
                    () -> assertSame(lost, again.invoice()));
        }

        @Test
        void aDisputeClosedWonIsNotLostAndNoLongerDisputed() {
            Invoice open = apply(paid, dispute("dp_1", "needs_response", false, "2026-11-21T08:00:00Z")).invoice();

            DisputeOutcome won = apply(open, dispute("dp_1", "won", true, "2026-11-28T08:00:00Z"));

            assertAll(
                    () -> assertTrue(won.changed()),
                    () -> assertFalse(won.lostNow()),
                    () -> assertFalse(won.invoice().disputed()));
        }

        @Test
        void aCloseArrivingBeforeItsOpenIsLostOnceAndTheLateOpenChangesNothing() {
            DisputeOutcome lost = apply(paid, dispute("dp_1", "lost", true, "2026-11-28T08:00:00Z"));
            DisputeOutcome lateOpen = apply(lost.invoice(), dispute("dp_1", "needs_response", false,
                    "2026-11-21T08:00:00Z"));

            assertAll(
                    () -> assertTrue(lost.lostNow()),
                    () -> assertFalse(lost.invoice().disputed()),
                    () -> assertFalse(lateOpen.changed()),
                    () -> assertFalse(lateOpen.invoice().disputed()));
        }

        @Test
        void closingOneOfTwoOpenDisputesLeavesTheInvoiceDisputed() {
            Invoice one = apply(paid, dispute("dp_1", "needs_response", false, "2026-11-21T08:00:00Z")).invoice();
            Invoice two = apply(one, dispute("dp_2", "needs_response", false, "2026-11-21T09:00:00Z")).invoice();

            DisputeOutcome out = apply(two, dispute("dp_1", "won", true, "2026-11-28T08:00:00Z"));

            assertTrue(out.invoice().disputed());
        }
    }

    /** PaymentsQueue messages: the id is stable per fact so consumers dedupe redeliveries by it. */
    @Nested
    class Messages {
        private final Invoice paid = pay(invoice(InvoiceStatus.OPEN), payment("pi_1", 10_000, "2026-11-20T09:00:00Z"))
                .invoice();

        @Test
        void paymentRecordedHasTheSameIdEachTimeTheInvoiceIsPaidAgainByARedelivery() {
            Invoice paidAgain = pay(invoice(InvoiceStatus.OPEN), payment("pi_1", 10_000, "2026-11-20T09:00:00Z"))
                    .invoice();

            PaymentMessage first = PaymentMessage.paymentRecorded(paid);
            PaymentMessage second = PaymentMessage.paymentRecorded(paidAgain);

            assertAll(
                    () -> assertEquals(first.messageId(), second.messageId()),
                    () -> assertEquals(first, second),
                    () -> assertEquals(PaymentMessage.PAYMENT_RECORDED, first.type()),
                    () -> assertEquals("2026-11-20T09:00:00Z", first.paidAt()),
                    () -> assertEquals("inv-1", first.invoiceId()),
                    () -> assertEquals(10_000, first.total()));
        }

        @Test
        void refundRecordedIsStablePerRefundAndDiffersBetweenRefunds() {
            RefundOutcome three = PaymentApplication.applyRefund(paid, cumulativeRefund("ch_1", 3_000), NOW);
            RefundOutcome five = PaymentApplication.applyRefund(three.invoice(), cumulativeRefund("ch_1", 5_000), NOW);
            String at = "2026-11-21T12:00:00Z";

            PaymentMessage m3 = PaymentMessage.refundRecorded(paid, three.refundId(), three.delta(), at);
            PaymentMessage m3again = PaymentMessage.refundRecorded(three.invoice(), three.refundId(), three.delta(), at);
            PaymentMessage m5 = PaymentMessage.refundRecorded(five.invoice(), five.refundId(), five.delta(), at);

            assertAll(
                    () -> assertEquals(m3.messageId(), m3again.messageId()),
                    () -> assertNotEquals(m3.messageId(), m5.messageId()),
                    () -> assertEquals(PaymentMessage.REFUND_RECORDED, m5.type()),
                    () -> assertEquals(2_000, m5.amount()),
                    () -> assertEquals("ch_1#5000", m5.reference()),
                    () -> assertEquals(paid.closedAt(), m5.paidAt()));
        }

        @Test
        void disputeLostIsStablePerDisputeAndDiffersBetweenDisputes() {
            PaymentMessage first = PaymentMessage.disputeLost(paid, "dp_1", 10_000, "2026-11-28T08:00:00Z");
            PaymentMessage again = PaymentMessage.disputeLost(paid, "dp_1", 10_000, "2026-11-28T08:00:00Z");
            PaymentMessage other = PaymentMessage.disputeLost(paid, "dp_2", 10_000, "2026-11-28T08:00:00Z");

            assertAll(
                    () -> assertEquals(first.messageId(), again.messageId()),
                    () -> assertNotEquals(first.messageId(), other.messageId()),
                    () -> assertEquals(PaymentMessage.DISPUTE_LOST, first.type()),
                    () -> assertEquals("dp_1", first.reference()));
        }

        @Test
        void factsOfDifferentKindsOrInvoicesNeverShareAnId() {
            Invoice otherInvoice = pay(openInvoice("inv-2", "USD", 10_000, "UTC", null),
                    payment("pi_9", 10_000, "2026-11-20T09:00:00Z")).invoice();

            List<String> ids = List.of(
                    PaymentMessage.paymentRecorded(paid).messageId(),
                    PaymentMessage.refundRecorded(paid, "x", 1, "2026-11-21T12:00:00Z").messageId(),
                    PaymentMessage.disputeLost(paid, "x", 1, "2026-11-21T12:00:00Z").messageId(),
                    PaymentMessage.paymentRecorded(otherInvoice).messageId(),
                    PaymentMessage.refundRecorded(otherInvoice, "x", 1, "2026-11-21T12:00:00Z").messageId());

            assertEquals(ids.size(), ids.stream().distinct().count(), ids.toString());
        }
    }

    /** The sample provider events of {@code events/payment-webhook/} applied to the invoice they name. */
    @Nested
    class SampleEvents {
        private final Invoice sample = openInvoice("inv_sample", "EUR", 11_000, "Europe/Berlin", null);

        @Test
        void theStripeSamplesPayRefundAndLoseADisputeOnTheirInvoice() {
            var payment = (ProviderEvent.PaymentSucceeded) StripeEvents.parse(
                    sampleBody("stripe-payment-intent-succeeded.json"));
            var refund = (ProviderEvent.Refund) StripeEvents.parse(sampleBody("stripe-charge-refunded.json"));
            var opened = (ProviderEvent.Dispute) StripeEvents.parse(sampleBody("stripe-charge-dispute-created.json"));
            var lost = (ProviderEvent.Dispute) StripeEvents.parse(sampleBody("stripe-charge-dispute-closed-lost.json"));

            PaymentOutcome paid = PaymentApplication.applyPayment(sample, payment.invoiceId() != null, payment,
                    List.of(), NOW);
            RefundOutcome refunded = PaymentApplication.applyRefund(paid.invoice(), refund, NOW);
            DisputeOutcome disputed = PaymentApplication.applyDispute(refunded.invoice(), opened, NOW);
            DisputeOutcome closed = PaymentApplication.applyDispute(disputed.invoice(), lost, NOW);

            assertAll(
                    () -> assertTrue(paid.completed()),
                    () -> assertEquals("2026-11-22T09:00:00Z", paid.invoice().closedAt()),
                    () -> assertEquals(3_000, refunded.delta()),
                    () -> assertTrue(disputed.invoice().disputed()),
                    () -> assertTrue(closed.lostNow()),
                    () -> assertFalse(closed.invoice().disputed()),
                    () -> assertEquals(InvoiceStatus.PAID, closed.invoice().status()));
        }

        @Test
        void theSquareRefundHeldBeforeItsPaymentIsAppliedWhenTheSquarePaymentArrives() {
            var refund = (ProviderEvent.Refund) SquareEvents.parse(sampleBody("square-refund-updated.json"));
            var payment = (ProviderEvent.PaymentSucceeded) SquareEvents.parse(sampleBody("square-payment-updated.json"));
            var held = List.of(new HeldRefund(refund.refundId(), refund.amount(), refund.cumulative(),
                    refund.occurredAt().toString()));

            PaymentOutcome out = PaymentApplication.applyPayment(sample, true, payment, held, NOW);

            assertAll(
                    () -> assertEquals(refund.paymentId(), payment.paymentId()),
                    () -> assertEquals(InvoiceStatus.PAID, out.invoice().status()),
                    () -> assertEquals("2026-11-22T09:00:00.388Z", out.invoice().closedAt()),
                    () -> assertEquals(3_000, out.invoice().amountRefunded()));
        }
    }
}
