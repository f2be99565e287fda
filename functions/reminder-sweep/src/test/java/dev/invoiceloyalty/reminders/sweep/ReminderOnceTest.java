package dev.invoiceloyalty.reminders.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.invoiceloyalty.reminders.sweep.SweepHarness.DUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Each step at most once; after missed runs only the latest due step; never an earlier step after a later one. */
class ReminderOnceTest {
    private static final String BERLIN = "Europe/Berlin";

    @Test
    void GIVEN_a_due_step_WHEN_the_same_sweep_runs_twice_THEN_the_step_is_sent_once() {
        var h = new SweepHarness();
        h.customer("cus-1", "en", BERLIN);
        h.invoice("inv-1", "cus-1");

        JsonNode first = h.sweepOn(DUE, BERLIN);
        JsonNode second = h.sweepOn(DUE, BERLIN);

        assertEquals(1, first.path("due").asInt());
        assertEquals(1, first.path("sent").asInt());
        assertEquals(0, second.path("due").asInt(), "the step left the index with the first run");
        assertEquals(0, second.path("sent").asInt());
        assertEquals(List.of("reminder#inv-1#due_today"), h.emailIds());
        assertEquals(1, h.events("ReminderSent").size());
        assertEquals(List.of("due_today"), h.steps("inv-1"));
        assertEquals(Map.of("INVOICE#inv-1 OUTBOX#mail#reminder#inv-1#due_today",
                        List.of("mail#reminder#inv-1#due_today", "event#ReminderSent#inv-1#due_today")), h.outbox(),
                "one outbox item, written by the first run only");
    }

    @Test
    void GIVEN_a_sent_step_WHEN_the_sweep_runs_later_the_same_day_and_the_next_day_THEN_nothing_more_is_sent_until_the_next_step_date() {
        var h = new SweepHarness();
        h.customer("cus-1", "en", BERLIN);
        h.invoice("inv-1", "cus-1");

        h.sweepAtStartOf(DUE, BERLIN);
        h.sweepOn(DUE, BERLIN);
        h.sweepOn(DUE.plusDays(1), BERLIN);
        h.sweepOn(DUE.plusDays(2), BERLIN);
        h.sweepOn(DUE.plusDays(3), BERLIN);

        assertEquals(List.of("reminder#inv-1#due_today", "reminder#inv-1#overdue_3"), h.emailIds());
    }

    @Test
    void GIVEN_missed_runs_WHEN_the_sweep_runs_again_THEN_only_the_latest_due_step_is_sent() {
        var h = new SweepHarness();
        h.customer("cus-1", "en", BERLIN);
        h.invoice("inv-1", "cus-1");

        // No run from before pre_due until 20 days overdue: pre_due … overdue_14 all fell due meanwhile.
        JsonNode result = h.sweepOn(DUE.plusDays(20), BERLIN);

        assertEquals(1, result.path("sent").asInt());
        assertEquals(List.of("overdue_14"), h.steps("inv-1"));
        assertEquals(List.of("reminder#inv-1#overdue_14"), h.emailIds());
        assertNotNull(h.reminderLog("inv-1", "overdue_14"));
        assertNull(h.reminderLog("inv-1", "overdue_7"), "a step passed over is not logged");
    }

    @Test
    void GIVEN_a_later_step_sent_WHEN_an_earlier_day_is_replayed_THEN_no_earlier_step_is_sent() {
        var h = new SweepHarness();
        h.customer("cus-1", "en", BERLIN);
        h.invoice("inv-1", "cus-1");
        h.sweepOn(DUE.plusDays(20), BERLIN); // overdue_14

        // Replaying the schedule's input of past days (SPEC §3) re-runs those days: their steps are behind.
        JsonNode replay7 = h.sweepOn(DUE.plusDays(7), BERLIN);
        JsonNode replayDue = h.sweepOn(DUE, BERLIN);
        JsonNode replayPreDue = h.sweepOn(DUE.minusDays(3), BERLIN);

        assertEquals(0, replay7.path("sent").asInt() + replayDue.path("sent").asInt() + replayPreDue.path("sent").asInt());
        assertEquals(List.of("overdue_14"), h.steps("inv-1"));
        assertEquals(List.of("reminder#inv-1#overdue_14"), h.emailIds());
    }

    @Test
    void GIVEN_an_invoice_WHEN_its_last_step_is_sent_THEN_it_leaves_the_sweep_index() {
        var h = new SweepHarness();
        h.customer("cus-1", "en", BERLIN);
        h.invoice("inv-1", "cus-1");
        var item = h.item(Keys.invoicePk("inv-1"), Keys.INVOICE_SK);
        assertEquals(DUE.minusDays(3).atStartOfDay(java.time.ZoneId.of(BERLIN)).toInstant() + "#inv-1",
                item.get(Keys.GSI2_SK).s(), "in the index from creation, at pre_due's local midnight");

        h.sweepOn(DUE.plusDays(61), BERLIN); // collections_60, the last step

        assertFalse(h.item(Keys.invoicePk("inv-1"), Keys.INVOICE_SK).containsKey(Keys.GSI2_PK));
        assertEquals(0, h.sweepOn(DUE.plusDays(200), BERLIN).path("due").asInt());
    }
}
