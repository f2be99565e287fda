package dev.invoiceloyalty.mailer;

import dev.invoiceloyalty.mail.MailMessage;

import java.time.Instant;

/**
 * The record of which emails were sent, keyed by email id: the mailer's guard against sending one email twice
 * when SQS delivers its message twice (at-least-once delivery, a retried batch, a producer that enqueued it
 * twice). See {@link DynamoDbSentEmailLog} for the algorithm and its failure analysis.
 */
public interface SentEmailLog {

    /** Claims the email for sending: only one consumer at a time can hold a live claim on an email id. */
    ClaimResult claim(MailMessage message, Instant now);

    /** Records that the claimed email was sent; a later {@link #claim} of its id answers {@link AlreadySent}. */
    void markSent(Claimed claim, String messageId, Instant now);

    /** Gives up a claim whose send failed, so that a redelivery can send at once; a no-op if it is not ours. */
    void release(Claimed claim);

    /**
     * Records that the claimed email will never be sent ({@code reason}, e.g. {@code invoice-paid}): a later
     * {@link #claim} of its id answers {@link Cancelled}. A no-op if the claim is no longer ours.
     */
    void markCancelled(Claimed claim, String reason, Instant now);

    /** What a {@link #claim} found. */
    sealed interface ClaimResult permits Claimed, AlreadySent, Cancelled, HeldByAnother {
    }

    /** The caller holds the email until {@code leaseUntil} and must now send it. */
    record Claimed(String emailId, String leaseToken, Instant leaseUntil) implements ClaimResult {
    }

    /** The email was sent before: nothing to do. {@code messageId} is the mail service's id, may be null. */
    record AlreadySent(String emailId, String messageId) implements ClaimResult {
    }

    /** The email was cancelled before (its invoice was paid or disputed first): nothing to do. */
    record Cancelled(String emailId, String reason) implements ClaimResult {
    }

    /** Another consumer holds a live claim (it is sending right now): try again after {@code leaseUntil}. */
    record HeldByAnother(String emailId, Instant leaseUntil) implements ClaimResult {
    }
}
