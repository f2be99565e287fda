package dev.invoiceloyalty.payments;

import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * What a provider event does to an invoice, as pure functions. Status only moves forward: a paid invoice is never
 * reopened; a refund or a late payment is recorded against it (SPEC §4, §5).
 */
public final class PaymentApplication {
    private PaymentApplication() {
    }

    /** Why a payment could not be applied to an invoice: it is kept as an unapplied payment for reconciliation. */
    public enum Unapplied { NO_INVOICE, UNKNOWN_INVOICE, CURRENCY_MISMATCH, INVOICE_VOID }

    /**
     * The result of a payment.
     *
     * @param invoice     the invoice after the payment; null when {@code unapplied} is set
     * @param unapplied   why the payment is unapplied, or null when it was applied
     * @param completed   true when this payment made the invoice {@code PAID}
     * @param overpayment the part that exceeds what was due, to become customer credit
     * @param duplicate   true when the invoice already holds this payment (nothing changes)
     */
    public record PaymentOutcome(Invoice invoice, Unapplied unapplied, boolean completed, long overpayment,
                                 boolean duplicate) {
    }

    public static PaymentOutcome applyPayment(Invoice inv, boolean invoiceNamed, ProviderEvent.PaymentSucceeded p,
                                              List<HeldRefund> held, Instant now) {
        if (inv == null) {
            return new PaymentOutcome(null, invoiceNamed ? Unapplied.UNKNOWN_INVOICE : Unapplied.NO_INVOICE, false, 0, false);
        }
        if (!inv.currency().equals(p.currency())) {
            return new PaymentOutcome(null, Unapplied.CURRENCY_MISMATCH, false, 0, false);
        }
        if (inv.status() == InvoiceStatus.VOID) {
            return new PaymentOutcome(null, Unapplied.INVOICE_VOID, false, 0, false);
        }
        String paymentKey = p.provider() + ":" + p.paymentId();
        if (inv.payments().stream().anyMatch(x -> (x.provider() + ":" + x.paymentId()).equals(paymentKey))) {
            return new PaymentOutcome(inv, null, false, 0, true);
        }
        List<Invoice.Payment> payments = new ArrayList<>(inv.payments());
        payments.add(new Invoice.Payment(p.paymentId(), p.provider(), p.amount(), p.occurredAt().toString()));
        long paid = inv.amountPaid() + p.amount();
        Invoice.Builder b = inv.toBuilder().payments(payments).amountPaid(paid).updatedAt(now.toString());
        long overpayment;
        boolean completed = false;
        if (inv.status() == InvoiceStatus.PAID) {
            overpayment = p.amount(); // everything paid after settlement is the customer's credit
        } else {
            long settlesWith = inv.total();
            long cashDiscount = 0;
            var early = inv.earlyPaymentDiscount();
            if (early != null && paid < inv.total() && paid >= early.minimumPayment()
                    && !localDate(p.occurredAt(), inv.timeZone()).isAfter(LocalDate.parse(early.payBy()))) {
                settlesWith = paid;
                cashDiscount = inv.total() - paid;
            }
            if (paid >= settlesWith) {
                overpayment = paid - settlesWith;
                completed = true;
                // Paid at the latest provider time among its payments: the moment it was paid in full, whatever
                // order the events arrived in.
                // Compared as instants: "…:00Z" and "…:00.250Z" do not sort as text.
                String paidAt = payments.stream().map(x -> Instant.parse(x.paidAt())).max(Instant::compareTo)
                        .orElseThrow().toString();
                b.status(InvoiceStatus.PAID).amountDue(0).cashDiscountTaken(cashDiscount).closedAt(paidAt);
            } else {
                overpayment = 0;
                b.amountDue(inv.total() - paid);
                if (inv.status() == InvoiceStatus.OPEN) {
                    b.status(InvoiceStatus.PARTIALLY_PAID);
                }
            }
        }
        b.amountCredited(inv.amountCredited() + overpayment);
        Invoice next = b.build();
        for (HeldRefund h : held) {
            next = applyRefund(next, new ProviderEvent.Refund(p.provider(), "held", h.refundId(), p.paymentId(),
                    h.amount(), h.cumulative(), p.currency(), next.invoiceId(), Instant.parse(h.occurredAt())), now).invoice();
        }
        return new PaymentOutcome(next, null, completed, overpayment, false);
    }

    /** @param delta the money this event refunds now; 0 when it changes nothing (a redelivery or a stale total) */
    public record RefundOutcome(Invoice invoice, long delta, String refundId) {
    }

    public static RefundOutcome applyRefund(Invoice inv, ProviderEvent.Refund r, Instant now) {
        long delta;
        String refundId;
        if (r.cumulative()) {
            String prefix = r.refundId() + "#";
            long already = inv.refunds().stream().filter(x -> x.refundId().startsWith(prefix))
                    .mapToLong(Invoice.Refund::amount).sum();
            delta = r.amount() - already; // an older, smaller total arriving late refunds nothing
            refundId = prefix + r.amount();
        } else {
            boolean seen = inv.refunds().stream().anyMatch(x -> x.refundId().equals(r.refundId()));
            delta = seen ? 0 : r.amount();
            refundId = r.refundId();
        }
        if (delta <= 0) {
            return new RefundOutcome(inv, 0, refundId);
        }
        List<Invoice.Refund> refunds = new ArrayList<>(inv.refunds());
        refunds.add(new Invoice.Refund(refundId, delta, r.occurredAt().toString()));
        Invoice next = inv.toBuilder().refunds(refunds).amountRefunded(inv.amountRefunded() + delta)
                .updatedAt(now.toString()).build();
        return new RefundOutcome(next, delta, refundId);
    }

    /** @param lostNow true when this event is the loss of a dispute not lost before (rewards are reversed once) */
    public record DisputeOutcome(Invoice invoice, boolean changed, boolean lostNow) {
    }

    public static DisputeOutcome applyDispute(Invoice inv, ProviderEvent.Dispute d, Instant now) {
        List<Invoice.Dispute> disputes = new ArrayList<>(inv.disputes());
        Invoice.Dispute existing = disputes.stream().filter(x -> x.disputeId().equals(d.disputeId())).findFirst().orElse(null);
        if (existing != null && existing.closedAt() != null) {
            return new DisputeOutcome(inv, false, false); // closed disputes do not reopen
        }
        if (existing != null && !d.closed()) {
            return new DisputeOutcome(inv, false, false); // opened twice
        }
        String at = d.occurredAt().toString();
        Invoice.Dispute next = new Invoice.Dispute(d.disputeId(), d.paymentId(), d.amount(), d.status(),
                existing != null ? existing.openedAt() : at, d.closed() ? at : null);
        if (existing != null) {
            disputes.set(disputes.indexOf(existing), next);
        } else {
            disputes.add(next);
        }
        boolean anyOpen = disputes.stream().anyMatch(x -> x.closedAt() == null);
        // A dispute flagged by the client (the API's dispute action, no provider dispute open) stays flagged
        // until the client resolves it; closing a provider dispute clears only what the provider opened.
        boolean flaggedByClient = inv.disputed() && inv.disputes().stream().noneMatch(x -> x.closedAt() == null);
        Invoice updated = inv.toBuilder().disputes(disputes).disputed(anyOpen || flaggedByClient)
                .updatedAt(now.toString()).build();
        return new DisputeOutcome(updated, true, d.lost());
    }

    private static LocalDate localDate(Instant at, String timeZone) {
        return LocalDate.ofInstant(at, ZoneId.of(timeZone == null ? "UTC" : timeZone));
    }
}
