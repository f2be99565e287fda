package dev.invoiceloyalty.mail;

import java.util.List;
import java.util.Map;

/**
 * One email to send, as it travels on {@code MailQueue}. The producer decides everything that depends on
 * business data (recipients, language, the display strings in {@code model}, already formatted for the
 * language); the mailer only renders {@code template} in {@code language} and sends it.
 *
 * @param emailId    stable id of this email: the same logical email always gets the same id
 *                   (for example {@code welcome#<customerId>}), which is how the mailer sends it once
 * @param template   template name, e.g. {@code welcome}, {@code invoice-issued}
 * @param language   BCP 47 language of the recipient; the mailer falls back to {@code en}
 * @param to         recipients (at least one)
 * @param cc         copy recipients, may be empty
 * @param customerId the customer this email concerns, for logs; may be null for internal emails
 * @param invoiceId  the invoice this email concerns, for logs; may be null
 * @param model      the template's variables: strings, numbers, booleans, lists and maps of those
 * @param onlyIfCollectible when true, the mailer sends only if invoice {@code invoiceId} is still open or partially
 *                   paid and not disputed when it is about to send: a payment between the reminder sweep and the
 *                   send cancels the reminder
 */
public record MailMessage(String emailId, String template, String language, List<String> to, List<String> cc,
                          String customerId, String invoiceId, Map<String, Object> model, boolean onlyIfCollectible) {

    public MailMessage(String emailId, String template, String language, List<String> to, List<String> cc,
                       String customerId, String invoiceId, Map<String, Object> model) {
        this(emailId, template, language, to, cc, customerId, invoiceId, model, false);
    }

    public MailMessage {
        if (emailId == null || emailId.isBlank()) throw new IllegalArgumentException("emailId is required");
        if (template == null || template.isBlank()) throw new IllegalArgumentException("template is required");
        if (to == null || to.isEmpty()) throw new IllegalArgumentException("at least one recipient is required");
        to = List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        language = language == null || language.isBlank() ? "en" : language;
        model = model == null ? Map.of() : model;
        if (onlyIfCollectible && invoiceId == null) {
            throw new IllegalArgumentException("onlyIfCollectible needs the invoiceId to check");
        }
    }
}
