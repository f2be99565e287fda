package dev.invoiceloyalty.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;

/**
 * The client actions of {@code POST /invoices/{id}/actions/{action}} as pure state transitions. An action must
 * change something: one the current state does not allow, repeats included (voiding a void invoice), is a 422,
 * as Stripe answers; the client reads the invoice to see its state.
 */
public final class InvoiceTransitions {
    private InvoiceTransitions() {
    }

    public enum Action {
        VOID("void"), MARK_UNCOLLECTIBLE("mark-uncollectible"), DISPUTE("dispute"), RESOLVE_DISPUTE("resolve-dispute"),
        PAUSE_REMINDERS("pause-reminders"), RESUME_REMINDERS("resume-reminders");

        private final String path;

        Action(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }

        /** The action named in the path, or null. */
        public static Action fromPath(String path) {
            for (Action a : values()) {
                if (a.path.equals(path == null ? null : path.toLowerCase(Locale.ROOT))) {
                    return a;
                }
            }
            return null;
        }
    }

    /**
     * Applies {@code action}. {@code until} is required for {@link Action#PAUSE_REMINDERS} and ignored otherwise;
     * {@code timeZone} is the customer's, for "today".
     */
    public static Invoice apply(Invoice invoice, Action action, LocalDate until, String timeZone, Instant now) {
        InvoiceStatus s = invoice.status();
        String at = now.toString();
        switch (action) {
            case VOID -> {
                // Money already received must be refunded first; voiding would hide it from reconciliation.
                if (s != InvoiceStatus.OPEN || invoice.amountPaid() > 0) {
                    throw notAllowed(invoice, action, "only an open invoice without payments can be voided");
                }
                return invoice.with(InvoiceStatus.VOID, invoice.disputed(), invoice.remindersPausedUntil(), 0, at, at);
            }
            case MARK_UNCOLLECTIBLE -> {
                if (!s.isCollectible()) {
                    throw notAllowed(invoice, action, "only an open or partially paid invoice can be marked uncollectible");
                }
                return invoice.with(InvoiceStatus.UNCOLLECTIBLE, invoice.disputed(), invoice.remindersPausedUntil(),
                        invoice.amountDue(), at, at);
            }
            case DISPUTE -> {
                if (s == InvoiceStatus.VOID || invoice.disputed()) {
                    throw notAllowed(invoice, action, invoice.disputed() ? "the invoice is already disputed"
                            : "a void invoice cannot be disputed");
                }
                return invoice.with(s, true, invoice.remindersPausedUntil(), invoice.amountDue(), at, invoice.closedAt());
            }
            case RESOLVE_DISPUTE -> {
                if (!invoice.disputed()) {
                    throw notAllowed(invoice, action, "the invoice is not disputed");
                }
                return invoice.with(s, false, invoice.remindersPausedUntil(), invoice.amountDue(), at, invoice.closedAt());
            }
            case PAUSE_REMINDERS -> {
                if (!s.isCollectible()) {
                    throw notAllowed(invoice, action, "reminders apply only to open or partially paid invoices");
                }
                LocalDate today = LocalDate.ofInstant(now, ZoneId.of(timeZone));
                if (until == null) {
                    throw ProblemException.invalid("until", "is required: the date until which reminders pause");
                }
                if (!until.isAfter(today)) {
                    throw ProblemException.invalid("until", "must be after today (" + today + ")");
                }
                return invoice.with(s, invoice.disputed(), until.toString(), invoice.amountDue(), at, invoice.closedAt());
            }
            case RESUME_REMINDERS -> {
                if (invoice.remindersPausedUntil() == null) {
                    throw notAllowed(invoice, action, "reminders are not paused");
                }
                return invoice.with(s, invoice.disputed(), null, invoice.amountDue(), at, invoice.closedAt());
            }
            default -> throw new IllegalArgumentException(action.name());
        }
    }

    private static ProblemException notAllowed(Invoice invoice, Action action, String why) {
        return ProblemException.unprocessable("invalid-state",
                action.path() + " is not allowed on invoice " + invoice.invoiceId() + " with status "
                        + invoice.status() + (invoice.disputed() ? " (disputed)" : "") + ": " + why);
    }
}
