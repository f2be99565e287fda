package dev.invoiceloyalty.reminders.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.config.ProgramConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static dev.invoiceloyalty.reminders.sweep.SweepHarness.DUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each step of the ladder falls on its date in the <em>customer's</em> zone (SPEC §3, §7): {@code pre_due} at due − 3
 * through {@code collections_60} at due + 60. The zones are chosen so that the UTC date differs from the local date at
 * the step's first instant: Auckland (UTC+13 in summer) is a day ahead of UTC, Los Angeles (UTC−8) a day behind.
 */
class ReminderStepDatesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Pacific/Auckland", "America/Los_Angeles"})
    void GIVEN_an_invoice_due_on_a_date_WHEN_the_sweep_runs_just_before_and_at_local_midnight_of_each_step_date_THEN_each_step_is_sent_on_its_local_date(
            String zone) {
        var h = new SweepHarness();
        h.customer("cus-" + zone.hashCode(), "en", zone);
        h.invoice("inv-dates", "cus-" + zone.hashCode());
        ZoneId z = ZoneId.of(zone);
        List<String> sentSoFar = new ArrayList<>();

        for (ProgramConfig.ReminderStep step : SweepHarness.CONFIG.reminders().steps()) {
            LocalDate date = DUE.plusDays(step.offsetDays());
            Instant first = date.atStartOfDay(z).toInstant();
            // The case that matters: a sweep going by the UTC date would be wrong here. In Auckland local midnight is
            // still the day before in UTC; in Los Angeles a minute before local midnight is already the date in UTC.
            LocalDate utcAtFirst = LocalDate.ofInstant(first, ZoneOffset.UTC);
            LocalDate utcJustBefore = LocalDate.ofInstant(first.minusSeconds(60), ZoneOffset.UTC);
            assertTrue(!utcAtFirst.equals(date) || utcJustBefore.equals(date), step.step());

            JsonNode before = h.sweep(first.minusSeconds(60));
            assertEquals(0, before.path("sent").asInt(), step.step() + " one minute before local midnight");
            assertEquals(sentSoFar, h.steps("inv-dates"), step.step());

            JsonNode at = h.sweep(first);
            assertEquals(1, at.path("sent").asInt(), step.step() + " at local midnight of " + date);
            sentSoFar.add(step.step());
            assertEquals(sentSoFar, h.steps("inv-dates"));
            assertEquals(first.toString(), h.invoice("inv-dates").reminders().get(sentSoFar.size() - 1).sentAt());
        }
        List<String> expectedIds = sentSoFar.stream().map(s -> "reminder#inv-dates#" + s).toList();
        assertEquals(expectedIds, h.emailIds().stream().filter(id -> id.startsWith("reminder#")).toList());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Pacific/Auckland", "America/Los_Angeles"})
    void GIVEN_a_customer_whose_local_date_differs_from_the_UTC_date_WHEN_the_sweep_runs_THEN_the_step_follows_the_local_date(
            String zone) {
        var h = new SweepHarness();
        h.customer("cus-local", "en", zone);
        h.invoice("inv-local", "cus-local");
        // due_today (offset 0) falls on DUE in the customer's zone.
        Instant localMidnight = DUE.atStartOfDay(ZoneId.of(zone)).toInstant();
        LocalDate utcDate = LocalDate.ofInstant(localMidnight, ZoneOffset.UTC);
        if (zone.equals("Pacific/Auckland")) {
            // Local midnight of the due date is still the day before in UTC: the step goes out on that UTC date.
            assertEquals(DUE.minusDays(1), utcDate);
        } else {
            // A minute before local midnight it is already the due date in UTC: the step must not go out yet.
            assertEquals(DUE, LocalDate.ofInstant(localMidnight.minusSeconds(60), ZoneOffset.UTC));
        }
        h.sweepAtStartOf(DUE.minusDays(3), zone); // pre_due

        assertEquals(0, h.sweep(localMidnight.minusSeconds(60)).path("sent").asInt());
        assertEquals(List.of("pre_due"), h.steps("inv-local"));
        assertEquals(1, h.sweep(localMidnight).path("sent").asInt());
        assertEquals(List.of("pre_due", "due_today"), h.steps("inv-local"));
    }
}
