package dev.invoiceloyalty.payments;

import dev.invoiceloyalty.domain.Invoice;

/**
 * A message on {@code PaymentsQueue} for the reward side: an invoice became paid ({@code PaymentRecorded}), or
 * money of a paid invoice went back ({@code RefundRecorded}, {@code DisputeLost}) so its rewards can be reversed.
 * {@code messageId} is stable per fact, so consumers dedupe redeliveries by it.
 *
 * @param paidAt     the provider time at which the invoice was paid in full
 * @param amount     the refunded or disputed amount (0 for PaymentRecorded)
 * @param reference  the refund or dispute id; null for PaymentRecorded
 * @param occurredAt the provider time of this fact
 * @param invoiceNumber the invoice's number, for emails
 */
public record PaymentMessage(String type, String messageId, String invoiceId, String customerId, String currency,
                             long total, String issueDate, String dueDate, String timeZone, String paidAt,
                             long amount, String reference, String occurredAt, String invoiceNumber) {
    public static final String PAYMENT_RECORDED = "PaymentRecorded";
    public static final String REFUND_RECORDED = "RefundRecorded";
    public static final String DISPUTE_LOST = "DisputeLost";

    public static PaymentMessage paymentRecorded(Invoice paid) {
        return new PaymentMessage(PAYMENT_RECORDED, PAYMENT_RECORDED + "#" + paid.invoiceId(), paid.invoiceId(),
                paid.customerId(), paid.currency(), paid.total(), paid.issueDate(), paid.dueDate(), paid.timeZone(),
                paid.closedAt(), 0, null, paid.closedAt(), paid.number());
    }

    public static PaymentMessage refundRecorded(Invoice inv, String refundId, long amount, String at) {
        return new PaymentMessage(REFUND_RECORDED, REFUND_RECORDED + "#" + inv.invoiceId() + "#" + refundId,
                inv.invoiceId(), inv.customerId(), inv.currency(), inv.total(), inv.issueDate(), inv.dueDate(),
                inv.timeZone(), inv.closedAt(), amount, refundId, at, inv.number());
    }

    public static PaymentMessage disputeLost(Invoice inv, String disputeId, long amount, String at) {
        return new PaymentMessage(DISPUTE_LOST, DISPUTE_LOST + "#" + inv.invoiceId() + "#" + disputeId,
                inv.invoiceId(), inv.customerId(), inv.currency(), inv.total(), inv.issueDate(), inv.dueDate(),
                inv.timeZone(), inv.closedAt(), amount, disputeId, at, inv.number());
    }
}
