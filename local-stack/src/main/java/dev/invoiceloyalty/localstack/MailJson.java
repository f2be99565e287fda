package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.local.CapturedAttachment;
import dev.invoiceloyalty.local.CapturedEmail;

import java.util.Base64;
import java.util.List;

/** The JSON of {@code /_local/mail} (SPEC §10). */
final class MailJson {
    private MailJson() {
    }

    static ArrayNode list(List<CapturedEmail> emails) {
        ArrayNode array = HttpApiEvents.JSON.createArrayNode();
        emails.forEach(email -> array.add(email(email, false)));
        return array;
    }

    /** One email; {@code full} adds each attachment's {@code contentBase64} and the MIME source as {@code raw}. */
    static ObjectNode email(CapturedEmail email, boolean full) {
        ObjectNode node = HttpApiEvents.JSON.createObjectNode();
        node.put("id", email.id());
        node.put("from", email.from());
        email.to().forEach(node.putArray("to")::add);
        email.cc().forEach(node.putArray("cc")::add);
        node.put("subject", email.subject());
        node.put("text", email.text());
        node.put("html", email.html());
        ArrayNode attachments = node.putArray("attachments");
        for (CapturedAttachment attachment : email.attachments()) {
            ObjectNode item = attachments.addObject()
                    .put("filename", attachment.filename())
                    .put("contentType", attachment.contentType())
                    .put("size", attachment.size());
            if (full) {
                item.put("contentBase64", Base64.getEncoder().encodeToString(attachment.content()));
            }
        }
        node.put("sentAt", email.sentAt());
        if (full) {
            node.put("raw", email.raw());
        }
        return node;
    }
}
