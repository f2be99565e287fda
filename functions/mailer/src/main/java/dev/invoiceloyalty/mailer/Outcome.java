package dev.invoiceloyalty.mailer;

/** What happened to one queued email; {@link #done()} decides whether SQS may delete its message. */
public enum Outcome {
    /** Sent now and recorded. */
    SENT("sent", true),
    /** Sent before (a redelivery or a duplicate enqueue): skipped. */
    ALREADY_SENT("already-sent", true),
    /**
     * Sent now, but the record could not be written. Done all the same: a retry of the message would
     * certainly send a second copy; without it, only a later enqueue of the same email id could.
     */
    SENT_UNRECORDED("sent-unrecorded", true),
    /**
     * Not sent because the email is {@code onlyIfCollectible} and its invoice no longer is (paid, void, uncollectible,
     * disputed, gone): recorded, so a redelivery finds the record and does not check again. Done.
     */
    CANCELLED("cancelled", true),
    /** Another consumer holds a live claim on this email: SQS redelivers it later. */
    LEASE_HELD("lease-held", false),
    /** The sent-email log could not be read or written before sending: retried. */
    CLAIM_FAILED("claim-failed", false),
    /** The invoice of an {@code onlyIfCollectible} email could not be read: the claim was released, retried. */
    CHECK_FAILED("check-failed", false),
    /** The mail service refused or failed: the claim was released and the message is retried. */
    SEND_FAILED("send-failed", false),
    /** A template failed while rendering (a bug in the template, not in the message): retried, then DLQ. */
    RENDER_FAILED("render-failed", false),
    /** The message can never be sent (not a MailMessage, unknown template): retried, then DLQ. */
    POISON("poison", false),
    /** Anything unexpected: retried, then DLQ. */
    ERROR("error", false);

    private final String logName;
    private final boolean done;

    Outcome(String logName, boolean done) {
        this.logName = logName;
        this.done = done;
    }

    /** The value of {@code outcome} in the log line. */
    public String logName() {
        return logName;
    }

    /** True when the message is finished with; false when it must be reported as a batch item failure. */
    public boolean done() {
        return done;
    }
}
