package dev.invoiceloyalty.mailer;

/**
 * The result of handling one queued email.
 *
 * @param outcome      what happened
 * @param sesMessageId the mail service's id when the email was (or had been) sent; null otherwise
 * @param reason       a fixed code for a failure ({@code unknown-template}, an AWS error code, an exception
 *                     class) or for a cancellation ({@code invoice-paid}); never a free-text message, which could
 *                     carry an address; null on success
 */
public record Delivery(Outcome outcome, String sesMessageId, String reason) {
    public Delivery {
        if (outcome == null) {
            throw new IllegalArgumentException("outcome is required");
        }
    }

    static Delivery of(Outcome outcome, String sesMessageId) {
        return new Delivery(outcome, sesMessageId, null);
    }

    static Delivery failed(Outcome outcome, String reason) {
        return new Delivery(outcome, null, reason);
    }

    /** A code for an exception that is safe to log: the AWS error code when there is one, else the class. */
    static String reasonOf(Throwable e) {
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws
                && aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }
}
