package dev.invoiceloyalty.domain;

import java.util.List;

/**
 * An invoice as stored and as the API shows it (SPEC §4 shapes). Amounts are minor units of {@code currency};
 * dates are {@code YYYY-MM-DD} in the customer's time zone; instants are ISO-8601 UTC. Immutable: state
 * changes produce a new value through {@link InvoiceTransitions}.
 *
 * <p>{@code remindersPausedUntil}, {@code externalReference}, {@code earlyPaymentDiscount}, {@code paymentUrl}
 * and {@code closedAt} may be null: the API shows them as JSON null, which SPEC asks for ("always present").
 *
 * <p>Beyond SPEC's shape: {@code timeZone} is the customer's zone at issue (dates of this invoice are read in
 * it, so a payment webhook need not read the customer); {@code cashDiscountTaken} is what an early payment under
 * {@code earlyPaymentDiscount} saved; {@code amountCredited} is overpayment turned into customer credit;
 * {@code disputes} records each provider dispute. {@code closedAt} is when it stopped being receivable (the
 * provider's time of the settling payment, or the time of void / write-off).
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
        String closedAt,
        String timeZone,
        long cashDiscountTaken,
        long amountCredited,
        List<Dispute> disputes) {

    public Invoice {
        lineItems = copy(lineItems);
        discounts = copy(discounts);
        payments = copy(payments);
        refunds = copy(refunds);
        reminders = copy(reminders);
        disputes = copy(disputes);
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
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

    /** A provider dispute: {@code status} is the provider's ({@code needs_response}, {@code won}, {@code lost}...). */
    public record Dispute(String disputeId, String paymentId, long amount, String status, String openedAt,
                          String closedAt) {
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
        return toBuilder().status(status).disputed(disputed).remindersPausedUntil(remindersPausedUntil)
                .amountDue(amountDue).updatedAt(updatedAt).closedAt(closedAt).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable copy for state changes; {@link #build()} gives the new immutable invoice. */
    public static final class Builder {
        private final Invoice o;
        private InvoiceStatus status;
        private long amountPaid;
        private long amountDue;
        private long amountRefunded;
        private List<Payment> payments;
        private List<Refund> refunds;
        private List<ReminderRecord> reminders;
        private boolean disputed;
        private Escalation escalation;
        private String remindersPausedUntil;
        private String updatedAt;
        private String closedAt;
        private long cashDiscountTaken;
        private long amountCredited;
        private List<Dispute> disputes;

        private Builder(Invoice o) {
            this.o = o;
            status = o.status;
            amountPaid = o.amountPaid;
            amountDue = o.amountDue;
            amountRefunded = o.amountRefunded;
            payments = o.payments;
            refunds = o.refunds;
            reminders = o.reminders;
            disputed = o.disputed;
            escalation = o.escalation;
            remindersPausedUntil = o.remindersPausedUntil;
            updatedAt = o.updatedAt;
            closedAt = o.closedAt;
            cashDiscountTaken = o.cashDiscountTaken;
            amountCredited = o.amountCredited;
            disputes = o.disputes;
        }

        public Builder status(InvoiceStatus v) { status = v; return this; }
        public Builder amountPaid(long v) { amountPaid = v; return this; }
        public Builder amountDue(long v) { amountDue = v; return this; }
        public Builder amountRefunded(long v) { amountRefunded = v; return this; }
        public Builder payments(List<Payment> v) { payments = v; return this; }
        public Builder refunds(List<Refund> v) { refunds = v; return this; }
        public Builder reminders(List<ReminderRecord> v) { reminders = v; return this; }
        public Builder disputed(boolean v) { disputed = v; return this; }
        public Builder escalation(Escalation v) { escalation = v; return this; }
        public Builder remindersPausedUntil(String v) { remindersPausedUntil = v; return this; }
        public Builder updatedAt(String v) { updatedAt = v; return this; }
        public Builder closedAt(String v) { closedAt = v; return this; }
        public Builder cashDiscountTaken(long v) { cashDiscountTaken = v; return this; }
        public Builder amountCredited(long v) { amountCredited = v; return this; }
        public Builder disputes(List<Dispute> v) { disputes = v; return this; }

        public Invoice build() {
            return new Invoice(o.invoiceId, o.number, o.customerId, o.currency, status, o.issueDate, o.dueDate,
                    o.lineItems, o.subtotal, o.tax, o.discounts, o.total, amountPaid, amountDue, amountRefunded,
                    payments, refunds, reminders, disputed, escalation, remindersPausedUntil, o.earlyPaymentDiscount,
                    o.paymentUrl, o.externalReference, o.rewardOffer, o.createdAt, updatedAt, closedAt, o.timeZone,
                    cashDiscountTaken, amountCredited, disputes);
        }
    }
}
