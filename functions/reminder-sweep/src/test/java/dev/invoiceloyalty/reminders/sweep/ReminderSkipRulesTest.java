package dev.invoiceloyalty.reminders.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.domain.InvoiceTransitions.Action;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static dev.invoiceloyalty.reminders.sweep.SweepHarness.DUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The skip rules of SPEC §7: {@code PAID}, {@code VOID}, {@code UNCOLLECTIBLE}, disputed and paused invoices leave the
 * sweep index (so the sweep does not even read them); a customer with reminders disabled or on autopay gets no email,
 * and the step is logged as skipped so the ladder moves on; a payment that lands after the index listed the invoice
 * cancels the step's transaction, and the sweep decides again on the invoice as it now is.
 */
class ReminderSkipRulesTest {
    private static final String BERLIN = "Europe/Berlin";

    private static Instant at(LocalDate date) {
        return date.atTime(10, 0).atZone(ZoneId.of(BERLIN)).toInstant();
    }

    private static SweepHarness withInvoice() {
        var h = new SweepHarness();
        h.customer("cus-1", "en", BERLIN);
        h.invoice("inv-1", "cus-1");
        return h;
    }

    /** A harness whose function meets {@code change} just before its first step transaction. */
    private static SweepHarness withChangeBeforeTheStep(java.util.function.Consumer<SweepHarness> change,
                                                        SdkFaults calls) {
        BeforeCall hook = new BeforeCall("TransactWriteItems", 1);
        var h = new SweepHarness(List.of(hook, calls), 0);
        h.customer("cus-1", "en", BERLIN);
        h.invoice("inv-1", "cus-1");
        hook.run(() -> change.accept(h));
        return h;
    }

    private static boolean inIndex(SweepHarness h, String invoiceId) {
        return h.item(Keys.invoicePk(invoiceId), Keys.INVOICE_SK).containsKey(Keys.GSI2_PK);
    }

    @Test
    void GIVEN_a_paid_invoice_WHEN_its_steps_fall_due_THEN_the_sweep_neither_reads_nor_reminds_it() {
        var h = withInvoice();
        h.payInFull("inv-1", at(DUE.minusDays(5)));

        JsonNode preDue = h.sweepOn(DUE.minusDays(3), BERLIN);
        JsonNode overdue = h.sweepOn(DUE.plusDays(30), BERLIN);

        assertEquals(InvoiceStatus.PAID, h.invoice("inv-1").status());
        assertFalse(inIndex(h, "inv-1"));
        assertEquals(0, preDue.path("due").asInt() + overdue.path("due").asInt());
        assertEquals(List.of(), h.emailIds());
        assertEquals(List.of(), h.events());
    }

    @Test
    void GIVEN_a_partially_paid_invoice_WHEN_a_step_falls_due_THEN_it_is_still_reminded() {
        var h = withInvoice();
        h.pay("inv-1", 50_000, at(DUE.minusDays(5)));

        h.sweepOn(DUE, BERLIN);

        assertEquals(InvoiceStatus.PARTIALLY_PAID, h.invoice("inv-1").status());
        assertEquals(List.of("reminder#inv-1#due_today"), h.emailIds());
    }

    @Test
    void GIVEN_a_void_invoice_WHEN_its_steps_fall_due_THEN_nothing_is_sent() {
        var h = withInvoice();
        h.act("inv-1", Action.VOID, null, at(DUE.minusDays(10)));

        assertEquals(0, h.sweepOn(DUE.plusDays(3), BERLIN).path("due").asInt());
        assertFalse(inIndex(h, "inv-1"));
        assertEquals(List.of(), h.emailIds());
    }

    @Test
    void GIVEN_an_uncollectible_invoice_WHEN_its_steps_fall_due_THEN_nothing_is_sent() {
        var h = withInvoice();
        h.sweepOn(DUE, BERLIN);
        h.act("inv-1", Action.MARK_UNCOLLECTIBLE, null, at(DUE.plusDays(1)));

        assertEquals(0, h.sweepOn(DUE.plusDays(3), BERLIN).path("due").asInt());
        assertEquals(0, h.sweepOn(DUE.plusDays(60), BERLIN).path("due").asInt());
        assertEquals(List.of("reminder#inv-1#due_today"), h.emailIds());
    }

    @Test
    void GIVEN_a_disputed_invoice_WHEN_its_steps_fall_due_THEN_nothing_is_sent_until_the_dispute_is_resolved() {
        var h = withInvoice();
        h.act("inv-1", Action.DISPUTE, null, at(DUE.minusDays(5)));

        assertEquals(0, h.sweepOn(DUE, BERLIN).path("due").asInt());
        assertEquals(0, h.sweepOn(DUE.plusDays(3), BERLIN).path("due").asInt());
        assertFalse(inIndex(h, "inv-1"));
        assertEquals(List.of(), h.emailIds());

        h.act("inv-1", Action.RESOLVE_DISPUTE, null, at(DUE.plusDays(8)));
        h.sweepOn(DUE.plusDays(8), BERLIN);

        assertEquals(List.of("reminder#inv-1#overdue_7"), h.emailIds(), "only the latest due step after the dispute");
    }

    @Test
    void GIVEN_reminders_paused_until_a_date_WHEN_the_sweep_runs_on_that_date_and_the_day_after_THEN_they_resume_the_day_after() {
        var h = withInvoice();
        LocalDate until = DUE.plusDays(5);
        h.act("inv-1", Action.PAUSE_REMINDERS, until, at(DUE.minusDays(4)));

        JsonNode onDue = h.sweepOn(DUE, BERLIN);
        JsonNode onUntil = h.sweepOn(until, BERLIN);
        assertEquals(0, onDue.path("due").asInt() + onUntil.path("due").asInt(), "paused through " + until);
        assertEquals(List.of(), h.emailIds());
        assertEquals(until.plusDays(1).atStartOfDay(ZoneId.of(BERLIN)).toInstant() + "#inv-1",
                h.item(Keys.invoicePk("inv-1"), Keys.INVOICE_SK).get(Keys.GSI2_SK).s(),
                "the index waits for the day after the pause");

        JsonNode dayAfter = h.sweepAtStartOf(until.plusDays(1), BERLIN);

        assertEquals(1, dayAfter.path("sent").asInt());
        assertEquals(List.of("reminder#inv-1#overdue_3"), h.emailIds(), "the latest step due, not the missed ones");
    }

    @Test
    void GIVEN_a_customer_with_reminders_disabled_WHEN_a_step_falls_due_THEN_no_email_is_sent_and_the_step_is_logged_as_skipped() {
        var h = new SweepHarness();
        h.customer("cus-quiet", "en", BERLIN, false, false);
        h.invoice("inv-1", "cus-quiet");

        JsonNode result = h.sweepOn(DUE, BERLIN);
        JsonNode again = h.sweepOn(DUE, BERLIN);

        assertEquals(1, result.path("skipped").asInt());
        assertEquals(0, result.path("sent").asInt());
        assertEquals(0, again.path("due").asInt(), "the ladder moved on: not read again today");
        assertEquals(List.of(), h.emailIds());
        assertEquals(List.of(), h.events());
        var log = h.reminderLog("inv-1", "due_today");
        assertTrue(log.get("skipped").bool());
        assertEquals("reminders-disabled", log.get("reason").s());
    }

    @Test
    void GIVEN_a_customer_on_autopay_WHEN_every_step_falls_due_THEN_nothing_is_sent_and_nothing_escalates() {
        var h = new SweepHarness();
        h.customer("cus-auto", "en", BERLIN, true, true);
        h.invoice("inv-1", "cus-auto");

        for (var step : SweepHarness.CONFIG.reminders().steps()) {
            h.sweepOn(DUE.plusDays(step.offsetDays()), BERLIN);
        }

        assertEquals(List.of(), h.emailIds());
        assertEquals(List.of(), h.events());
        assertEquals(dev.invoiceloyalty.domain.Escalation.NONE, h.invoice("inv-1").escalation());
        assertEquals("autopay", h.reminderLog("inv-1", "collections_60").get("reason").s());
        assertFalse(inIndex(h, "inv-1"), "every step considered once, then out of the index");
    }

    @Test
    void GIVEN_a_payment_in_full_after_the_index_listed_the_invoice_WHEN_the_step_is_recorded_THEN_the_transaction_is_cancelled_and_nothing_is_sent() {
        SdkFaults calls = SdkFaults.recording();
        var h = withChangeBeforeTheStep(x -> x.payInFull("inv-1", at(DUE)), calls);

        JsonNode result = h.sweepOn(DUE, BERLIN);

        assertEquals(1, result.path("due").asInt());
        assertEquals(0, result.path("sent").asInt());
        assertEquals(1, result.path("skipped").asInt());
        assertEquals(List.of("Query", "BatchGetItem", "TransactWriteItems", "GetItem"), calls.calls(),
                "the cancelled step, then one consistent read of the invoice as it now is");
        assertEquals(InvoiceStatus.PAID, h.invoice("inv-1").status());
        assertEquals(List.of(), h.steps("inv-1"));
        assertEquals(null, h.reminderLog("inv-1", "due_today"));
        assertEquals(java.util.Map.of(), h.outbox());
        assertEquals(List.of(), h.emailIds());
        assertEquals(List.of(), h.events());
    }

    @Test
    void GIVEN_a_part_payment_after_the_index_listed_the_invoice_WHEN_the_step_is_recorded_THEN_it_is_decided_again_and_the_reminder_asks_for_what_is_still_due() {
        SdkFaults calls = SdkFaults.recording();
        var h = withChangeBeforeTheStep(x -> x.pay("inv-1", 50_000, at(DUE)), calls);

        JsonNode result = h.sweepOn(DUE, BERLIN);

        assertEquals(1, result.path("sent").asInt());
        assertEquals(List.of("Query", "BatchGetItem", "TransactWriteItems", "GetItem", "TransactWriteItems"),
                calls.calls());
        assertEquals(InvoiceStatus.PARTIALLY_PAID, h.invoice("inv-1").status());
        assertEquals(List.of("due_today"), h.steps("inv-1"));
        var mail = h.mail();
        assertEquals(List.of("reminder#inv-1#due_today"), mail.stream().map(m -> m.emailId()).toList());
        assertEquals("690.00", mail.get(0).model().get("amountDue"), "1,190.00 less the 500.00 paid since the index");
    }
}
