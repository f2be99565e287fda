package dev.invoiceloyalty.mailer;

import dev.invoiceloyalty.mail.MailMessage;

import java.time.Clock;

/**
 * The use case: render, claim, send, record — at most one successful send per email id, short of the one
 * crash window described in {@link DynamoDbSentEmailLog#claim}.
 */
public final class MailDelivery {
    private final TemplateRenderer renderer;
    private final MailSender sender;
    private final SentEmailLog sentEmails;
    private final Clock clock;

    public MailDelivery(TemplateRenderer renderer, MailSender sender, SentEmailLog sentEmails, Clock clock) {
        this.renderer = renderer;
        this.sender = sender;
        this.sentEmails = sentEmails;
        this.clock = clock;
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
        if (claim instanceof SentEmailLog.HeldByAnother) {
            return Delivery.failed(Outcome.LEASE_HELD, "lease-held");
        }
        SentEmailLog.Claimed claimed = (SentEmailLog.Claimed) claim;

        String sesMessageId;
        try {
            sesMessageId = sender.send(message, content);
        } catch (RuntimeException e) {
            // Let the redelivery send at once instead of waiting for the lease to run out.
            try {
                sentEmails.release(claimed);
            } catch (RuntimeException releaseFailed) {
                // The lease expires on its own.
            }
            return Delivery.failed(Outcome.SEND_FAILED, Delivery.reasonOf(e));
        }

        try {
            sentEmails.markSent(claimed, sesMessageId, clock.instant());
            return Delivery.of(Outcome.SENT, sesMessageId);
        } catch (RuntimeException e) {
            return new Delivery(Outcome.SENT_UNRECORDED, sesMessageId, Delivery.reasonOf(e));
        }
    }
}
