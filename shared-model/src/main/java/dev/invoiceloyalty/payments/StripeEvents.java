package dev.invoiceloyalty.payments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.domain.ProblemException;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/**
 * Stripe events (https://docs.stripe.com/api/events/object) → {@link ProviderEvent}. Event id: top-level {@code id};
 * time: {@code data.object.created}, else the event's {@code created} (SPEC §5).
 */
public final class StripeEvents {
    public static final String PROVIDER = "stripe";

    private StripeEvents() {
    }

    public static ProviderEvent parse(byte[] rawBody) {
        JsonNode root = tree(rawBody);
        String eventId = text(root, "id");
        String type = text(root, "type");
        if (eventId == null || type == null) {
            throw ProblemException.malformed("a Stripe event needs id and type");
        }
        JsonNode object = root.path("data").path("object");
        JsonNode created = object.hasNonNull("created") ? object.get("created") : root.get("created");
        if (created == null || !created.isIntegralNumber() || !created.canConvertToLong()) {
            // Without a time the cash-discount window and on-time rules cannot be judged: refuse, do not guess.
            throw ProblemException.malformed("the event has no integer created time");
        }
        Instant at = Instant.ofEpochSecond(created.asLong());
        String invoiceId = blankToNull(object.path("metadata").path("invoice_id").asText(null));
        return switch (type) {
            case "payment_intent.succeeded" -> new ProviderEvent.PaymentSucceeded(PROVIDER, eventId,
                    required(object, "id"), amount(object, "amount_received"), currency(object), invoiceId, at);
            case "charge.refunded" -> new ProviderEvent.Refund(PROVIDER, eventId, required(object, "id"),
                    paymentIntent(object), amount(object, "amount_refunded"), true, currency(object), invoiceId, at);
            case "charge.dispute.created", "charge.dispute.closed" -> new ProviderEvent.Dispute(PROVIDER, eventId,
                    required(object, "id"), paymentIntent(object), amount(object, "amount"),
                    object.path("status").asText(""), type.equals("charge.dispute.closed"), invoiceId, at);
            default -> new ProviderEvent.Ignored(PROVIDER, eventId, type);
        };
    }

    /** {@code payment_intent} is an id string, or the expanded object. */
    private static String paymentIntent(JsonNode object) {
        JsonNode pi = object.get("payment_intent");
        if (pi == null || pi.isNull()) {
            return null;
        }
        return pi.isObject() ? pi.path("id").asText(null) : pi.asText();
    }

    static JsonNode tree(byte[] rawBody) {
        try {
            JsonNode root = Json.tree(rawBody);
            if (root == null || !root.isObject()) {
                throw ProblemException.malformed("the event body must be a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw ProblemException.malformed("the event body is not valid JSON");
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    static String required(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null) {
            throw ProblemException.malformed("data.object." + field + " is required");
        }
        return v;
    }

    static long amount(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw ProblemException.malformed(field + " must be a non-negative integer amount in minor units");
        }
        return v.asLong();
    }

    private static String currency(JsonNode object) {
        String c = required(object, "currency");
        return c.toUpperCase(Locale.ROOT);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
