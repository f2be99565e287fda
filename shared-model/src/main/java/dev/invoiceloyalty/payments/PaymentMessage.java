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
 * @param amountPaid    PaymentRecorded only: what the customer paid in total, for the thank-you email
 * @param cashDiscount  PaymentRecorded only: the cash discount taken (0 if none)
 * @param credited      PaymentRecorded only: customer credit applied to the invoice (0 if none)
 *
 * <p>The reward side sends the thank-you email of a {@code PaymentRecorded} ({@code payment-received#<invoiceId>})
 * together with its reward emails, so the webhook makes one SQS call per completing payment (issue 8); the three
 * receipt fields carry what that email shows.
 */
public record PaymentMessage(String type, String messageId, String invoiceId, String customerId, String currency,
                             long total, String issueDate, String dueDate, String timeZone, String paidAt,
                             long amount, String reference, String occurredAt, String invoiceNumber,
                             long amountPaid, long cashDiscount, long credited) {
    public static final String PAYMENT_RECORDED = "PaymentRecorded";
    public static final String REFUND_RECORDED = "RefundRecorded";
    public static final String DISPUTE_LOST = "DisputeLost";

    public static PaymentMessage paymentRecorded(Invoice paid) {
        return new PaymentMessage(PAYMENT_RECORDED, PAYMENT_RECORDED + "#" + paid.invoiceId(), paid.invoiceId(),
                paid.customerId(), paid.currency(), paid.total(), paid.issueDate(), paid.dueDate(), paid.timeZone(),
                paid.closedAt(), 0, null, paid.closedAt(), paid.number(), paid.amountPaid(), paid.cashDiscountTaken(),
                paid.amountCredited());
    }

    public static PaymentMessage refundRecorded(Invoice inv, String refundId, long amount, String at) {
        return new PaymentMessage(REFUND_RECORDED, REFUND_RECORDED + "#" + inv.invoiceId() + "#" + refundId,
                inv.invoiceId(), inv.customerId(), inv.currency(), inv.total(), inv.issueDate(), inv.dueDate(),
                inv.timeZone(), inv.closedAt(), amount, refundId, at, inv.number(), 0, 0, 0);
    }

    public static PaymentMessage disputeLost(Invoice inv, String disputeId, long amount, String at) {
        return new PaymentMessage(DISPUTE_LOST, DISPUTE_LOST + "#" + inv.invoiceId() + "#" + disputeId,
                inv.invoiceId(), inv.customerId(), inv.currency(), inv.total(), inv.issueDate(), inv.dueDate(),
                inv.timeZone(), inv.closedAt(), amount, disputeId, at, inv.number(), 0, 0, 0);
    }
}
