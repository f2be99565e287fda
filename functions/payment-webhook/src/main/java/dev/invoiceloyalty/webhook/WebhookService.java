package dev.invoiceloyalty.webhook;

import dev.invoiceloyalty.adapters.WriteConflict;
import dev.invoiceloyalty.adapters.AlreadyProcessed;
import dev.invoiceloyalty.adapters.DynamoDbPaymentStore;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.Versioned;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.domain.ProblemException;
import dev.invoiceloyalty.payments.HeldRefund;
import dev.invoiceloyalty.payments.PaymentApplication;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.payments.ProviderEvent;
import dev.invoiceloyalty.payments.SquareEvents;
import dev.invoiceloyalty.payments.StripeEvents;
import dev.invoiceloyalty.payments.WebhookSignatures;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /webhooks/{provider}}: verify over the raw bytes, parse, and apply the event exactly once.
 *
 * <p>Exactly once: one transaction writes the provider event's dedup record together with every state change, and
 * the messages the event announces ride on that record ({@code relay = "outbox"}). Nothing is sent here:
 * {@code OutboxRelayFunction} sends them from the table's stream once the transaction has committed, so the
 * messages exist if and only if the change does. A provider retry of a committed event fails on the dedup record and
 * answers "duplicate" with nothing to send; a retry of an uncommitted one does it all.
 */
public final class WebhookService {
    /** Stripe's default tolerance (https://docs.stripe.com/webhooks#verify-manually). */
    static final Duration STRIPE_TOLERANCE = WebhookSignatures.STRIPE_DEFAULT_TOLERANCE;
    private static final int MAX_ATTEMPTS = 30;

    /** The answer: status and a small JSON body. */
    public record Result(int status, String body) {
    }

    private final DynamoDbPaymentStore payments;
    private final WebhookSecrets secrets;
    private final Clock clock;

    public WebhookService(DynamoDbPaymentStore payments, WebhookSecrets secrets, Clock clock) {
        this.payments = payments;
        this.secrets = secrets;
        this.clock = clock;
    }

    public Result handle(String provider, String signatureHeader, byte[] rawBody) {
        ProviderEvent event = switch (provider) {
            case StripeEvents.PROVIDER -> {
                verified(WebhookSignatures.verifyStripe(rawBody, signatureHeader, secrets.stripeSecrets(),
                        clock.instant(), STRIPE_TOLERANCE), provider);
                yield StripeEvents.parse(rawBody);
            }
            case SquareEvents.PROVIDER -> {
                verified(WebhookSignatures.verifySquare(rawBody, signatureHeader, secrets.squareSignatureKey(),
                        secrets.squareNotificationUrl()), provider);
                yield SquareEvents.parse(rawBody);
            }
            default -> throw ProblemException.notFound("unknown payment provider " + provider);
        };
        if (event instanceof ProviderEvent.Ignored ignored) {
            Log.event("webhook_ignored", "provider", provider, "eventId", ignored.eventId(), "eventType", ignored.type());
            return ok(event, "ignored");
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                Applied applied;
                if (event instanceof ProviderEvent.PaymentSucceeded p) {
                    applied = payment(p);
                } else if (event instanceof ProviderEvent.Refund r) {
                    applied = refund(r);
                } else {
                    applied = dispute((ProviderEvent.Dispute) event);
                }
                applied.commit().run();
                Log.event("webhook_applied", "provider", provider, "eventId", event.eventId(),
                        "outcome", applied.outcome(), "invoiceId", applied.invoiceId(), "attempts", attempt);
                return ok(event, applied.outcome());
            } catch (AlreadyProcessed d) {
                // Its messages were committed with the dedup record and are the relay's to send: nothing to resend.
                Log.event("webhook_duplicate", "provider", provider, "eventId", event.eventId(),
                        "committedMessages", d.messages().size());
                return ok(event, "duplicate");
            } catch (WriteConflict e) {
                backOff(attempt);
            }
        }
        throw new ProblemException(503, "contention", "Busy", "the invoice is changing concurrently; retry", List.of());
    }

    /** The event's transaction, built but not run (the messages it announces are on its dedup record). */
    private record Applied(DynamoDbPaymentStore.Commit commit, String outcome, String invoiceId) {
    }

    private Applied payment(ProviderEvent.PaymentSucceeded p) {
        Instant now = clock.instant();
        var loaded = payments.load(p.provider(), p.paymentId(), p.invoiceId());
        if (loaded.stub().recorded()) {
            // The same provider payment under another event id (Square sends payment.updated more than once).
            return new Applied(payments.commit(p.provider(), p.eventId(), "payment-already-recorded", List.of(), now),
                    "payment-already-recorded", loaded.stub().invoiceId());
        }
        Versioned<Invoice> current = loaded.invoice();
        var outcome = PaymentApplication.applyPayment(current == null ? null : current.value(), p.invoiceId() != null, p,
                loaded.stub().held(), now);
        int held = loaded.stub().held().size();
        if (outcome.unapplied() != null) {
            var commit = payments.commit(p.provider(), p.eventId(), "unapplied", List.of(), now)
                    .paymentRecorded(p.provider(), p.paymentId(), DynamoDbPaymentStore.UNAPPLIED, p.amount(), p.currency(), held)
                    .unapplied(p.provider(), p.paymentId(), p.amount(), p.currency(), p.invoiceId(),
                            outcome.unapplied().name(), p.occurredAt().toString());
            return new Applied(commit, "unapplied:" + outcome.unapplied().name(), p.invoiceId());
        }
        Invoice inv = outcome.invoice();
        List<OutboxMessage> messages = new ArrayList<>();
        Invoice.Payment recorded = inv.payments().get(inv.payments().size() - 1);
        messages.add(OutboxMessage.event("PaymentRecorded#" + p.provider() + "#" + p.paymentId(), "PaymentRecorded",
                Json.write(new PaymentRecordedDetail(inv.invoiceId(), inv.customerId(), inv.currency(), recorded))));
        if (outcome.completed()) {
            // The reward side queues the thank-you email with its reward emails, from what PaymentMessage carries.
            messages.add(OutboxMessage.payment(PaymentMessage.PAYMENT_RECORDED + "#" + inv.invoiceId(),
                    PaymentMessage.PAYMENT_RECORDED, Json.write(PaymentMessage.paymentRecorded(inv))));
            messages.add(OutboxMessage.event("InvoicePaid#" + inv.invoiceId(), "InvoicePaid", Json.write(inv)));
        }
        if (inv.status() == InvoiceStatus.PAID) {
            // Refunds held before this payment and applied now: announced as if they had arrived after it.
            for (Invoice.Refund refund : inv.refunds()) {
                if (!current.value().refunds().contains(refund)) {
                    var m = PaymentMessage.refundRecorded(inv, refund.refundId(), refund.amount(), refund.refundedAt());
                    messages.add(OutboxMessage.payment(m.messageId(), m.type(), Json.write(m)));
                }
            }
        }
        if (outcome.completed()) {
            // Disputes lost before the invoice was paid: the reward side learns of them once it is.
            for (Invoice.Dispute d : inv.disputes()) {
                if (d.closedAt() != null && "lost".equalsIgnoreCase(d.status())) {
                    var m = PaymentMessage.disputeLost(inv, d.disputeId(), d.amount(), d.closedAt());
                    messages.add(OutboxMessage.payment(m.messageId(), m.type(), Json.write(m)));
                }
            }
        }
        var commit = payments.commit(p.provider(), p.eventId(), outcome.completed() ? "paid" : "payment-recorded",
                        messages, now)
                .invoice(inv, current.version())
                .paymentRecorded(p.provider(), p.paymentId(), inv.invoiceId(), p.amount(), p.currency(), held);
        if (outcome.overpayment() > 0) {
            commit.overpaymentCredit(inv.customerId(), inv.invoiceId(), p.paymentId(), outcome.overpayment(), inv.currency());
        }
        String result = outcome.completed() ? "paid"
                : outcome.overpayment() > 0 ? "credited" : inv.status().name().toLowerCase(java.util.Locale.ROOT);
        return new Applied(commit, result, inv.invoiceId());
    }

    /** The integration event of one recorded payment (SPEC §9: the entity, with ids). */
    record PaymentRecordedDetail(String invoiceId, String customerId, String currency, Invoice.Payment payment) {
    }

    private Applied refund(ProviderEvent.Refund r) {
        Instant now = clock.instant();
        if (r.paymentId() == null) {
            // A charge made without a PaymentIntent: nothing of ours to refund against. Acknowledge (a 4xx would
            // make the provider retry for days) and leave the trace in the dedup record and the log.
            Log.event("webhook_refund_unmatched", "provider", r.provider(), "eventId", r.eventId(), "refundId", r.refundId());
            return new Applied(payments.commit(r.provider(), r.eventId(), "refund-unmatched", List.of(), now),
                    "refund-unmatched", null);
        }
        var loaded = payments.load(r.provider(), r.paymentId(), null);
        if (!loaded.stub().recorded()) {
            var held = new HeldRefund(r.refundId(), r.amount(), r.cumulative(), r.occurredAt().toString());
            return new Applied(payments.commit(r.provider(), r.eventId(), "refund-held", List.of(), now)
                    .holdRefund(r.provider(), r.paymentId(), held), "refund-held", null);
        }
        if (loaded.stub().unapplied() || loaded.invoice() == null) {
            // Money returned on a payment that never reached an invoice: the provider's records reconcile it.
            return new Applied(payments.commit(r.provider(), r.eventId(), "refund-of-unapplied", List.of(), now),
                    "refund-of-unapplied", null);
        }
        Versioned<Invoice> current = loaded.invoice();
        var outcome = PaymentApplication.applyRefund(current.value(), r, now);
        if (outcome.delta() == 0) {
            return new Applied(payments.commit(r.provider(), r.eventId(), "refund-already-recorded", List.of(), now),
                    "refund-already-recorded", current.value().invoiceId());
        }
        List<OutboxMessage> messages = new ArrayList<>();
        Invoice inv = outcome.invoice();
        if (inv.status() == InvoiceStatus.PAID) {
            var m = PaymentMessage.refundRecorded(inv, outcome.refundId(), outcome.delta(), r.occurredAt().toString());
            messages.add(OutboxMessage.payment(m.messageId(), m.type(), Json.write(m)));
        }
        return new Applied(payments.commit(r.provider(), r.eventId(), "refund-recorded", messages, now)
                .invoice(inv, current.version()), "refund-recorded", inv.invoiceId());
    }

    private Applied dispute(ProviderEvent.Dispute d) {
        Instant now = clock.instant();
        var loaded = d.paymentId() != null ? payments.load(d.provider(), d.paymentId(), d.invoiceId())
                : payments.load(d.provider(), "-", d.invoiceId());
        Versioned<Invoice> current = loaded.invoice();
        if (current == null) {
            Log.event("webhook_dispute_unmatched", "provider", d.provider(), "eventId", d.eventId(), "disputeId", d.disputeId());
            return new Applied(payments.commit(d.provider(), d.eventId(), "dispute-unmatched", List.of(), now),
                    "dispute-unmatched", null);
        }
        var outcome = PaymentApplication.applyDispute(current.value(), d, now);
        if (!outcome.changed()) {
            return new Applied(payments.commit(d.provider(), d.eventId(), "dispute-unchanged", List.of(), now),
                    "dispute-unchanged", current.value().invoiceId());
        }
        List<OutboxMessage> messages = new ArrayList<>();
        Invoice inv = outcome.invoice();
        if (outcome.lostNow() && inv.status() == InvoiceStatus.PAID) {
            var m = PaymentMessage.disputeLost(inv, d.disputeId(), d.amount(), d.occurredAt().toString());
            messages.add(OutboxMessage.payment(m.messageId(), m.type(), Json.write(m)));
        }
        String outcomeName = d.closed() ? "dispute-closed:" + d.status() : "dispute-opened";
        return new Applied(payments.commit(d.provider(), d.eventId(), outcomeName, messages, now)
                .invoice(inv, current.version()), outcomeName, inv.invoiceId());
    }

    private static void verified(WebhookSignatures.Verdict verdict, String provider) {
        if (verdict != WebhookSignatures.Verdict.VALID) {
            Log.event("webhook_rejected", "provider", provider, "verdict", verdict.name());
            throw new ProblemException(401, "invalid-signature", "Invalid signature",
                    "the " + provider + " signature is " + verdict.name().toLowerCase(), List.of());
        }
    }

    private static Result ok(ProviderEvent event, String outcome) {
        return new Result(200, Json.write(java.util.Map.of("received", true, "eventId", event.eventId(), "outcome", outcome)));
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(2, 10 + Math.min(attempt, 20) * 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
