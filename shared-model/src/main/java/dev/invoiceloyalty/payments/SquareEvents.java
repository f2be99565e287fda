package dev.invoiceloyalty.payments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.domain.ProblemException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Square webhook notifications (https://developer.squareup.com/docs/webhooks/overview) → {@link ProviderEvent}.
 * Only {@code COMPLETED} payments and refunds move money; other statuses are acknowledged and ignored.
 * Event id: {@code event_id}; time: the object's {@code updated_at}, else {@code created_at}.
 */
public final class SquareEvents {
    public static final String PROVIDER = "square";

    private SquareEvents() {
    }

    public static ProviderEvent parse(byte[] rawBody) {
        JsonNode root = StripeEvents.tree(rawBody);
        String eventId = StripeEvents.text(root, "event_id");
        String type = StripeEvents.text(root, "type");
        if (eventId == null || type == null) {
            throw ProblemException.malformed("a Square notification needs event_id and type");
        }
        JsonNode object = root.path("data").path("object");
        switch (type) {
            case "payment.updated", "payment.created" -> {
                JsonNode payment = object.path("payment");
                if (!"COMPLETED".equals(payment.path("status").asText())) {
                    return new ProviderEvent.Ignored(PROVIDER, eventId, type + ":" + payment.path("status").asText());
                }
                JsonNode money = payment.path("amount_money");
                return new ProviderEvent.PaymentSucceeded(PROVIDER, eventId, StripeEvents.required(payment, "id"),
                        StripeEvents.amount(money, "amount"), currency(money),
                        StripeEvents.blankToNull(payment.path("reference_id").asText(null)), time(payment, root));
            }
            case "refund.updated", "refund.created" -> {
                JsonNode refund = object.path("refund");
                if (!"COMPLETED".equals(refund.path("status").asText())) {
                    return new ProviderEvent.Ignored(PROVIDER, eventId, type + ":" + refund.path("status").asText());
                }
                JsonNode money = refund.path("amount_money");
                return new ProviderEvent.Refund(PROVIDER, eventId, StripeEvents.required(refund, "id"),
                        StripeEvents.required(refund, "payment_id"), StripeEvents.amount(money, "amount"), false,
                        currency(money), null, time(refund, root));
            }
            default -> {
                return new ProviderEvent.Ignored(PROVIDER, eventId, type);
            }
        }
    }

    private static String currency(JsonNode money) {
        return StripeEvents.required(money, "currency").toUpperCase(Locale.ROOT);
    }

    private static Instant time(JsonNode object, JsonNode root) {
        String at = StripeEvents.text(object, "updated_at");
        if (at == null) {
            at = StripeEvents.text(object, "created_at");
        }
        if (at == null) {
            at = StripeEvents.text(root, "created_at");
        }
        try {
            return Instant.parse(at);
        } catch (DateTimeParseException | NullPointerException e) {
            throw ProblemException.malformed("the notification has no valid updated_at / created_at time");
        }
    }
}
