package dev.invoiceloyalty.payments;

/** A refund that arrived before its payment, kept on the payment's stub until the payment arrives. */
public record HeldRefund(String refundId, long amount, boolean cumulative, String occurredAt) {
}
