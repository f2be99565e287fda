package dev.invoiceloyalty.mailer;

/**
 * One email as it will be sent: a one-line subject and both bodies. Every email carries a plain-text and an
 * HTML part, so mail clients that block HTML, screen readers and spam filters all get a readable message.
 */
public record RenderedEmail(String subject, String text, String html) {
    public RenderedEmail {
        if (subject == null || text == null || html == null) {
            throw new IllegalArgumentException("subject, text and html are all required");
        }
    }
}
