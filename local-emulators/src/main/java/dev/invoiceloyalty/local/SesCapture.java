package dev.invoiceloyalty.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * A stand-in for the SES v2 API that sends nothing and keeps every email, in the order SES received them.
 * It answers {@code SendEmail} ({@code POST /v2/email/outbound-emails}) for simple and raw content, and
 * rejects what SES would reject in a way that points at a bug: no sender, no recipient, a malformed
 * address, a simple email without subject or body. Template content is refused: the functions render their
 * emails themselves, so a template send here is a mistake.
 */
public final class SesCapture implements AutoCloseable {
    private static final String SEND_EMAIL = "/v2/email/outbound-emails";
    private static final Session MIME_SESSION = mimeSession();

    private final List<CapturedEmail> emails = new ArrayList<>();
    private final CaptureServer server;
    private final SesV2Client client;

    private SesCapture() {
        this.server = CaptureServer.start("ses-capture", this::handle);
        this.client = LocalClients.configure(SesV2Client.builder(), server.endpoint()).build();
    }

    public static SesCapture start() {
        return new SesCapture();
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** A snapshot, oldest first. */
    public List<CapturedEmail> emails() {
        synchronized (emails) {
            return List.copyOf(emails);
        }
    }

    public Optional<CapturedEmail> email(String id) {
        return emails().stream().filter(email -> email.id().equals(id)).findFirst();
    }

    /**
     * Waits until at least {@code count} emails have arrived, for senders on other threads (the local
     * stack's SQS pollers), and returns them all; fails with the ones that did arrive if time runs out.
     */
    public List<CapturedEmail> awaitEmails(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (emails) {
            while (emails.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " emails within " + timeout + ", got "
                            + emails.size() + ": " + emails);
                }
                try {
                    emails.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for emails", e);
                }
            }
            return List.copyOf(emails);
        }
    }

    public void clear() {
        synchronized (emails) {
            emails.clear();
        }
    }

    /** One client for the life of the capture; closed with it. */
    public SesV2Client client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = CaptureServer.body(exchange);
        if (!"POST".equals(exchange.getRequestMethod()) || !SEND_EMAIL.equals(exchange.getRequestURI().getPath())) {
            error(exchange, 404, "NotFoundException", "the local SES capture serves only SendEmail, not "
                    + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            return;
        }
        CapturedEmail email;
        try {
            email = parse(CaptureServer.JSON.readTree(body), UUID.randomUUID().toString());
        } catch (BadRequest e) {
            error(exchange, 400, "BadRequestException", e.getMessage());
            return;
        }
        synchronized (emails) {
            emails.add(email);
            emails.notifyAll();
        }
        CaptureServer.respond(exchange, 200, "application/json",
                CaptureServer.JSON.createObjectNode().put("MessageId", email.id()).toString());
    }

    private static void error(HttpExchange exchange, int status, String type, String message) {
        // The REST-JSON protocol names the error in this header; the SDK maps it to the exception class.
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        CaptureServer.respond(exchange, status, "application/json", CaptureServer.errorJson(message));
    }

    static CapturedEmail parse(JsonNode request, String id) {
        String sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        JsonNode destination = request.get("Destination");
        JsonNode content = request.path("Content");
        String from = textOrNull(request.get("FromEmailAddress"));
        if (content.has("Simple")) {
            JsonNode simple = content.get("Simple");
            String subject = textOrNull(simple.path("Subject").get("Data"));
            String text = textOrNull(simple.path("Body").path("Text").get("Data"));
            String html = textOrNull(simple.path("Body").path("Html").get("Data"));
            if (subject == null) {
                throw new BadRequest("Simple content needs a Subject");
            }
            if (text == null && html == null) {
                throw new BadRequest("Simple content needs a Text or Html body");
            }
            List<CapturedAttachment> attachments = new ArrayList<>();
            for (JsonNode attachment : simple.path("Attachments")) {
                attachments.add(new CapturedAttachment(
                        textOrNull(attachment.get("FileName")),
                        Optional.ofNullable(textOrNull(attachment.get("ContentType"))).orElse("application/octet-stream"),
                        decodeBase64(attachment.get("RawContent"), "Attachments.RawContent")));
            }
            Recipients recipients = Recipients.of(destination);
            return new CapturedEmail(id, requireSender(from), recipients.checkedTo(), recipients.cc, subject, text,
                    html, attachments, null, sentAt);
        }
        if (content.has("Raw")) {
            byte[] mime = decodeBase64(content.get("Raw").get("Data"), "Content.Raw.Data");
            MimeParts parts = MimeParts.parse(mime);
            Recipients recipients = destination != null ? Recipients.of(destination) : parts.recipients;
            return new CapturedEmail(id, requireSender(from != null ? from : parts.from), recipients.checkedTo(),
                    recipients.cc, parts.subject, parts.text, parts.html, parts.attachments,
                    new String(mime, StandardCharsets.UTF_8), sentAt);
        }
        if (content.has("Template")) {
            throw new BadRequest("the local SES capture does not render SES templates; send Simple or Raw content");
        }
        throw new BadRequest("Content needs Simple, Raw or Template");
    }

    private static String requireSender(String from) {
        if (from == null || from.isBlank()) {
            throw new BadRequest("Missing the sender: FromEmailAddress (or a From header in raw content)");
        }
        checkAddress(from);
        return from;
    }

    private static void checkAddress(String address) {
        try {
            new InternetAddress(address, true).validate();
        } catch (AddressException e) {
            throw new BadRequest("Illegal address: " + address);
        }
    }

    private static byte[] decodeBase64(JsonNode node, String field) {
        String value = textOrNull(node);
        if (value == null) {
            throw new BadRequest(field + " is required");
        }
        try {
            return Base64.getMimeDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(field + " is not base64");
        }
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Session mimeSession() {
        Properties properties = new Properties();
        // Mail clients decode RFC 2047 file names ("=?UTF-8?B?...?="); so does the capture.
        properties.setProperty("mail.mime.decodefilename", "true");
        return Session.getInstance(properties);
    }

    private record Recipients(List<String> to, List<String> cc, List<String> bcc) {
        static Recipients of(JsonNode destination) {
            return new Recipients(strings(destination, "ToAddresses"), strings(destination, "CcAddresses"),
                    strings(destination, "BccAddresses"));
        }

        List<String> checkedTo() {
            if (to.isEmpty() && cc.isEmpty() && bcc.isEmpty()) {
                throw new BadRequest("Missing recipients: no To, Cc or Bcc address");
            }
            to.forEach(SesCapture::checkAddress);
            cc.forEach(SesCapture::checkAddress);
            bcc.forEach(SesCapture::checkAddress);
            return to;
        }

        private static List<String> strings(JsonNode parent, String field) {
            List<String> values = new ArrayList<>();
            if (parent != null) {
                parent.path(field).forEach(value -> values.add(value.asText()));
            }
            return values;
        }
    }

    /** What a mail client would show of a MIME message. */
    private static final class MimeParts {
        String from;
        Recipients recipients;
        String subject;
        String text;
        String html;
        final List<CapturedAttachment> attachments = new ArrayList<>();

        static MimeParts parse(byte[] mime) {
            try {
                MimeMessage message = new MimeMessage(MIME_SESSION, new ByteArrayInputStream(mime));
                MimeParts parts = new MimeParts();
                Address[] from = message.getFrom();
                parts.from = from == null || from.length == 0 ? null : display(from[0]);
                parts.recipients = new Recipients(addresses(message, Message.RecipientType.TO),
                        addresses(message, Message.RecipientType.CC), addresses(message, Message.RecipientType.BCC));
                parts.subject = message.getSubject();
                parts.walk(message);
                return parts;
            } catch (MessagingException | IOException e) {
                throw new BadRequest("Content.Raw.Data is not a MIME message: " + e.getMessage());
            }
        }

        private void walk(Part part) throws MessagingException, IOException {
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    walk(child);
                }
                return;
            }
            String filename = part.getFileName();
            boolean attached = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || filename != null;
            // The first inline text and HTML parts are the body (multipart/alternative puts text first);
            // anything else, inline images included, is what a client lists as attachments.
            if (!attached && text == null && part.isMimeType("text/plain")) {
                text = (String) part.getContent();
            } else if (!attached && html == null && part.isMimeType("text/html")) {
                html = (String) part.getContent();
            } else {
                try (InputStream in = part.getInputStream()) {
                    attachments.add(new CapturedAttachment(filename, baseType(part.getContentType()), in.readAllBytes()));
                }
            }
        }

        private static String baseType(String contentType) {
            try {
                return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
            } catch (MessagingException | RuntimeException e) {
                return "application/octet-stream";
            }
        }

        private static List<String> addresses(MimeMessage message, Message.RecipientType type)
                throws MessagingException {
            Address[] addresses = message.getRecipients(type);
            List<String> values = new ArrayList<>();
            if (addresses != null) {
                for (Address address : addresses) {
                    values.add(display(address));
                }
            }
            return values;
        }

        private static String display(Address address) {
            if (address instanceof InternetAddress internet) {
                return internet.toUnicodeString();
            }
            try {
                return MimeUtility.decodeText(address.toString());
            } catch (UnsupportedEncodingException e) {
                return address.toString();
            }
        }
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
