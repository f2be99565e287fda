package dev.invoiceloyalty.mailer;

import dev.invoiceloyalty.mail.MailMessage;

import java.time.Clock;

/**
 * The use case: render, claim, check, send, record — at most one successful send per email id, short of the one
 * crash window described in {@link DynamoDbSentEmailLog#claim}.
 *
 * <p>The check is for emails marked {@link MailMessage#onlyIfCollectible()} (reminders, escalations): right before
 * sending, holding the claim, the invoice is read consistently; if it was paid, voided, written off or disputed after
 * the sweep queued the email, the email is cancelled and the cancellation recorded under its email id, so a
 * redelivery ends at the record without reading the invoice again. A payment that lands between the check and the
 * SES call (milliseconds) is the one window left.
 */
public final class MailDelivery {
    private final TemplateRenderer renderer;
    private final MailSender sender;
    private final SentEmailLog sentEmails;
    private final InvoiceStatusCheck invoices;
    private final Clock clock;

    /** A delivery without an invoice check: an {@code onlyIfCollectible} email fails with {@code check-failed}. */
    public MailDelivery(TemplateRenderer renderer, MailSender sender, SentEmailLog sentEmails, Clock clock) {
        this(renderer, sender, sentEmails, InvoiceStatusCheck.unavailable(), clock);
    }

    public MailDelivery(TemplateRenderer renderer, MailSender sender, SentEmailLog sentEmails,
                        InvoiceStatusCheck invoices, Clock clock) {
        this.renderer = renderer;
        this.sender = sender;
        this.sentEmails = sentEmails;
        this.invoices = invoices;
        this.clock = clock;
    }

    /** The collaborators this delivery was built with: its SnapStart priming warms the same ones. */
    TemplateRenderer renderer() {
        return renderer;
    }

    MailSender sender() {
        return sender;
    }

    InvoiceStatusCheck invoices() {
        return invoices;
    }

    public Delivery deliver(MailMessage message) {
        // Render first: a message that cannot be rendered never claims its email id.
        RenderedEmail content;
        try {
            content = renderer.render(message.template(), message.language(), message.model());
        } catch (UnknownTemplateException e) {
            return Delivery.failed(Outcome.POISON, "unknown-template");
        } catch (RuntimeException e) {
            return Delivery.failed(Outcome.RENDER_FAILED, Delivery.reasonOf(e));
        }

        SentEmailLog.ClaimResult claim;
        try {
            claim = sentEmails.claim(message, clock.instant());
        } catch (RuntimeException e) {
            return Delivery.failed(Outcome.CLAIM_FAILED, Delivery.reasonOf(e));
        }
        if (claim instanceof SentEmailLog.AlreadySent sent) {
            return Delivery.of(Outcome.ALREADY_SENT, sent.messageId());
        }
        if (claim instanceof SentEmailLog.Cancelled cancelled) {
            return new Delivery(Outcome.CANCELLED, null, cancelled.reason());
        }
        if (claim instanceof SentEmailLog.HeldByAnother) {
            return Delivery.failed(Outcome.LEASE_HELD, "lease-held");
        }
        SentEmailLog.Claimed claimed = (SentEmailLog.Claimed) claim;

        if (message.onlyIfCollectible()) {
            InvoiceStatusCheck.Verdict verdict;
            try {
                verdict = invoices.check(message.invoiceId());
            } catch (RuntimeException e) {
                releaseQuietly(claimed);
                return Delivery.failed(Outcome.CHECK_FAILED, Delivery.reasonOf(e));
            }
            if (!verdict.collectible()) {
                try {
                    sentEmails.markCancelled(claimed, verdict.reason(), clock.instant());
                } catch (RuntimeException e) {
                    // Unrecorded: the lease runs out, and a redelivery would check again and find the same invoice.
                }
                return new Delivery(Outcome.CANCELLED, null, verdict.reason());
            }
        }

        String sesMessageId;
        try {
            sesMessageId = sender.send(message, content);
        } catch (RuntimeException e) {
            // Let the redelivery send at once instead of waiting for the lease to run out.
            releaseQuietly(claimed);
            return Delivery.failed(Outcome.SEND_FAILED, Delivery.reasonOf(e));
        }

        try {
            sentEmails.markSent(claimed, sesMessageId, clock.instant());
            return Delivery.of(Outcome.SENT, sesMessageId);
        } catch (RuntimeException e) {
            return new Delivery(Outcome.SENT_UNRECORDED, sesMessageId, Delivery.reasonOf(e));
        }
    }

    private void releaseQuietly(SentEmailLog.Claimed claimed) {
        try {
            sentEmails.release(claimed);
        } catch (RuntimeException releaseFailed) {
            // The lease expires on its own.
        }
    }
}
