package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.mail.MailMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.invoiceloyalty.reminders.sweep.SweepHarness.DUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep that dies half-way and runs again sends the rest and nothing twice. {@value #INVOICES} invoices are due,
 * read in index pages of {@value #PAGE}; the first run dies at the k-th call of one operation (before the service sees
 * it, or after it answered), the second run is the retry. The end state is the fault-free run's: every reminder and
 * {@code ReminderSent} event out, every step logged once, the outbox empty; and through the real mailer each email is
 * sent exactly once.
 */
class ReminderCrashTest {
    static final int INVOICES = 25;
    static final int PAGE = 10;
    private static final String BERLIN = "Europe/Berlin";

    @BeforeEach
    void emptyMailbox() {
        dev.invoiceloyalty.local.LocalBackends.shared().ses().clear();
    }

    private static SweepHarness harness(SdkFaults faults) {
        var h = new SweepHarness(List.of(faults), PAGE);
        h.customer("cus-crash", "en", BERLIN);
        for (int i = 0; i < INVOICES; i++) {
            h.invoice(String.format("inv-%02d", i), "cus-crash");
        }
        return h;
    }

    private static Set<String> expectedEmailIds() {
        return IntStream.range(0, INVOICES).mapToObj(i -> String.format("reminder#inv-%02d#due_today", i))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void assertEndStateOfAFaultFreeRun(SweepHarness h, boolean duplicatesOnTheQueueAllowed) {
        List<MailMessage> queued = h.mail();
        assertEquals(expectedEmailIds(), new TreeSet<>(queued.stream().map(MailMessage::emailId).toList()));
        if (!duplicatesOnTheQueueAllowed) {
            assertEquals(INVOICES, queued.size(), "no message enqueued twice");
        }
        Set<String> events = new TreeSet<>(h.events("ReminderSent").stream()
                .map(e -> SweepHarness.tree(e.detail()).path("invoiceId").asText()).toList());
        assertEquals(INVOICES, events.size());
        for (int i = 0; i < INVOICES; i++) {
            String id = String.format("inv-%02d", i);
            assertEquals(List.of("due_today"), h.steps(id), id);
        }
        assertTrue(h.outbox().isEmpty(), "nothing left in the outbox");

        // The mailer, fed every copy that reached the queue, sends each email once.
        assertEquals(List.of(), h.deliver(queued));
        List<String> sent = h.mailerLog.stream().map(SweepHarness::tree)
                .filter(line -> line.path("outcome").asText().equals("sent"))
                .map(line -> line.path("emailId").asText()).toList();
        assertEquals(INVOICES, sent.size(), "one send per email");
        assertEquals(expectedEmailIds(), new TreeSet<>(sent));
        assertEquals(INVOICES, h.sesEmails().size());
    }

    @Test
    void GIVEN_no_fault_WHEN_the_sweep_runs_THEN_it_pages_through_the_index_and_sends_in_batches_of_10() {
        SdkFaults calls = SdkFaults.recording();
        var h = harness(calls);

        var result = h.sweepOn(DUE, BERLIN);

        assertEquals(INVOICES, result.path("sent").asInt());
        assertEquals(3, calls.count("SendMessageBatch"), "25 emails in batches of at most 10, page by page");
        assertEquals(3, calls.count("PutEvents"));
        assertEquals(0, calls.count("SendMessage"), "never one by one");
        assertEquals(0, calls.count("Scan"));
        assertEndStateOfAFaultFreeRun(h, false);
    }

    @ParameterizedTest(name = "{0} #{1} {2}")
    @CsvSource({
            "SendMessageBatch, 2, BEFORE",
            "SendMessageBatch, 2, AFTER",
            "PutEvents, 1, BEFORE",
            "DeleteItem, 3, BEFORE",
            "DeleteItem, 14, AFTER",
            "TransactWriteItems, 12, AFTER",
            "TransactWriteItems, 25, BEFORE",
            "Query, 2, BEFORE",
            "UpdateItem, 5, BEFORE"})
    void GIVEN_a_sweep_that_dies_at_a_call_WHEN_it_runs_again_THEN_everything_is_sent_and_nothing_twice(
            String operation, int k, SdkFaults.When when) {
        SdkFaults fault = SdkFaults.failing(operation, k, when);
        var h = harness(fault);

        assertThrows(RuntimeException.class, () -> h.sweepOn(DUE, BERLIN), "the first run dies");
        assertTrue(fault.fired());
        int queuedAfterCrash = h.mail().size();
        assertTrue(queuedAfterCrash < INVOICES || when == SdkFaults.When.AFTER, "the crash left work undone");

        // Lambda's retry of the same scheduled input, after the dead run's claims have run out.
        h.clock.advance(Duration.ofMinutes(2));
        var retry = h.sweepOn(DUE, BERLIN);

        assertTrue(retry.path("outboxFlushed").asInt() + retry.path("sent").asInt() > 0, retry.toString());
        // Only a message that went out and then failed its delete can reach the queue twice; the mailer drops it.
        boolean copiesPossible = when == SdkFaults.When.AFTER && !operation.equals("TransactWriteItems")
                || operation.equals("DeleteItem");
        assertEndStateOfAFaultFreeRun(h, copiesPossible);
    }
}
