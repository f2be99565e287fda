package dev.invoiceloyalty.local;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Attachment;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SesCaptureTest {
    private static SesCapture ses;

    @BeforeAll
    static void start() {
        ses = SesCapture.start();
    }

    @AfterAll
    static void stop() {
        ses.close();
    }

    @BeforeEach
    void clear() {
        ses.clear();
    }

    @Test
    void GIVEN_a_simple_email_WHEN_the_sdk_sends_it_THEN_the_capture_keeps_its_envelope_subject_and_both_bodies() {
        String messageId = ses.client().sendEmail(simple("Invoice INV-2026-000001")).messageId();

        List<CapturedEmail> emails = ses.emails();
        assertEquals(1, emails.size());
        CapturedEmail email = emails.get(0);
        assertEquals(messageId, email.id());
        assertEquals("billing@example.com", email.from());
        assertEquals(List.of("ann@example.com"), email.to());
        assertEquals(List.of("finance@example.com"), email.cc());
        assertEquals("Invoice INV-2026-000001", email.subject());
        assertEquals("Amount due: 1,234.56 USD", email.text());
        assertEquals("<p>Amount due: <b>1,234.56 USD</b></p>", email.html());
        assertEquals(List.of(), email.attachments());
        assertNull(email.raw());
        assertNotNull(Instant.parse(email.sentAt()));
        assertEquals(email, ses.email(messageId).orElseThrow());
    }

    @Test
    void GIVEN_a_simple_email_with_an_attachment_WHEN_the_sdk_sends_it_THEN_the_attachment_is_kept_decoded() {
        byte[] csv = "customer,current,1-30\nann,100,0\n".getBytes(StandardCharsets.UTF_8);
        ses.client().sendEmail(simple("Weekly statement").toBuilder()
                .content(c -> c.simple(m -> m.subject(s -> s.data("Weekly statement"))
                        .body(b -> b.text(t -> t.data("See attached.")))
                        .attachments(Attachment.builder().fileName("aging.csv").contentType("text/csv")
                                .rawContent(SdkBytes.fromByteArray(csv)).build())))
                .build());

        CapturedAttachment attachment = ses.emails().get(0).attachments().get(0);
        assertEquals("aging.csv", attachment.filename());
        assertEquals("text/csv", attachment.contentType());
        assertArrayEquals(csv, attachment.content());
        assertEquals(csv.length, attachment.size());
    }

    @Test
    void GIVEN_a_raw_mime_email_with_an_attachment_WHEN_the_sdk_sends_it_THEN_subject_bodies_and_attachment_are_parsed_and_raw_is_kept()
            throws Exception {
        byte[] pdf = {'%', 'P', 'D', 'F', '-', '1', '.', '7', 0, (byte) 0xff, 10};
        byte[] mime = mimeWithAttachment("Rechnung für März", pdf);

        ses.client().sendEmail(e -> e.fromEmailAddress("billing@example.com")
                .destination(d -> d.toAddresses("kunde@example.de"))
                .content(c -> c.raw(r -> r.data(SdkBytes.fromByteArray(mime)))));

        CapturedEmail email = ses.emails().get(0);
        assertEquals("billing@example.com", email.from());
        assertEquals(List.of("kunde@example.de"), email.to());
        assertEquals("Rechnung für März", email.subject());
        assertEquals("Fällig: 1.234,56 EUR", email.text().strip());
        assertEquals("<p>Fällig: <b>1.234,56 EUR</b></p>", email.html().strip());
        assertEquals(1, email.attachments().size());
        CapturedAttachment attachment = email.attachments().get(0);
        assertEquals("Rechnung März.pdf", attachment.filename());
        assertEquals("application/pdf", attachment.contentType());
        assertArrayEquals(pdf, attachment.content());
        assertEquals(new String(mime, StandardCharsets.UTF_8), email.raw());
    }

    @Test
    void GIVEN_a_hand_written_raw_email_without_destination_WHEN_sent_THEN_sender_and_recipients_come_from_its_headers() {
        String mime = String.join("\r\n",
                "From: \"Example Co\" <billing@example.com>",
                "To: ann@example.com, bob@example.com",
                "Cc: finance@example.com",
                "Subject: =?UTF-8?Q?Reminder:_invoice_=E2=84=96_7?=",
                "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"outer\"",
                "",
                "--outer",
                "Content-Type: text/plain; charset=UTF-8",
                "Content-Transfer-Encoding: quoted-printable",
                "",
                "Please pay =E2=82=AC12.",
                "--outer",
                "Content-Type: text/csv; name=\"ledger.csv\"",
                "Content-Disposition: attachment; filename=\"ledger.csv\"",
                "Content-Transfer-Encoding: base64",
                "",
                "YSxiCjEsMgo=",
                "--outer--",
                "");

        ses.client().sendEmail(e -> e.content(c -> c.raw(r -> r.data(SdkBytes.fromUtf8String(mime)))));

        CapturedEmail email = ses.emails().get(0);
        assertEquals("Example Co <billing@example.com>", email.from());
        assertEquals(List.of("ann@example.com", "bob@example.com"), email.to());
        assertEquals(List.of("finance@example.com"), email.cc());
        assertEquals("Reminder: invoice № 7", email.subject());
        assertEquals("Please pay €12.", email.text());
        assertNull(email.html());
        assertEquals("ledger.csv", email.attachments().get(0).filename());
        assertEquals("a,b\n1,2\n", new String(email.attachments().get(0).content(), StandardCharsets.US_ASCII));
    }

    @Test
    void GIVEN_several_sends_WHEN_emails_are_read_THEN_they_come_in_sending_order_and_clear_empties_them() {
        for (int i = 1; i <= 3; i++) {
            ses.client().sendEmail(simple("email " + i));
        }

        assertEquals(List.of("email 1", "email 2", "email 3"), ses.emails().stream().map(CapturedEmail::subject).toList());
        ses.clear();
        assertEquals(List.of(), ses.emails());
    }

    @Test
    void GIVEN_a_sender_on_another_thread_WHEN_a_test_awaits_the_email_THEN_it_returns_once_the_email_arrives() {
        Thread sender = new Thread(() -> ses.client().sendEmail(simple("from a poller")));
        sender.start();

        List<CapturedEmail> emails = ses.awaitEmails(1, Duration.ofSeconds(10));

        assertEquals("from a poller", emails.get(0).subject());
    }

    @Test
    void GIVEN_an_email_without_a_sender_WHEN_sent_THEN_ses_rejects_it_and_nothing_is_captured() {
        SendEmailRequest noSender = simple("no sender").toBuilder().fromEmailAddress(null).build();

        BadRequestException error = assertThrows(BadRequestException.class, () -> ses.client().sendEmail(noSender));

        assertTrue(error.getMessage().contains("sender"), error.getMessage());
        assertEquals(List.of(), ses.emails());
    }

    @Test
    void GIVEN_a_malformed_recipient_WHEN_sent_THEN_ses_rejects_it() {
        SendEmailRequest badRecipient = simple("bad").toBuilder().destination(d -> d.toAddresses("not an address")).build();

        assertThrows(BadRequestException.class, () -> ses.client().sendEmail(badRecipient));
    }

    @Test
    void GIVEN_a_template_send_WHEN_sent_THEN_the_capture_refuses_it_instead_of_recording_an_empty_email() {
        assertThrows(BadRequestException.class, () -> ses.client().sendEmail(e -> e.fromEmailAddress("billing@example.com")
                .destination(d -> d.toAddresses("ann@example.com"))
                .content(c -> c.template(t -> t.templateName("reminder").templateData("{}")))));
    }

    @Test
    void GIVEN_a_client_built_by_the_caller_WHEN_it_targets_the_endpoint_THEN_the_email_is_captured() {
        try (SesV2Client own = LocalClients.configure(SesV2Client.builder(), ses.endpoint()).build()) {
            own.sendEmail(simple("own client"));
        }

        assertEquals("own client", ses.emails().get(0).subject());
    }

    private static SendEmailRequest simple(String subject) {
        return SendEmailRequest.builder()
                .fromEmailAddress("billing@example.com")
                .destination(d -> d.toAddresses("ann@example.com").ccAddresses("finance@example.com"))
                .content(c -> c.simple(m -> m.subject(s -> s.data(subject))
                        .body(b -> b.text(t -> t.data("Amount due: 1,234.56 USD"))
                                .html(h -> h.data("<p>Amount due: <b>1,234.56 USD</b></p>")))))
                .build();
    }

    /** What a mailer that sends raw would build: text and HTML alternatives plus a PDF, UTF-8 throughout. */
    private static byte[] mimeWithAttachment(String subject, byte[] pdf) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress("billing@example.com", "Example Co", "UTF-8"));
        message.setRecipients(Message.RecipientType.TO, "kunde@example.de");
        message.setSubject(subject, "UTF-8");

        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Fällig: 1.234,56 EUR", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setText("<p>Fällig: <b>1.234,56 EUR</b></p>", "UTF-8", "html");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alternative);

        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
        attachment.setFileName("Rechnung März.pdf");
        attachment.setDisposition(MimeBodyPart.ATTACHMENT);

        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(body);
        mixed.addBodyPart(attachment);
        message.setContent(mixed);
        message.saveChanges();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }
}
