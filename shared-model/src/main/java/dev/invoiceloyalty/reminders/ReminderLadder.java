package dev.invoiceloyalty.reminders;

import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Invoice;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The reminder ladder of SPEC §7 (from the program configuration) as pure functions of an invoice. Dates are the
 * customer's local dates (the invoice carries its time zone). Each step is sent at most once; after missed runs
 * only the latest due step is sent; a step is never sent after a later one. Reminders pause through the
 * {@code remindersPausedUntil} date (inclusive) and resume the day after.
 */
public final class ReminderLadder {
    private static volatile ReminderLadder current;

    private final List<ProgramConfig.ReminderStep> steps;

    public ReminderLadder(ProgramConfig config) {
        this.steps = config.reminders().steps();
    }

    /** The ladder of this container's configuration. */
    public static ReminderLadder current() {
        ReminderLadder l = current;
        if (l == null) {
            l = new ReminderLadder(ProgramConfig.fromEnvironment());
            current = l;
        }
        return l;
    }

    public List<ProgramConfig.ReminderStep> steps() {
        return steps;
    }

    public LocalDate dateOf(ProgramConfig.ReminderStep step, Invoice inv) {
        return LocalDate.parse(inv.dueDate()).plusDays(step.offsetDays());
    }

    /** Index in the ladder of the latest step already sent (or skipped), -1 before the first. */
    public int lastSent(Invoice inv) {
        int last = -1;
        for (Invoice.ReminderRecord r : inv.reminders()) {
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).step().equals(r.step())) {
                    last = Math.max(last, i);
                }
            }
        }
        return last;
    }

    private static boolean eligible(Invoice inv) {
        return inv.status().isCollectible() && !inv.disputed();
    }

    /**
     * When the next step can fall due: the start of its local date, or of the day after a pause if later.
     * Null when no reminder can come (paid, void, uncollectible, disputed, ladder done): the invoice then leaves
     * the sweep's index, so the sweep never reads it.
     */
    public Instant nextDue(Invoice inv) {
        if (!eligible(inv)) {
            return null;
        }
        int next = lastSent(inv) + 1;
        if (next >= steps.size()) {
            return null;
        }
        LocalDate date = dateOf(steps.get(next), inv);
        if (inv.remindersPausedUntil() != null) {
            LocalDate resume = LocalDate.parse(inv.remindersPausedUntil()).plusDays(1);
            if (resume.isAfter(date)) {
                date = resume;
            }
        }
        return date.atStartOfDay(zone(inv)).toInstant();
    }

    /** The step to send on local date {@code today}: the latest one due after the last sent, or null. */
    public ProgramConfig.ReminderStep dueStep(Invoice inv, LocalDate today) {
        if (!eligible(inv)) {
            return null;
        }
        if (inv.remindersPausedUntil() != null && !today.isAfter(LocalDate.parse(inv.remindersPausedUntil()))) {
            return null;
        }
        ProgramConfig.ReminderStep due = null;
        for (int i = lastSent(inv) + 1; i < steps.size(); i++) {
            if (!dateOf(steps.get(i), inv).isAfter(today)) {
                due = steps.get(i);
            }
        }
        return due;
    }

    /** The customer's local date at {@code instant}. */
    public static LocalDate localDate(Invoice inv, Instant instant) {
        return LocalDate.ofInstant(instant, zone(inv));
    }

    private static ZoneId zone(Invoice inv) {
        return ZoneId.of(inv.timeZone() == null ? "UTC" : inv.timeZone());
    }
}
