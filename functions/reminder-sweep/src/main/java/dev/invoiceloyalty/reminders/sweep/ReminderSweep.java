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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
 *   <li>for each invoice, ask the ladder which step is due on the customer's local date (or whether it is skipped,
 *       for a customer with reminders disabled or autopay); then <b>record</b> the page's steps in groups of up to 33
 *       (DynamoDB's 100 items a transaction, 3 a step), one transaction per group, each step with its reminder-log
 *       guard and one outbox item holding its messages. A cancelled group wrote nothing: a step whose invoice changed
 *       since the index showed it (or whose step is logged already) → read the invoice consistently and decide again;
 *       the group's other steps go into the next group as they were.</li>
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
            List<Decided> decided = new ArrayList<>();
            for (Versioned<Invoice> listed : page.items()) {
                counts.due++;
                Decided d = decide(listed.value().invoiceId(), listed, 1, t, customers, counts);
                if (d != null) {
                    decided.add(d);
                }
            }
            record(decided, t, customers, counts);
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
     * A step decided for one invoice, with what its commit is counted and logged as: {@code skipReason} for a step
     * recorded as skipped (no outbox item), else the reminder email it sends.
     */
    private record Decided(DynamoDbReminderStore.Step step, Invoice before, LocalDate today, String skipReason,
                           MailMessage reminder) {
        String invoiceId() {
            return before.invoiceId();
        }
    }

    /**
     * Decides one invoice's step on {@code current} (the index's copy at the first attempt, a consistent read after a
     * cancelled one); null when there is nothing to record, counted and logged as skipped here. The version guard of
     * the step's transaction is what makes deciding on the index's copy safe.
     */
    private Decided decide(String invoiceId, Versioned<Invoice> current, int attempt, Instant t, Customers customers,
                           Counts counts) {
        if (current == null) {
            counts.skipped++;
            Log.event("reminder_skipped", "invoiceId", invoiceId, "reason", "invoice-missing");
            return null;
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
            return null;
        }
        Customer customer = customers.get(inv.customerId());
        if (customer == null) {
            counts.skipped++;
            Log.event("reminder_skipped", "invoiceId", invoiceId, "customerId", inv.customerId(), "step", step.step(),
                    "reason", "customer-missing");
            return null;
        }
        List<Invoice.ReminderRecord> reminders = new ArrayList<>(inv.reminders());
        reminders.add(new Invoice.ReminderRecord(step.step(), t.toString()));
        if (!customer.remindersEnabled() || customer.autopay()) {
            String reason = !customer.remindersEnabled() ? "reminders-disabled" : "autopay";
            // The step is recorded (log item skipped=true, and in reminders[] so the ladder moves on and the
            // invoice leaves today's index) but nothing is sent, escalations included: no outbox item.
            Invoice updated = inv.toBuilder().reminders(reminders).updatedAt(t.toString()).build();
            return new Decided(new DynamoDbReminderStore.Step(updated, current.version(),
                    DynamoDbReminderStore.StepLog.skipped(step.step(), reason), List.of(), t.toString(), attempt),
                    inv, today, reason, null);
        }
        Escalation escalation = ReminderStepMessages.escalationAfter(inv.escalation(), step);
        Invoice updated = inv.toBuilder().reminders(reminders).escalation(escalation).updatedAt(t.toString()).build();
        MailMessage reminder = messages.reminder(updated, customer, step, today);
        List<OutboxMessage> outbox = messages.of(updated, customer, step, today, t.toString(), reminder);
        return new Decided(new DynamoDbReminderStore.Step(updated, current.version(),
                DynamoDbReminderStore.StepLog.sent(step.step(), reminder.emailId()), outbox, t.toString(), attempt),
                inv, today, null, reminder);
    }

    /**
     * Records a page's decided steps, in index order, one transaction per group ({@link DynamoDbReminderStore#firstGroup}).
     * A cancelled group wrote nothing: its steps that met a guard or a concurrent write are read again (consistently)
     * and decided again, up to {@link #MAX_ATTEMPTS} decisions per invoice; the others go unchanged, with the
     * re-decided ones, into the next group. A step is counted and logged only once its group has committed.
     */
    private void record(List<Decided> decided, Instant t, Customers customers, Counts counts) {
        Deque<Decided> queue = new ArrayDeque<>(decided);
        while (!queue.isEmpty()) {
            List<DynamoDbReminderStore.Step> steps = queue.stream().map(Decided::step).toList();
            int n = store.firstGroup(steps);
            List<Decided> group = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                group.add(queue.removeFirst());
            }
            DynamoDbReminderStore.GroupOutcome outcome = store.recordSteps(steps.subList(0, n));
            List<Decided> again = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Decided d = group.get(i);
                switch (outcome.outcomes().get(i)) {
                    case COMMITTED -> committed(d, counts);
                    case NOT_ATTEMPTED -> again.add(d);
                    case CONFLICT -> {
                        int attempt = d.step().attempt();
                        Log.event("reminder_conflict", "invoiceId", d.invoiceId(), "step", d.step().log().step(),
                                "what", outcome.what().get(i), "attempt", attempt);
                        if (attempt >= MAX_ATTEMPTS) {
                            // Still changing after every attempt: it stays due in the index, and the next run decides on it.
                            counts.skipped++;
                            Log.event("reminder_skipped", "invoiceId", d.invoiceId(), "reason", "contention");
                        } else {
                            Decided next = decide(d.invoiceId(), store.invoice(d.invoiceId()), attempt + 1, t,
                                    customers, counts);
                            if (next != null) {
                                again.add(next);
                            }
                        }
                    }
                }
            }
            for (int i = again.size() - 1; i >= 0; i--) {
                queue.addFirst(again.get(i));
            }
        }
    }

    private static void committed(Decided d, Counts counts) {
        Invoice inv = d.before();
        String step = d.step().log().step();
        if (d.skipReason() != null) {
            counts.skipped++;
            Log.event("reminder_skipped", "invoiceId", d.invoiceId(), "customerId", inv.customerId(),
                    "step", step, "reason", d.skipReason());
            return;
        }
        Escalation escalation = d.step().updated().escalation();
        counts.sent++;
        if (escalation.compareTo(inv.escalation() == null ? Escalation.NONE : inv.escalation()) > 0) {
            counts.escalated++;
        }
        Log.event("reminder_sent", "invoiceId", d.invoiceId(), "customerId", inv.customerId(), "step", step,
                "emailId", d.reminder().emailId(), "escalation", escalation.name(), "localDate", d.today().toString());
    }
}
