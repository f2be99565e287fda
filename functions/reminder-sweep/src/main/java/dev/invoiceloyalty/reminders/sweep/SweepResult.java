package dev.invoiceloyalty.reminders.sweep;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one sweep did: the handler's response and the summary log line.
 *
 * @param time      the business time of the run (from the schedule's input)
 * @param due       invoices the index listed as due at {@code time}
 * @param sent      reminder steps recorded with their emails and events, which the outbox relay sends
 * @param skipped   due invoices that got no email: the step recorded as skipped (customer has reminders disabled or
 *                  autopay), the invoice no longer due when read again after a cancelled step (paid, void, disputed,
 *                  paused, or recorded by a concurrent run since), its invoice or customer missing, or still changing
 *                  after {@link ReminderSweep#MAX_ATTEMPTS} reads (left for the next run)
 * @param escalated invoices whose escalation rose in this run (AR team, collections)
 */
public record SweepResult(String time, int due, int sent, int skipped, int escalated) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", time);
        m.put("due", due);
        m.put("sent", sent);
        m.put("skipped", skipped);
        m.put("escalated", escalated);
        return m;
    }
}
