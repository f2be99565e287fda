package dev.invoiceloyalty.domain;

import dev.invoiceloyalty.domain.InvoiceTransitions.Action;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.LocalDate;

import static dev.invoiceloyalty.domain.Fixtures.invoice;
import static dev.invoiceloyalty.domain.Fixtures.problem;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvoiceTransitionsTest {
    private static final Instant NOW = Instant.parse("2026-11-10T12:00:00Z");
    private static final String ZONE = "Europe/Berlin";

    private static Invoice act(Invoice invoice, Action action) {
        return InvoiceTransitions.apply(invoice, action, null, ZONE, NOW);
    }

    private static void assertInvalidState(ProblemException e) {
        assertAll(
                () -> assertEquals(422, e.status()),
                () -> assertEquals("invalid-state", e.type()));
    }

    @Nested
    class ActionNames {
        @ParameterizedTest(name = "{0}")
        @EnumSource(Action.class)
        void everyActionIsFoundByItsPathSegment(Action action) {
            assertEquals(action, Action.fromPath(action.path()));
        }

        @Test
        void pathSegmentsAreTheSpecNames() {
            assertAll(
                    () -> assertEquals(Action.VOID, Action.fromPath("void")),
                    () -> assertEquals(Action.MARK_UNCOLLECTIBLE, Action.fromPath("mark-uncollectible")),
                    () -> assertEquals(Action.DISPUTE, Action.fromPath("dispute")),
                    () -> assertEquals(Action.RESOLVE_DISPUTE, Action.fromPath("resolve-dispute")),
                    () -> assertEquals(Action.PAUSE_REMINDERS, Action.fromPath("pause-reminders")),
                    () -> assertEquals(Action.RESUME_REMINDERS, Action.fromPath("resume-reminders")));
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"delete", "mark_uncollectible", "", "refund"})
        void unknownPathSegmentIsNoAction(String path) {
            assertNull(Action.fromPath(path));
        }

        @Test
        void nullPathIsNoAction() {
            assertNull(Action.fromPath(null));
        }
    }

    @Nested
    class Voiding {
        @Test
        void openInvoiceWithoutPaymentsBecomesVoidWithNothingDue() {
            Invoice voided = act(invoice(InvoiceStatus.OPEN), Action.VOID);

            assertAll(
                    () -> assertEquals(InvoiceStatus.VOID, voided.status()),
                    () -> assertEquals(0, voided.amountDue()),
                    () -> assertEquals(NOW.toString(), voided.closedAt()),
                    () -> assertEquals(NOW.toString(), voided.updatedAt()));
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = InvoiceStatus.class, names = {"PARTIALLY_PAID", "PAID", "VOID", "UNCOLLECTIBLE"})
        void voidIsRefusedInAnyOtherStatus(InvoiceStatus status) {
            assertInvalidState(problem(() -> act(invoice(status), Action.VOID)));
        }

        @Test
        void voidingTwiceIsRefused() {
            Invoice voided = act(invoice(InvoiceStatus.OPEN), Action.VOID);

            assertInvalidState(problem(() -> act(voided, Action.VOID)));
        }

        @Test
        void openInvoiceWithAPaymentRecordedCannotBeVoided() {
            Invoice paidSomething = invoice(InvoiceStatus.OPEN, 100, false, null);

            ProblemException e = problem(() -> act(paidSomething, Action.VOID));

            assertInvalidState(e);
            assertTrue(e.detail().contains("without payments"), e.detail());
        }

        @Test
        void refusalNamesTheInvoiceAndItsStatus() {
            ProblemException e = problem(() -> act(invoice(InvoiceStatus.PAID), Action.VOID));

            assertTrue(e.detail().contains("inv-1"), e.detail());
            assertTrue(e.detail().contains("PAID"), e.detail());
        }
    }

    @Nested
    class MarkUncollectible {
        @ParameterizedTest(name = "{0}")
        @EnumSource(value = InvoiceStatus.class, names = {"OPEN", "PARTIALLY_PAID"})
        void collectibleInvoiceBecomesUncollectibleKeepingWhatIsDue(InvoiceStatus status) {
            Invoice before = invoice(status);

            Invoice after = act(before, Action.MARK_UNCOLLECTIBLE);

            assertEquals(InvoiceStatus.UNCOLLECTIBLE, after.status());
            assertEquals(before.amountDue(), after.amountDue());
            assertEquals(NOW.toString(), after.closedAt());
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = InvoiceStatus.class, names = {"PAID", "VOID", "UNCOLLECTIBLE"})
        void markUncollectibleIsRefusedOnClosedInvoices(InvoiceStatus status) {
            assertInvalidState(problem(() -> act(invoice(status), Action.MARK_UNCOLLECTIBLE)));
        }
    }

    @Nested
    class Dispute {
        @ParameterizedTest(name = "{0}")
        @EnumSource(value = InvoiceStatus.class, names = {"OPEN", "PARTIALLY_PAID", "PAID", "UNCOLLECTIBLE"})
        void undisputedInvoiceThatIsNotVoidCanBeDisputedKeepingItsStatus(InvoiceStatus status) {
            Invoice after = act(invoice(status), Action.DISPUTE);

            assertTrue(after.disputed());
            assertEquals(status, after.status());
        }

        @Test
        void voidInvoiceCannotBeDisputed() {
            assertInvalidState(problem(() -> act(invoice(InvoiceStatus.VOID), Action.DISPUTE)));
        }

        @Test
        void disputingTwiceIsRefused() {
            Invoice disputed = act(invoice(InvoiceStatus.OPEN), Action.DISPUTE);

            ProblemException e = problem(() -> act(disputed, Action.DISPUTE));

            assertInvalidState(e);
            assertTrue(e.detail().contains("already disputed"), e.detail());
        }

        @Test
        void resolvingClearsTheDisputeKeepingTheStatus() {
            Invoice disputed = invoice(InvoiceStatus.PARTIALLY_PAID, 4_000, true, null);

            Invoice resolved = act(disputed, Action.RESOLVE_DISPUTE);

            assertFalse(resolved.disputed());
            assertEquals(InvoiceStatus.PARTIALLY_PAID, resolved.status());
        }

        @Test
        void resolvingAnUndisputedInvoiceIsRefused() {
            assertInvalidState(problem(() -> act(invoice(InvoiceStatus.OPEN), Action.RESOLVE_DISPUTE)));
        }

        @Test
        void resolvingTwiceIsRefused() {
            Invoice resolved = act(invoice(InvoiceStatus.OPEN, 0, true, null), Action.RESOLVE_DISPUTE);

            assertInvalidState(problem(() -> act(resolved, Action.RESOLVE_DISPUTE)));
        }
    }

    @Nested
    class PauseAndResumeReminders {
        private Invoice pause(Invoice invoice, LocalDate until, String zone, Instant now) {
            return InvoiceTransitions.apply(invoice, Action.PAUSE_REMINDERS, until, zone, now);
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = InvoiceStatus.class, names = {"OPEN", "PARTIALLY_PAID"})
        void collectibleInvoicePausesUntilTheGivenDate(InvoiceStatus status) {
            Invoice paused = pause(invoice(status), LocalDate.of(2026, 12, 1), ZONE, NOW);

            assertEquals("2026-12-01", paused.remindersPausedUntil());
            assertEquals(status, paused.status());
        }

        @ParameterizedTest(name = "{0}")
        @EnumSource(value = InvoiceStatus.class, names = {"PAID", "VOID", "UNCOLLECTIBLE"})
        void pausingIsRefusedOnClosedInvoices(InvoiceStatus status) {
            assertInvalidState(problem(() -> pause(invoice(status), LocalDate.of(2026, 12, 1), ZONE, NOW)));
        }

        @Test
        void pausingWithoutAnUntilDateIsInvalid() {
            ProblemException e = problem(() -> pause(invoice(InvoiceStatus.OPEN), null, ZONE, NOW));

            assertEquals(400, e.status());
            assertEquals("until", e.errors().get(0).field());
        }

        @Test
        void pausingUntilTodayIsInvalid() {
            ProblemException e = problem(() -> pause(invoice(InvoiceStatus.OPEN), LocalDate.of(2026, 11, 10), ZONE, NOW));

            assertEquals(400, e.status());
            assertEquals("until", e.errors().get(0).field());
        }

        @Test
        void pausingUntilAPastDateIsInvalid() {
            ProblemException e = problem(() -> pause(invoice(InvoiceStatus.OPEN), LocalDate.of(2026, 11, 1), ZONE, NOW));

            assertEquals(400, e.status());
        }

        @Test
        void tomorrowInUtcCanAlreadyBeTodayInTheCustomersZone() {
            // 23:30 UTC on the 22nd is already the 23rd in Auckland: until the 23rd is not after today there.
            Instant now = Instant.parse("2026-11-22T23:30:00Z");

            ProblemException e = problem(() ->
                    pause(invoice(InvoiceStatus.OPEN), LocalDate.of(2026, 11, 23), "Pacific/Auckland", now));

            assertEquals(400, e.status());
        }

        @Test
        void todayInUtcCanStillBeTomorrowForACustomerBehindUtc() {
            // 03:00 UTC on the 22nd is still the 21st in Los Angeles: until the 22nd is after today there.
            Instant now = Instant.parse("2026-11-22T03:00:00Z");

            Invoice paused = pause(invoice(InvoiceStatus.OPEN), LocalDate.of(2026, 11, 22), "America/Los_Angeles", now);

            assertEquals("2026-11-22", paused.remindersPausedUntil());
        }

        @Test
        void pausingAgainMovesTheDate() {
            Invoice paused = invoice(InvoiceStatus.OPEN, 0, false, "2026-11-20");

            Invoice repaused = pause(paused, LocalDate.of(2026, 12, 20), ZONE, NOW);

            assertEquals("2026-12-20", repaused.remindersPausedUntil());
        }

        @Test
        void resumingClearsThePause() {
            Invoice paused = invoice(InvoiceStatus.OPEN, 0, false, "2026-12-01");

            Invoice resumed = act(paused, Action.RESUME_REMINDERS);

            assertNull(resumed.remindersPausedUntil());
            assertEquals(InvoiceStatus.OPEN, resumed.status());
        }

        @Test
        void resumingWhenNotPausedIsRefused() {
            assertInvalidState(problem(() -> act(invoice(InvoiceStatus.OPEN), Action.RESUME_REMINDERS)));
        }

        @Test
        void resumingTwiceIsRefused() {
            Invoice resumed = act(invoice(InvoiceStatus.OPEN, 0, false, "2026-12-01"), Action.RESUME_REMINDERS);

            assertInvalidState(problem(() -> act(resumed, Action.RESUME_REMINDERS)));
        }

        @Test
        void untilIsIgnoredByOtherActions() {
            Invoice disputed = InvoiceTransitions.apply(invoice(InvoiceStatus.OPEN), Action.DISPUTE,
                    LocalDate.of(2020, 1, 1), ZONE, NOW);

            assertTrue(disputed.disputed());
            assertNull(disputed.remindersPausedUntil());
        }
    }

    @Test
    void transitionLeavesTheOriginalInvoiceUnchanged() {
        Invoice open = invoice(InvoiceStatus.OPEN);

        act(open, Action.VOID);

        assertEquals(InvoiceStatus.OPEN, open.status());
        assertEquals(10_000, open.amountDue());
    }
}
