package dev.invoiceloyalty.domain;

import java.util.List;

/**
 * An invoice as stored and as the API shows it (SPEC §4 shapes). Amounts are minor units of {@code currency};
 * dates are {@code YYYY-MM-DD} in the customer's time zone; instants are ISO-8601 UTC. Immutable: state
 * changes produce a new value through {@link InvoiceTransitions}.
 *
 * <p>{@code remindersPausedUntil}, {@code externalReference}, {@code earlyPaymentDiscount}, {@code paymentUrl}
 * and {@code closedAt} may be null: the API shows them as JSON null, which SPEC asks for ("always present").
 */
public record Invoice(
        String invoiceId,
        String number,
        String customerId,
        String currency,
        InvoiceStatus status,
        String issueDate,
        String dueDate,
        List<LineItem> lineItems,
        long subtotal,
        long tax,
        List<Discount> discounts,
        long total,
        long amountPaid,
        long amountDue,
        long amountRefunded,
        List<Payment> payments,
        List<Refund> refunds,
        List<ReminderRecord> reminders,
        boolean disputed,
        Escalation escalation,
        String remindersPausedUntil,
        EarlyPaymentDiscount earlyPaymentDiscount,
        String paymentUrl,
        String externalReference,
        RewardOffer rewardOffer,
        String createdAt,
        String updatedAt,
        String closedAt) {

    public Invoice {
        lineItems = List.copyOf(lineItems);
        discounts = List.copyOf(discounts);
        payments = List.copyOf(payments);
        refunds = List.copyOf(refunds);
        reminders = List.copyOf(reminders);
    }

    /** One line: {@code amount} = quantity × unitAmount and {@code tax} = amount × taxRate / 100, each rounded. */
    public record LineItem(String description, String quantity, long unitAmount, String taxRate, long amount, long tax) {
    }

    /** A reduction of the total, such as an applied reward credit. {@code source} names the ledger entry, or null. */
    public record Discount(String description, long amount, String source) {
    }

    public record Payment(String paymentId, String provider, long amount, String paidAt) {
    }

    public record Refund(String refundId, long amount, String refundedAt) {
    }

    public record ReminderRecord(String step, String sentAt) {
    }

    /**
     * Cash discount terms: a payment of at least {@code minimumPayment} on or before {@code payBy} settles the
     * invoice in full; {@code discountAmount} is what the customer saves.
     */
    public record EarlyPaymentDiscount(String percent, int withinDays, String payBy, long discountAmount,
                                       long minimumPayment) {
    }

    Invoice with(InvoiceStatus status, boolean disputed, String remindersPausedUntil, long amountDue,
                 String updatedAt, String closedAt) {
        return new Invoice(invoiceId, number, customerId, currency, status, issueDate, dueDate, lineItems, subtotal,
                tax, discounts, total, amountPaid, amountDue, amountRefunded, payments, refunds, reminders, disputed,
                escalation, remindersPausedUntil, earlyPaymentDiscount, paymentUrl, externalReference, rewardOffer,
                createdAt, updatedAt, closedAt);
    }
}
