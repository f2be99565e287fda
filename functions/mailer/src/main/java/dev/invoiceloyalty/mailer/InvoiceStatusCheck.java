package dev.invoiceloyalty.mailer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.domain.InvoiceStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * The last look at an invoice before an email marked {@code onlyIfCollectible} (reminders, escalations) goes out: a
 * payment, void or dispute that landed after the reminder sweep cancels the send (SPEC §7).
 */
public interface InvoiceStatusCheck {

    /**
     * @param collectible true when the invoice is open or partially paid and not disputed
     * @param reason      why not, as a fixed code for the log ({@code invoice-paid}, {@code invoice-void},
     *                    {@code invoice-uncollectible}, {@code invoice-disputed}, {@code invoice-missing}); null when
     *                    collectible
     */
    record Verdict(boolean collectible, String reason) {
        static final Verdict COLLECTIBLE = new Verdict(true, null);

        static Verdict not(String reason) {
            return new Verdict(false, reason);
        }
    }

    Verdict check(String invoiceId);

    /**
     * Reads the invoice item {@code INVOICE#<id>} / {@code INVOICE} with a strongly consistent GetItem, so a payment
     * committed before the check is seen: its lifted {@code status} and the document's {@code disputed} flag.
     */
    static InvoiceStatusCheck dynamoDb(DynamoDbClient dynamoDb, String tableName) {
        return invoiceId -> {
            var response = dynamoDb.getItem(GetItemRequest.builder().tableName(tableName)
                    .key(Map.of("pk", AttributeValue.fromS("INVOICE#" + invoiceId), "sk", AttributeValue.fromS("INVOICE")))
                    .projectionExpression("#status, #doc")
                    .expressionAttributeNames(Map.of("#status", "status", "#doc", "doc"))
                    .consistentRead(true)
                    .build());
            if (!response.hasItem() || response.item().isEmpty()) {
                return Verdict.not("invoice-missing");
            }
            AttributeValue status = response.item().get("status");
            if (status == null || status.s() == null || !InvoiceStatus.valueOf(status.s()).isCollectible()) {
                return Verdict.not("invoice-" + (status == null || status.s() == null ? "missing"
                        : status.s().toLowerCase(Locale.ROOT)));
            }
            AttributeValue doc = response.item().get("doc");
            if (doc != null && doc.s() != null && disputed(doc.s())) {
                return Verdict.not("invoice-disputed");
            }
            return Verdict.COLLECTIBLE;
        };
    }

    /** For a mailer built without a table: an email that needs the check fails (and is retried) rather than go out. */
    static InvoiceStatusCheck unavailable() {
        return invoiceId -> {
            throw new IllegalStateException("this mailer has no invoice check; cannot send an onlyIfCollectible email");
        };
    }

    private static boolean disputed(String doc) {
        try {
            JsonNode tree = Json.tree(doc);
            return tree.path("disputed").asBoolean(false);
        } catch (IOException e) {
            throw new IllegalStateException("invoice document is not JSON", e);
        }
    }
}
