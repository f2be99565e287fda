package dev.invoiceloyalty.statements;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * A MIME message for SESv2 {@code Content.Raw}, built with Jakarta Mail:
 * <pre>
 * multipart/mixed
 * ├── multipart/alternative
 * │   ├── text/plain
 * │   └── multipart/related          (RFC 2387: the HTML and the images it shows)
 * │       ├── text/html              (refers to each image as cid:&lt;Content-ID&gt;, RFC 2392)
 * │       └── image/png ...          (Content-ID, Content-Disposition: inline)
 * └── attachments ...                (Content-Disposition: attachment; filename=...)
 * </pre>
 * Without inline images the HTML stands alone in the alternative part.
 */
public final class RawEmail {
    /** An inline image: the HTML refers to it as {@code cid:<contentId>}. */
    public record Inline(String contentId, String contentType, byte[] content) {
    }

    public record Attachment(String filename, String contentType, byte[] content) {
    }

    private final String from;
    private final String to;
    private final String subject;
    private final String text;
    private final String html;
    private final List<Inline> inline = new ArrayList<>();
    private final List<Attachment> attachments = new ArrayList<>();
    private String messageId;

    public RawEmail(String from, String to, String subject, String text, String html) {
        this.from = from;
        this.to = to;
        this.subject = subject;
        this.text = text;
        this.html = html;
    }

    public RawEmail inline(String contentId, String contentType, byte[] content) {
        inline.add(new Inline(contentId, contentType, content));
        return this;
    }

    public RawEmail attach(String filename, String contentType, byte[] content) {
        attachments.add(new Attachment(filename, contentType, content));
        return this;
    }

    /** A stable Message-ID (the statement id), so a mail client shows a resend as the same message. */
    public RawEmail messageId(String id) {
        this.messageId = id;
        return this;
    }

    public String to() {
        return to;
    }

    public String subject() {
        return subject;
    }

    public byte[] toBytes(java.time.Instant date) {
        try {
            MimeMessage m = new StableIdMessage(Session.getInstance(new Properties()), messageId);
            m.setFrom(new InternetAddress(from));
            m.setRecipients(MimeMessage.RecipientType.TO, InternetAddress.parse(to));
            m.setSubject(subject, "UTF-8");
            m.setSentDate(Date.from(date));

            MimeBodyPart textPart = new MimeBodyPart();
            textPart.setText(text, "UTF-8", "plain");
            MimeBodyPart htmlPart = new MimeBodyPart();
            htmlPart.setText(html, "UTF-8", "html");

            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(textPart);
            if (inline.isEmpty()) {
                alternative.addBodyPart(htmlPart);
            } else {
                MimeMultipart related = new MimeMultipart("related");
                related.addBodyPart(htmlPart);
                for (Inline i : inline) {
                    MimeBodyPart img = new MimeBodyPart();
                    img.setDataHandler(new DataHandler(new ByteArrayDataSource(i.content(), i.contentType())));
                    img.setContentID("<" + i.contentId() + ">");
                    img.setDisposition(MimeBodyPart.INLINE);
                    img.setFileName(i.contentId().replaceAll("@.*", "") + ".png");
                    related.addBodyPart(img);
                }
                MimeBodyPart relatedPart = new MimeBodyPart();
                relatedPart.setContent(related);
                alternative.addBodyPart(relatedPart);
            }
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart body = new MimeBodyPart();
            body.setContent(alternative);
            mixed.addBodyPart(body);
            for (Attachment a : attachments) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(a.content(), a.contentType())));
                part.setFileName(a.filename());
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                mixed.addBodyPart(part);
            }
            m.setContent(mixed);
            m.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            m.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot build MIME message: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the given Message-ID instead of the random one {@code saveChanges} would write. */
    private static final class StableIdMessage extends MimeMessage {
        private final String id;

        StableIdMessage(Session session, String id) {
            super(session);
            this.id = id;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (id == null) {
                super.updateMessageID();
            } else {
                setHeader("Message-ID", "<" + id.replaceAll("[^A-Za-z0-9._-]", ".") + "@statements.invoice-loyalty>");
            }
        }
    }
}
