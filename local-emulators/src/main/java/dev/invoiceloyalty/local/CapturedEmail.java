package dev.invoiceloyalty.local;

import java.util.List;

/**
 * One email as SES would have sent it. {@code to} and {@code cc} are the envelope recipients the request
 * named (for a raw email without a {@code Destination}, the MIME headers, as SES does); {@code raw} is the
 * MIME source of a raw send and null for a simple one; {@code sentAt} is the ISO-8601 instant it arrived.
 */
public record CapturedEmail(String id, String from, List<String> to, List<String> cc, String subject, String text,
                            String html, List<CapturedAttachment> attachments, String raw, String sentAt) {
    public CapturedEmail {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        attachments = List.copyOf(attachments);
    }
}
