package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.Versioned;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.reminders.ReminderLadder;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The daily sweep at business time {@code T} (the schedule's time, never the clock; SPEC §3):
 * <ol>
 *   <li><b>flush</b> the outbox: every message committed at or before {@code T} and not yet sent (by a run that died
 *       half-way, or by another function that committed and did not get to send) goes out first;</li>
 *   <li><b>page</b> through the invoices whose next step is due ({@code REMINDER_DUE} index, 1 MB pages); for each,
 *       re-read it consistently and ask the ladder which step is due on the customer's local date;</li>
 *   <li><b>record</b> that step in one transaction with its reminder-log guard and its outbox messages (or record it
 *       as skipped for a customer with reminders disabled or autopay);</li>
 *   <li><b>send</b> the page's messages in batches of 10 and delete each once sent.</li>
 * </ol>
 * A run that dies anywhere and runs again sends the rest and nothing twice: a recorded step has left the index (its
 * key moved to the next step), its messages wait in the outbox until step 1 or 4 sends them, and the mailer sends
 * each email id once.
 */
public final class ReminderSweep {
    /** Re-reads of one invoice that keeps changing under the sweep before it is left for the next run. */
    static final int MAX_ATTEMPTS = 3;

    private final DynamoDbReminderStore store;
    private final DynamoDbCustomerStore customers;
    private final OutboxBatchSender sender;
    private final ReminderLadder ladder;
    private final ReminderStepMessages messages;

    ReminderSweep(DynamoDbReminderStore store, DynamoDbCustomerStore customers, OutboxBatchSender sender,
                  ReminderLadder ladder, ReminderStepMessages messages) {
        this.store = store;
        this.customers = customers;
        this.sender = sender;
        this.ladder = ladder;
        this.messages = messages;
    }

    /** The parts this sweep was built with: its SnapStart priming warms the same ones. */
    DynamoDbReminderStore store() {
        return store;
    }

    DynamoDbCustomerStore customers() {
        return customers;
    }

    ReminderLadder ladder() {
        return ladder;
    }

    ReminderStepMessages messages() {
        return messages;
    }

    public SweepResult run(Instant businessTime) {
        Instant t = businessTime.truncatedTo(ChronoUnit.SECONDS);
        Counts counts = new Counts();

        Map<String, AttributeValue> start = null;
        do {
            var page = store.pendingOutbox(t, start);
            counts.flushed += sender.send(page.items());
            start = page.next();
        } while (start != null);

        Map<String, Customer> customerCache = new HashMap<>();
        do {
            var page = store.dueInvoices(t, start);
            List<PendingMessage> toSend = new ArrayList<>();
            for (String invoiceId : page.items()) {
                counts.due++;
                toSend.addAll(sweepOne(invoiceId, t, customerCache, counts));
            }
            sender.send(toSend);
            start = page.next();
        } while (start != null);

        SweepResult result = new SweepResult(t.toString(), counts.due, counts.sent, counts.skipped, counts.escalated,
                counts.flushed);
        Log.event("reminder_sweep", "time", result.time(), "due", result.due(), "sent", result.sent(),
                "skipped", result.skipped(), "escalated", result.escalated(), "outboxFlushed", result.outboxFlushed());
        return result;
    }

    private static final class Counts {
        int due;
        int sent;
        int skipped;
        int escalated;
        int flushed;
    }

    /** Decides and records one invoice's step; returns the messages to send after the page. */
    private List<PendingMessage> sweepOne(String invoiceId, Instant t, Map<String, Customer> customerCache,
                                          Counts counts) {
        String pk = Keys.invoicePk(invoiceId);
        boolean conflicted = false;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Versioned<Invoice> current = store.invoice(invoiceId);
            if (current == null) {
                counts.skipped++;
                Log.event("reminder_skipped", "invoiceId", invoiceId, "reason", "invoice-missing");
                return List.of();
            }
            Invoice inv = current.value();
            LocalDate today = ReminderLadder.localDate(inv, t);
            ProgramConfig.ReminderStep step = ladder.dueStep(inv, today);
            if (step == null) {
                // Paid, void, disputed or paused since the index said due (it lags the table by a moment), or a
                // concurrent run recorded the step first. If an attempt of ours committed and then reported a
                // conflict, its messages are in the partition: send them with the page.
                counts.skipped++;
                Log.event("reminder_skipped", "invoiceId", invoiceId, "customerId", inv.customerId(),
                        "reason", "not-due", "status", inv.status().name());
                return conflicted ? store.pendingOf(invoiceId) : List.of();
            }
            Customer customer = customerCache.computeIfAbsent(inv.customerId(), id -> {
                var found = customers.find(id);
                return found == null ? null : found.value();
            });
            if (customer == null) {
                counts.skipped++;
                Log.event("reminder_skipped", "invoiceId", invoiceId, "customerId", inv.customerId(), "step", step.step(),
                        "reason", "customer-missing");
                return List.of();
            }
            List<Invoice.ReminderRecord> reminders = new ArrayList<>(inv.reminders());
            reminders.add(new Invoice.ReminderRecord(step.step(), t.toString()));
            try {
                if (!customer.remindersEnabled() || customer.autopay()) {
                    String reason = !customer.remindersEnabled() ? "reminders-disabled" : "autopay";
                    // The step is recorded (log item skipped=true, and in reminders[] so the ladder moves on and the
                    // invoice leaves today's index) but nothing is sent, escalations included.
                    Invoice updated = inv.toBuilder().reminders(reminders).updatedAt(t.toString()).build();
                    store.recordStep(updated, current.version(), DynamoDbReminderStore.StepLog.skipped(step.step(), reason),
                            List.of(), t.toString());
                    counts.skipped++;
                    Log.event("reminder_skipped", "invoiceId", invoiceId, "customerId", inv.customerId(),
                            "step", step.step(), "reason", reason);
                    return List.of();
                }
                Escalation escalation = ReminderStepMessages.escalationAfter(inv.escalation(), step);
                Invoice updated = inv.toBuilder().reminders(reminders).escalation(escalation)
                        .updatedAt(t.toString()).build();
                MailMessage reminder = messages.reminder(updated, customer, step, today);
                List<OutboxMessage> outbox = messages.of(updated, customer, step, today, t.toString(), reminder);
                store.recordStep(updated, current.version(),
                        DynamoDbReminderStore.StepLog.sent(step.step(), reminder.emailId()), outbox, t.toString());
                counts.sent++;
                if (escalation.compareTo(inv.escalation() == null ? Escalation.NONE : inv.escalation()) > 0) {
                    counts.escalated++;
                }
                Log.event("reminder_sent", "invoiceId", invoiceId, "customerId", inv.customerId(), "step", step.step(),
                        "emailId", reminder.emailId(), "escalation", escalation.name(), "localDate", today.toString());
                return outbox.stream().map(m -> new PendingMessage(pk, m)).toList();
            } catch (DynamoDbReminderStore.StepConflict e) {
                conflicted = true;
                Log.event("reminder_conflict", "invoiceId", invoiceId, "step", step.step(), "what", e.getMessage(),
                        "attempt", attempt);
            }
        }
        // Still changing after every attempt: it stays due in the index, and the next run decides on it.
        counts.skipped++;
        Log.event("reminder_skipped", "invoiceId", invoiceId, "reason", "contention");
        return store.pendingOf(invoiceId);
    }
}
