package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.adapters.AwsClients;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.time.Clock;

/**
 * Sends a statement once: claim its id in {@link SentStatementLog}, send the raw MIME through SESv2
 * {@code SendEmail} with {@code Content.Raw} (the only way to carry inline images and attachments), mark it sent.
 */
public final class StatementMailer {
    public enum Outcome { SENT, ALREADY_SENT }

    private final SesV2Client ses;
    private final SentStatementLog log;
    private final String from;
    private final Clock clock;

    public StatementMailer(SesV2Client ses, SentStatementLog log, String from, Clock clock) {
        this.ses = ses;
        this.log = log;
        this.from = from;
        this.clock = clock;
    }

    public static SesV2Client client(AwsClients.Settings settings) {
        return AwsClients.configure(SesV2Client.builder(), settings, "SESV2").build();
    }

    /** Builds the MIME only when this run holds the claim: a replay of a sent statement renders nothing. */
    public Outcome send(String emailId, java.util.function.Supplier<RawEmail> message) {
        String token = log.claim(emailId, clock.instant());
        if (token == null) {
            return Outcome.ALREADY_SENT;
        }
        String messageId;
        try {
            RawEmail email = message.get();
            byte[] raw = email.toBytes(clock.instant());
            messageId = ses.sendEmail(b -> b.fromEmailAddress(from)
                    .destination(d -> d.toAddresses(email.to()))
                    .content(c -> c.raw(r -> r.data(SdkBytes.fromByteArray(raw))))).messageId();
        } catch (RuntimeException e) {
            log.release(emailId, token);
            throw e;
        }
        log.markSent(emailId, token, messageId, clock.instant());
        return Outcome.SENT;
    }
}
