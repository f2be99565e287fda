package dev.invoiceloyalty.reminders.sweep;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one sweep did: the handler's response and the summary log line.
 *
 * @param time          the business time of the run (from the schedule's input)
 * @param due           invoices the index listed as due at {@code time}
 * @param sent          reminder steps sent (their emails and events enqueued)
 * @param skipped       due invoices that got no email: the step recorded as skipped (customer has reminders disabled or
 *                      autopay), or the invoice was no longer due when re-read (paid, void, disputed, paused since)
 * @param escalated     invoices whose escalation rose in this run (AR team, collections)
 * @param outboxFlushed messages an earlier run or another function had committed but not sent, sent by this run
 */
public record SweepResult(String time, int due, int sent, int skipped, int escalated, int outboxFlushed) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", time);
        m.put("due", due);
        m.put("sent", sent);
        m.put("skipped", skipped);
        m.put("escalated", escalated);
        m.put("outboxFlushed", outboxFlushed);
        return m;
    }
}
