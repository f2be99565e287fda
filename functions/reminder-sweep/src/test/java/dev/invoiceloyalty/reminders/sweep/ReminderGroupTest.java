package dev.invoiceloyalty.reminders.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.reminders.ReminderLadder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static dev.invoiceloyalty.reminders.sweep.SweepHarness.DUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page's steps are recorded in groups of up to 33 (100 items a transaction, 3 a sent step), one transaction per
 * group. A cancelled group wrote nothing: the step that met a guard is read again and decided again, the others go
 * out in the next transaction, and nothing is sent twice.
 */
class ReminderGroupTest {
    private static final String BERLIN = "Europe/Berlin";

    private static Instant at(LocalDate date) {
        return date.atTime(10, 0).atZone(ZoneId.of(BERLIN)).toInstant();
    }

    private static String invoiceId(int i) {
        return String.format("inv-%02d", i);
    }

    /** {@code invoices} invoices due on {@link SweepHarness#DUE}, of four customers, read in one index page. */
    private static SweepHarness harness(int invoices, List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> interceptors) {
        var h = new SweepHarness(interceptors, 0);
        for (int c = 0; c < 4; c++) {
            h.customer("cus-group-" + c, "en", BERLIN);
        }
        for (int i = 0; i < invoices; i++) {
            h.invoice(invoiceId(i), "cus-group-" + i % 4);
        }
        return h;
    }

    private static List<String> reminderIds(int invoices, List<String> except) {
        return IntStream.range(0, invoices).mapToObj(ReminderGroupTest::invoiceId).filter(id -> !except.contains(id))
                .map(id -> "reminder#" + id + "#due_today").toList();
    }

    private static List<String> sorted(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        Collections.sort(copy);
        return copy;
    }

    /** Each reminder of the invoices not in {@code except} on the queue exactly once, each step logged with one outbox item. */
    private static void assertEachSentOnce(SweepHarness h, int invoices, List<String> except) {
        assertEquals(reminderIds(invoices, except), sorted(h.emailIds()), "each reminder exactly once");
        List<String> events = h.events("ReminderSent").stream()
                .map(e -> SweepHarness.tree(e.detail()).path("invoiceId").asText()).toList();
        assertEquals(IntStream.range(0, invoices).mapToObj(ReminderGroupTest::invoiceId)
                .filter(id -> !except.contains(id)).toList(), sorted(events), "each ReminderSent exactly once");
        for (int i = 0; i < invoices; i++) {
            String id = invoiceId(i);
            if (!except.contains(id)) {
                assertEquals(List.of("due_today"), h.steps(id), id);
                assertNotNull(h.reminderLog(id, "due_today"), id);
            }
        }
        assertEquals(invoices - except.size(), h.outbox().size(), "one outbox item per step sent");
    }

    @Test
    void GIVEN_40_due_invoices_on_one_page_WHEN_the_sweep_runs_THEN_it_records_them_in_two_transactions_and_sends_each_reminder_once() {
        SdkFaults calls = SdkFaults.recording();
        var h = harness(40, List.of(calls));

        JsonNode result = h.sweepOn(DUE, BERLIN);
        JsonNode again = h.sweepOn(DUE, BERLIN);

        assertEquals(40, result.path("due").asInt());
        assertEquals(40, result.path("sent").asInt());
        assertEquals(0, result.path("skipped").asInt());
        assertEquals(List.of("Query", "BatchGetItem", "TransactWriteItems", "TransactWriteItems",
                        "Query"), calls.calls(), "33 steps (99 items), then 7; the second run finds nothing due");
        assertEquals(0, again.path("due").asInt());
        assertEachSentOnce(h, 40, List.of());
    }

    @Test
    void GIVEN_40_due_invoices_and_a_sweep_that_dies_before_the_second_groups_transaction_WHEN_it_runs_again_THEN_the_first_33_are_not_sent_again_and_the_other_7_are_sent_once() {
        SdkFaults fault = SdkFaults.failing("TransactWriteItems", 2, SdkFaults.When.BEFORE);
        var h = harness(40, List.of(fault));

        assertThrows(RuntimeException.class, () -> h.sweepOn(DUE, BERLIN), "the first run dies");
        assertEquals(reminderIds(33, List.of()), sorted(h.emailIds()), "the first group committed, the second did not");

        JsonNode retry = h.sweepOn(DUE, BERLIN);

        assertEquals(7, retry.path("due").asInt());
        assertEquals(7, retry.path("sent").asInt());
        assertEachSentOnce(h, 40, List.of());
    }

    @Test
    void GIVEN_a_payment_in_full_on_one_of_7_invoices_after_the_index_listed_them_WHEN_the_group_is_recorded_THEN_it_is_cancelled_and_the_other_6_go_out_in_the_next_transaction() {
        BeforeCall hook = new BeforeCall("TransactWriteItems", 1);
        SdkFaults calls = SdkFaults.recording();
        var h = harness(7, List.of(hook, calls));
        hook.run(() -> h.payInFull("inv-03", at(DUE)));

        JsonNode result = h.sweepOn(DUE, BERLIN);

        assertEquals(7, result.path("due").asInt());
        assertEquals(6, result.path("sent").asInt());
        assertEquals(1, result.path("skipped").asInt());
        assertEquals(List.of("Query", "BatchGetItem", "TransactWriteItems", "GetItem", "TransactWriteItems"),
                calls.calls(), "the cancelled group, the paid invoice read again, the other six in one transaction");
        assertEquals(InvoiceStatus.PAID, h.invoice("inv-03").status());
        assertEquals(List.of(), h.steps("inv-03"));
        assertNull(h.reminderLog("inv-03", "due_today"));
        assertEachSentOnce(h, 7, List.of("inv-03"));
    }

    @Test
    void GIVEN_a_part_payment_on_one_of_7_invoices_after_the_index_listed_them_WHEN_the_group_is_recorded_THEN_that_step_is_decided_again_and_all_7_go_out_once() {
        BeforeCall hook = new BeforeCall("TransactWriteItems", 1);
        SdkFaults calls = SdkFaults.recording();
        var h = harness(7, List.of(hook, calls));
        hook.run(() -> h.pay("inv-03", 50_000, at(DUE)));

        JsonNode result = h.sweepOn(DUE, BERLIN);

        assertEquals(7, result.path("sent").asInt());
        assertEquals(0, result.path("skipped").asInt());
        assertEquals(List.of("Query", "BatchGetItem", "TransactWriteItems", "GetItem", "TransactWriteItems"),
                calls.calls(), "the re-decided step goes with the other six");
        assertEquals(InvoiceStatus.PARTIALLY_PAID, h.invoice("inv-03").status());
        List<MailMessage> mail = h.mailTo("cus-group-3@example.com");
        MailMessage partPaid = mail.stream().filter(m -> m.emailId().equals("reminder#inv-03#due_today")).findFirst()
                .orElseThrow();
        assertEquals("690.00", partPaid.model().get("amountDue"), "1,190.00 less the 500.00 paid since the index");
        assertEachSentOnce(h, 7, List.of());
    }

    @Test
    void GIVEN_one_step_of_a_group_recorded_by_a_concurrent_run_WHEN_the_group_is_recorded_THEN_the_others_go_out_and_that_one_is_not_sent_twice() {
        BeforeCall hook = new BeforeCall("TransactWriteItems", 1);
        SdkFaults calls = SdkFaults.recording();
        var h = harness(7, List.of(hook, calls));
        Instant t = DUE.atTime(12, 0).atZone(ZoneId.of(BERLIN)).toInstant();
        // The concurrent run: the same sweep on the test's client, recording inv-03's step as it would, in its own
        // transaction (log item, invoice, outbox item), just before this run's first group.
        ReminderSweep other = ReminderSweepHandler.create(new SweepSettings(h.table, SweepHarness.AR_TEAM,
                SweepHarness.COLLECTIONS, "Example Co"), h.ddb, SweepHarness.CONFIG, ReminderLadder.current(), 0);
        hook.run(() -> {
            var current = h.invoices.find("inv-03");
            var inv = current.value();
            var customer = h.customers.find(inv.customerId()).value();
            LocalDate today = ReminderLadder.localDate(inv, t);
            var step = other.ladder().dueStep(inv, today);
            List<dev.invoiceloyalty.domain.Invoice.ReminderRecord> reminders = new ArrayList<>(inv.reminders());
            reminders.add(new dev.invoiceloyalty.domain.Invoice.ReminderRecord(step.step(), t.toString()));
            var updated = inv.toBuilder().reminders(reminders).updatedAt(t.toString()).build();
            MailMessage reminder = other.messages().reminder(updated, customer, step, today);
            var outcome = other.store().recordSteps(List.of(new DynamoDbReminderStore.Step(updated, current.version(),
                    DynamoDbReminderStore.StepLog.sent(step.step(), reminder.emailId()),
                    other.messages().of(updated, customer, step, today, t.toString(), reminder), t.toString(), 1)));
            assertTrue(outcome.committed(), "the concurrent run recorded inv-03's step");
        });

        JsonNode result = h.sweep(t);

        assertEquals(7, result.path("due").asInt());
        assertEquals(6, result.path("sent").asInt());
        assertEquals(1, result.path("skipped").asInt(), "inv-03 read again: its step is recorded, nothing due");
        assertEquals(List.of("Query", "BatchGetItem", "TransactWriteItems", "GetItem", "TransactWriteItems"),
                calls.calls());
        assertEquals(List.of("due_today"), h.steps("inv-03"), "the concurrent run's step, once");
        assertEachSentOnce(h, 7, List.of());
    }

    @Test
    void GIVEN_a_group_cancelled_for_a_transaction_conflict_on_one_step_WHEN_it_is_recorded_THEN_that_step_is_read_again_and_all_7_go_out_once_in_the_next_transaction() {
        // Item 4 is inv-01's invoice (3 items a step): another transaction was writing it.
        CancelCall cancel = new CancelCall(1, 4, "TransactionConflict");
        SdkFaults calls = SdkFaults.recording();
        var h = harness(7, List.of(cancel, calls));

        JsonNode result = h.sweepOn(DUE, BERLIN);

        assertTrue(cancel.fired());
        assertEquals(7, result.path("sent").asInt());
        assertEquals(0, result.path("skipped").asInt());
        assertEquals(List.of("Query", "BatchGetItem", "TransactWriteItems", "GetItem", "TransactWriteItems"),
                calls.calls(), "only inv-01 read again; the other six unchanged in the next transaction with it");
        assertEachSentOnce(h, 7, List.of());
    }

    @Test
    void GIVEN_a_group_cancelled_without_reasons_WHEN_it_is_recorded_THEN_every_step_is_read_again_and_sent_once() {
        CancelCall cancel = new CancelCall(1, 0, null);
        SdkFaults calls = SdkFaults.recording();
        var h = harness(3, List.of(cancel, calls));

        JsonNode result = h.sweepOn(DUE, BERLIN);

        assertTrue(cancel.fired());
        assertEquals(3, result.path("sent").asInt());
        assertEquals(List.of("Query", "BatchGetItem", "TransactWriteItems", "GetItem", "GetItem", "GetItem",
                "TransactWriteItems"), calls.calls());
        assertEachSentOnce(h, 3, List.of());
    }
}
