package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.mail.MailMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static dev.invoiceloyalty.reminders.sweep.SweepHarness.DUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep that dies half-way, or whose calls are throttled, ends as a fault-free run: every reminder and
 * {@code ReminderSent} event out exactly once, every step logged once with one outbox item, and through the real
 * mailer each email sent once. {@value #INVOICES} invoices of {@value #CUSTOMERS} customers are due (five each, in
 * index order), read in index pages of {@value #PAGE}. The relay runs on the table's stream after every run, dead or
 * not, as {@code OutboxRelayFunction} runs on every commit.
 */
class ReminderCrashTest {
    static final int INVOICES = 25;
    static final int CUSTOMERS = 5;
    static final int PAGE = 10;
    private static final String BERLIN = "Europe/Berlin";

    @BeforeEach
    void emptyMailbox() {
        LocalBackends.shared().ses().clear();
    }

    private static String invoiceId(int i) {
        return String.format("inv-%02d", i);
    }

    private static SweepHarness harness(SdkFaults faults) {
        var h = new SweepHarness(List.of(faults), PAGE);
        for (int c = 0; c < CUSTOMERS; c++) {
            h.customer("cus-crash-" + c, "en", BERLIN);
        }
        for (int i = 0; i < INVOICES; i++) {
            h.invoice(invoiceId(i), "cus-crash-" + i / (INVOICES / CUSTOMERS));
        }
        return h;
    }

    private static List<String> reminderIds(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "reminder#" + invoiceId(i) + "#due_today").toList();
    }

    /** Invoices whose step is recorded, in index order. */
    private static List<String> recorded(SweepHarness h) {
        return IntStream.range(0, INVOICES).mapToObj(ReminderCrashTest::invoiceId)
                .filter(id -> !h.steps(id).isEmpty()).toList();
    }

    private static List<String> sorted(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        Collections.sort(copy);
        return copy;
    }

    private static void assertEndStateOfAFaultFreeRun(SweepHarness h) {
        List<MailMessage> queued = h.mail();
        assertEquals(reminderIds(0, INVOICES), sorted(queued.stream().map(MailMessage::emailId).toList()),
                "every reminder on the queue exactly once");
        List<String> events = h.events("ReminderSent").stream()
                .map(e -> SweepHarness.tree(e.detail()).path("invoiceId").asText()).toList();
        assertEquals(IntStream.range(0, INVOICES).mapToObj(ReminderCrashTest::invoiceId).toList(), sorted(events),
                "every ReminderSent exactly once");
        Map<String, List<String>> outbox = new TreeMap<>();
        for (int i = 0; i < INVOICES; i++) {
            String id = invoiceId(i);
            assertEquals(List.of("due_today"), h.steps(id), id);
            outbox.put("INVOICE#" + id + " OUTBOX#mail#reminder#" + id + "#due_today",
                    List.of("mail#reminder#" + id + "#due_today", "event#ReminderSent#" + id + "#due_today"));
        }
        assertEquals(outbox, h.outbox(), "one outbox item per step, carrying its email and its event");

        // The mailer, fed what reached the queue, sends each email once.
        assertEquals(List.of(), h.deliver(queued));
        List<String> sent = h.mailerLog.stream().map(SweepHarness::tree)
                .filter(line -> line.path("outcome").asText().equals("sent"))
                .map(line -> line.path("emailId").asText()).toList();
        assertEquals(reminderIds(0, INVOICES), sorted(sent), "one send per email");
        assertEquals(INVOICES, h.sesEmails().size());
    }

    @Test
    void GIVEN_no_fault_WHEN_the_sweep_runs_THEN_per_page_it_makes_one_query_one_customer_batch_and_one_transaction() {
        SdkFaults calls = SdkFaults.recording();
        var h = harness(calls);

        var result = h.sweepOn(DUE, BERLIN);

        assertEquals(INVOICES, result.path("sent").asInt());
        List<String> expected = new ArrayList<>();
        for (int page = 0; page < INVOICES; page += PAGE) {
            expected.add("Query");
            expected.add("BatchGetItem"); // the page's customers (two, two, one), each read once in the run
            expected.add("TransactWriteItems"); // the page's steps (ten, ten, five): one group each
        }
        assertEquals(expected, calls.calls(), "no GetItem, no Scan, nothing but DynamoDB");
        assertEquals(INVOICES * 2, h.relayedMessages());
        assertEndStateOfAFaultFreeRun(h);
    }

    @Test
    void GIVEN_a_sweep_that_dies_right_after_a_groups_transaction_committed_WHEN_it_runs_again_THEN_the_relay_delivers_those_reminders_once_and_the_rerun_does_not_send_them_again() {
        SdkFaults fault = SdkFaults.failing("TransactWriteItems", 2, SdkFaults.When.AFTER);
        var h = harness(fault);

        assertThrows(RuntimeException.class, () -> h.sweepOn(DUE, BERLIN), "the first run dies");

        // The second page's group (inv-10 to inv-19) committed; the function never heard so, the stream did.
        assertEquals(IntStream.range(0, 20).mapToObj(ReminderCrashTest::invoiceId).toList(), recorded(h));
        assertEquals(reminderIds(0, 20), sorted(h.emailIds()), "the relay delivered every committed step, inv-19's included");

        var retry = h.sweepOn(DUE, BERLIN);

        assertEquals(INVOICES - 20, retry.path("due").asInt(), "what the dead run recorded left the index");
        assertEquals(INVOICES - 20, retry.path("sent").asInt());
        assertEquals(1, h.emailIds().stream().filter("reminder#inv-19#due_today"::equals).count());
        assertEndStateOfAFaultFreeRun(h);
    }

    @ParameterizedTest(name = "{0} #{1} {2}")
    @CsvSource({
            "TransactWriteItems, 1, BEFORE",
            "TransactWriteItems, 1, AFTER",
            "TransactWriteItems, 2, BEFORE",
            "TransactWriteItems, 3, AFTER",
            "Query, 1, BEFORE",
            "Query, 2, BEFORE",
            "Query, 3, AFTER",
            "BatchGetItem, 1, AFTER",
            "BatchGetItem, 2, BEFORE",
            "BatchGetItem, 3, AFTER"})
    void GIVEN_a_sweep_that_dies_at_a_call_WHEN_it_runs_again_THEN_everything_is_sent_and_nothing_twice(
            String operation, int k, SdkFaults.When when) {
        SdkFaults fault = SdkFaults.failing(operation, k, when);
        var h = harness(fault);

        assertThrows(RuntimeException.class, () -> h.sweepOn(DUE, BERLIN), "the first run dies");
        assertTrue(fault.fired());
        List<String> recorded = recorded(h);
        assertEquals(recorded.stream().map(id -> "reminder#" + id + "#due_today").toList(), sorted(h.emailIds()),
                "after the crash the queue holds exactly the steps that committed");

        // Lambda's retry of the same scheduled input.
        var retry = h.sweepOn(DUE, BERLIN);

        assertEquals(INVOICES - recorded.size(), retry.path("due").asInt(), retry.toString());
        assertEquals(INVOICES - recorded.size(), retry.path("sent").asInt(), retry.toString());
        assertEndStateOfAFaultFreeRun(h);
    }

    @ParameterizedTest(name = "{0} #{1}")
    @CsvSource({"TransactWriteItems, 1", "TransactWriteItems, 2", "BatchGetItem, 1", "Query, 2"})
    void GIVEN_a_call_throttled_after_the_service_did_the_work_WHEN_the_SDK_retries_it_THEN_the_run_ends_as_a_fault_free_run(
            String operation, int k) {
        SdkFaults throttle = SdkFaults.throttling(operation, k);
        var h = harness(throttle);

        var result = h.sweepOn(DUE, BERLIN);

        assertTrue(throttle.fired());
        assertEquals(throttle.count(operation) + 1, throttle.sent(operation), "the SDK sent the throttled call again");
        // A transaction retried with its ClientRequestToken succeeds as the one that committed, not on its own guard.
        assertEquals(INVOICES, result.path("sent").asInt(), result.toString());
        assertEquals(0, result.path("skipped").asInt(), result.toString());
        assertEquals(3, throttle.count("TransactWriteItems"), "one group per page");
        assertEquals(0, throttle.count("GetItem"), "no step cancelled, so no invoice read again");
        assertEndStateOfAFaultFreeRun(h);
    }

    @Test
    void GIVEN_a_customer_batch_answered_in_part_WHEN_the_sweep_runs_THEN_it_asks_again_for_the_unprocessed_keys_and_ends_as_a_fault_free_run() {
        SdkFaults partial = SdkFaults.withholdingKeys(1);
        var h = harness(partial);

        var result = h.sweepOn(DUE, BERLIN);

        assertTrue(partial.fired());
        assertEquals(INVOICES, result.path("sent").asInt());
        assertEquals(0, result.path("skipped").asInt(), "no customer taken for missing");
        assertEquals(4, partial.count("BatchGetItem"), "the first page's batch twice, then one per page");
        assertEndStateOfAFaultFreeRun(h);
    }
}
