package dev.invoiceloyalty.payments;

import java.time.Instant;

/**
 * A payment provider's webhook event, normalised: what happened, to which provider payment and (when the provider
 * says) which invoice, and when the provider says it happened. Amounts are minor units; currencies upper case.
 */
public sealed interface ProviderEvent {
    String provider();

    String eventId();

    /** Money received for {@code paymentId}. {@code invoiceId} may be null (the provider had none). */
    record PaymentSucceeded(String provider, String eventId, String paymentId, long amount, String currency,
                            String invoiceId, Instant occurredAt) implements ProviderEvent {
    }

    /**
     * Money returned. With {@code cumulative} (Stripe's {@code amount_refunded}) {@code amount} is the total refunded
     * so far for {@code refundId} (the charge), so a redelivered or reordered event never refunds twice; otherwise
     * (Square) {@code amount} is this refund alone, keyed by its own {@code refundId}.
     */
    record Refund(String provider, String eventId, String refundId, String paymentId, long amount, boolean cumulative,
                  String currency, String invoiceId, Instant occurredAt) implements ProviderEvent {
    }

    /** A dispute opened ({@code closed} false) or closed with the provider's {@code status} (won, lost...). */
    record Dispute(String provider, String eventId, String disputeId, String paymentId, long amount, String status,
                   boolean closed, String invoiceId, Instant occurredAt) implements ProviderEvent {
        public boolean lost() {
            return closed && "lost".equalsIgnoreCase(status);
        }
    }

    /** An event type the product does not act on; answered 200 so the provider stops sending it. */
    record Ignored(String provider, String eventId, String type) implements ProviderEvent {
    }
}
