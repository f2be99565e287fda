package dev.invoiceloyalty.mailer;

import dev.invoiceloyalty.mail.MailMessage;

/** Hands one rendered email to the mail service. */
public interface MailSender {
    /**
     * Sends {@code content} to the recipients of {@code message}.
     *
     * @return the mail service's id of the sent message
     * @throws RuntimeException when the service did not accept the message; the caller treats the email as
     *                          not sent (see the README for the rare case where it was)
     */
    String send(MailMessage message, RenderedEmail content);
}
