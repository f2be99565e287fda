package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.domain.RewardOffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads an {@link Invoice} from its JSON tree, field by field, as Jackson's record introspection would (a missing
 * or null number is 0, a missing text or object null, a missing list empty, unknown fields ignored), without that
 * introspection: every function that reads an invoice (webhook, reward side, sweep, statements, the API) would
 * otherwise build bean deserializers for it and its nested records by reflection on its cold start (issue 8).
 * {@code HandWrittenSerializersTest} reads every shape with both. Adding a component to {@code Invoice} or a nested
 * record means adding it here and in {@link InvoiceSerializer}: that test fails until then.
 */
final class InvoiceDeserializer extends StdDeserializer<Invoice> {
    InvoiceDeserializer() {
        super(Invoice.class);
    }

    @Override
    public Invoice deserialize(JsonParser p, DeserializationContext context) throws IOException {
        JsonNode n = p.readValueAsTree();
        return invoice(n);
    }

    static Invoice invoice(JsonNode n) {
        return new Invoice(
                text(n, "invoiceId"),
                text(n, "number"),
                text(n, "customerId"),
                text(n, "currency"),
                enumOf(n, "status", InvoiceStatus::valueOf),
                text(n, "issueDate"),
                text(n, "dueDate"),
                list(n, "lineItems", l -> new Invoice.LineItem(text(l, "description"), text(l, "quantity"),
                        num(l, "unitAmount"), text(l, "taxRate"), num(l, "amount"), num(l, "tax"))),
                num(n, "subtotal"),
                num(n, "tax"),
                list(n, "discounts", d -> new Invoice.Discount(text(d, "description"), num(d, "amount"),
                        text(d, "source"))),
                num(n, "total"),
                num(n, "amountPaid"),
                num(n, "amountDue"),
                num(n, "amountRefunded"),
                list(n, "payments", x -> new Invoice.Payment(text(x, "paymentId"), text(x, "provider"),
                        num(x, "amount"), text(x, "paidAt"))),
                list(n, "refunds", x -> new Invoice.Refund(text(x, "refundId"), num(x, "amount"),
                        text(x, "refundedAt"))),
                list(n, "reminders", x -> new Invoice.ReminderRecord(text(x, "step"), text(x, "sentAt"))),
                n.path("disputed").asBoolean(false),
                enumOf(n, "escalation", Escalation::valueOf),
                text(n, "remindersPausedUntil"),
                object(n, "earlyPaymentDiscount", e -> new Invoice.EarlyPaymentDiscount(text(e, "percent"),
                        (int) num(e, "withinDays"), text(e, "payBy"), num(e, "discountAmount"),
                        num(e, "minimumPayment"))),
                text(n, "paymentUrl"),
                text(n, "externalReference"),
                object(n, "rewardOffer", o -> new RewardOffer(
                        list(o, "earlyPayment", c -> new RewardOffer.EarlyCredit(text(c, "payBy"), text(c, "percent"),
                                num(c, "credit"))),
                        object(o, "onTime", t -> new RewardOffer.OnTime(text(t, "payBy"), num(t, "points"),
                                text(t, "tier"))),
                        (int) num(o, "largeInvoiceBonusPoints"))),
                text(n, "createdAt"),
                text(n, "updatedAt"),
                text(n, "closedAt"),
                text(n, "timeZone"),
                num(n, "cashDiscountTaken"),
                num(n, "amountCredited"),
                list(n, "disputes", d -> new Invoice.Dispute(text(d, "disputeId"), text(d, "paymentId"),
                        num(d, "amount"), text(d, "status"), text(d, "openedAt"), text(d, "closedAt"))));
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static long num(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? 0 : v.asLong();
    }

    private static <E extends Enum<E>> E enumOf(JsonNode n, String field, Function<String, E> valueOf) {
        String name = text(n, field);
        return name == null ? null : valueOf.apply(name);
    }

    private static <T> T object(JsonNode n, String field, Function<JsonNode, T> read) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : read.apply(v);
    }

    /** A list field; absent or null reads as null, which the records' constructors turn into an empty list. */
    private static <T> List<T> list(JsonNode n, String field, Function<JsonNode, T> read) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        List<T> out = new ArrayList<>(v.size());
        for (JsonNode element : v) {
            out.add(read.apply(element));
        }
        return out;
    }
}
