package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.mail.MailMessage;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What sending one step announces (SPEC §7, §9), as outbox messages committed with the step:
 * <ul>
 *   <li>the customer's reminder email ({@code reminder#<invoiceId>#<step>}), which the mailer sends only if the
 *       invoice is still collectible when it gets to it;</li>
 *   <li>at a step that escalates to {@code AR_TEAM} ({@code overdue_30} by default): the hand-off email to the AR team
 *       with the reminder history;</li>
 *   <li>at a step that escalates to {@code COLLECTIONS} ({@code collections_60}): the hand-off email to collections
 *       and the {@code InvoiceEscalated} event, whose detail is the invoice with its full reminder history;</li>
 *   <li>{@code ReminderSent} for every step sent.</li>
 * </ul>
 * Which step escalates where is the configuration's {@code escalation}, not a step name.
 */
final class ReminderStepMessages {
    static final String REMINDER_SENT = "ReminderSent";
    static final String INVOICE_ESCALATED = "InvoiceEscalated";

    private final Emails emails;
    private final String arTeamEmail;
    private final String collectionsEmail;

    ReminderStepMessages(Emails emails, String arTeamEmail, String collectionsEmail) {
        this.emails = emails;
        this.arTeamEmail = arTeamEmail;
        this.collectionsEmail = collectionsEmail;
    }

    /**
     * The detail of {@code ReminderSent}: the reminder-log entry with its ids.
     *
     * @param escalation the invoice's escalation after this step
     */
    record ReminderSentDetail(String invoiceId, String customerId, String invoiceNumber, String step, String tone,
                              String sentAt, String emailId, String currency, long amountDue, String dueDate,
                              Escalation escalation) {
    }

    /** The escalation an invoice has after {@code step}: the step's, if higher; never lower than it was. */
    static Escalation escalationAfter(Escalation current, ProgramConfig.ReminderStep step) {
        Escalation now = current == null ? Escalation.NONE : current;
        if (step.escalation() == null) {
            return now;
        }
        Escalation stepLevel = Escalation.valueOf(step.escalation());
        return stepLevel.compareTo(now) > 0 ? stepLevel : now;
    }

    /** The customer's email of the step; its id is the reminder log's {@code emailId}. */
    MailMessage reminder(Invoice updated, Customer c, ProgramConfig.ReminderStep step, LocalDate today) {
        return emails.reminder(updated, c, step, c.loyalty().paidInvoices(), today);
    }

    /**
     * @param updated  the invoice after the step: the step is in its {@code reminders}, its escalation raised
     * @param reminder the customer's email, from {@link #reminder}
     */
    List<OutboxMessage> of(Invoice updated, Customer c, ProgramConfig.ReminderStep step, LocalDate today, String sentAt,
                           MailMessage reminder) {
        List<OutboxMessage> out = new ArrayList<>();
        out.add(mail(reminder));
        if ("AR_TEAM".equals(step.escalation())) {
            out.add(mail(emails.arEscalation(updated, c, arTeamEmail, today)));
        }
        if ("COLLECTIONS".equals(step.escalation())) {
            out.add(mail(emails.collectionsEscalation(updated, c, collectionsEmail, today)));
            out.add(OutboxMessage.event(INVOICE_ESCALATED + "#" + updated.invoiceId(), INVOICE_ESCALATED,
                    Json.write(updated)));
        }
        out.add(OutboxMessage.event(REMINDER_SENT + "#" + updated.invoiceId() + "#" + step.step(), REMINDER_SENT,
                Json.write(new ReminderSentDetail(updated.invoiceId(), updated.customerId(), updated.number(),
                        step.step(), step.tone(), sentAt, reminder.emailId(), updated.currency(), updated.amountDue(),
                        updated.dueDate(), updated.escalation()))));
        return out;
    }

    private static OutboxMessage mail(MailMessage m) {
        return OutboxMessage.mail(m.emailId(), Json.write(m));
    }
}
