package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.Versioned;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.reminders.ReminderLadder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The daily sweep at business time {@code T} (the schedule's time, never the clock; SPEC §3):
 * <ol>
 *   <li><b>page</b> through the invoices whose next step is due ({@code REMINDER_DUE} index, 1 MB pages); the index
 *       holds the whole invoice, so the page is what the decisions start from;</li>
 *   <li><b>read the page's customers</b> not read yet in this run, in one batch;</li>
 *   <li>for each invoice, ask the ladder which step is due on the customer's local date and <b>record</b> it in one
 *       transaction with its reminder-log guard and one outbox item holding its messages (or record it as skipped for
 *       a customer with reminders disabled or autopay). A cancelled transaction (the invoice changed since the index
 *       showed it) → read the invoice consistently and decide again.</li>
 * </ol>
 * The sweep sends nothing itself: {@code OutboxRelayFunction} sends each committed outbox item from the table's
 * stream. A run that dies anywhere and runs again records the rest and nothing twice: a recorded step has left the
 * index (its key moved to the next step), and its messages were on the stream from the moment it committed.
 */
public final class ReminderSweep {
    /** Reads of one invoice that keeps changing under the sweep before it is left for the next run. */
    static final int MAX_ATTEMPTS = 3;

    private final DynamoDbReminderStore store;
    private final ReminderLadder ladder;
    private final ReminderStepMessages messages;

    ReminderSweep(DynamoDbReminderStore store, ReminderLadder ladder, ReminderStepMessages messages) {
        this.store = store;
        this.ladder = ladder;
        this.messages = messages;
    }

    /** The parts this sweep was built with: its SnapStart priming warms the same ones. */
    DynamoDbReminderStore store() {
        return store;
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
        Customers customers = new Customers();

        Map<String, AttributeValue> start = null;
        do {
            var page = store.dueInvoices(t, start);
            customers.read(page.items().stream().map(v -> v.value().customerId()).toList());
            for (Versioned<Invoice> listed : page.items()) {
                counts.due++;
                sweepOne(listed, t, customers, counts);
            }
            start = page.next();
        } while (start != null);

        SweepResult result = new SweepResult(t.toString(), counts.due, counts.sent, counts.skipped, counts.escalated);
        Log.event("reminder_sweep", "time", result.time(), "due", result.due(), "sent", result.sent(),
                "skipped", result.skipped(), "escalated", result.escalated());
        return result;
    }

    private static final class Counts {
        int due;
        int sent;
        int skipped;
        int escalated;
    }

    /** The run's customers: each read once, in one batch per page, whether it exists or not. */
    private final class Customers {
        private final Map<String, Customer> found = new HashMap<>();
        private final Set<String> asked = new LinkedHashSet<>();

        void read(List<String> customerIds) {
            List<String> unread = customerIds.stream().distinct().filter(id -> !asked.contains(id)).toList();
            if (unread.isEmpty()) {
                return;
            }
            found.putAll(store.customers(unread));
            asked.addAll(unread);
        }

        /** Null when the customer does not exist. */
        Customer get(String customerId) {
            read(List.of(customerId));
            return found.get(customerId);
        }
    }

    /**
     * Decides and records one invoice's step, starting from the invoice as the index listed it. Only when the step's
     * transaction is cancelled is the invoice read again (consistently): the version guard is what makes deciding on
     * the index's copy safe.
     */
    private void sweepOne(Versioned<Invoice> listed, Instant t, Customers customers, Counts counts) {
        String invoiceId = listed.value().invoiceId();
        Versioned<Invoice> current = listed;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (attempt > 1) {
                current = store.invoice(invoiceId);
                if (current == null) {
                    counts.skipped++;
                    Log.event("reminder_skipped", "invoiceId", invoiceId, "reason", "invoice-missing");
                    return;
                }
            }
            Invoice inv = current.value();
            LocalDate today = ReminderLadder.localDate(inv, t);
            ProgramConfig.ReminderStep step = ladder.dueStep(inv, today);
            if (step == null) {
                // Paid, void, disputed or paused since the index listed it, or a concurrent run recorded the step
                // first (whose messages the relay sends, as it does ours).
                counts.skipped++;
                Log.event("reminder_skipped", "invoiceId", invoiceId, "customerId", inv.customerId(),
                        "reason", "not-due", "status", inv.status().name());
                return;
            }
            Customer customer = customers.get(inv.customerId());
            if (customer == null) {
                counts.skipped++;
                Log.event("reminder_skipped", "invoiceId", invoiceId, "customerId", inv.customerId(), "step", step.step(),
                        "reason", "customer-missing");
                return;
            }
            List<Invoice.ReminderRecord> reminders = new ArrayList<>(inv.reminders());
            reminders.add(new Invoice.ReminderRecord(step.step(), t.toString()));
            try {
                if (!customer.remindersEnabled() || customer.autopay()) {
                    String reason = !customer.remindersEnabled() ? "reminders-disabled" : "autopay";
                    // The step is recorded (log item skipped=true, and in reminders[] so the ladder moves on and the
                    // invoice leaves today's index) but nothing is sent, escalations included: no outbox item.
                    Invoice updated = inv.toBuilder().reminders(reminders).updatedAt(t.toString()).build();
                    store.recordStep(updated, current.version(), DynamoDbReminderStore.StepLog.skipped(step.step(), reason),
                            List.of(), t.toString());
                    counts.skipped++;
                    Log.event("reminder_skipped", "invoiceId", invoiceId, "customerId", inv.customerId(),
                            "step", step.step(), "reason", reason);
                    return;
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
                return;
            } catch (DynamoDbReminderStore.StepConflict e) {
                Log.event("reminder_conflict", "invoiceId", invoiceId, "step", step.step(), "what", e.getMessage(),
                        "attempt", attempt);
            }
        }
        // Still changing after every attempt: it stays due in the index, and the next run decides on it.
        counts.skipped++;
        Log.event("reminder_skipped", "invoiceId", invoiceId, "reason", "contention");
    }
}
