package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.RewardOffer;

import java.io.IOException;
/**
 * Writes an {@link Invoice} field by field, exactly as Jackson's record introspection would (same names, same
 * order, nulls written), without that introspection: the invoice is written on every hot path (the API's answer,
 * the stored document, the events), and building bean serializers for it and its eleven nested records by
 * reflection cost ~80 ms at a cold start (issue 8). {@code HandWrittenSerializersTest} compares both on many invoices.
 * Adding a component to {@code Invoice} or a nested record means adding it here: that test fails until then.
 */
final class InvoiceSerializer extends StdSerializer<Invoice> {
    InvoiceSerializer() {
        super(Invoice.class);
    }

    @Override
    public void serialize(Invoice inv, JsonGenerator g, SerializerProvider provider) throws IOException {
        write(inv, g);
    }

    static void write(Invoice inv, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("invoiceId", inv.invoiceId());
        g.writeStringField("number", inv.number());
        g.writeStringField("customerId", inv.customerId());
        g.writeStringField("currency", inv.currency());
        g.writeStringField("status", inv.status() == null ? null : inv.status().name());
        g.writeStringField("issueDate", inv.issueDate());
        g.writeStringField("dueDate", inv.dueDate());
        g.writeArrayFieldStart("lineItems");
        for (Invoice.LineItem l : inv.lineItems()) {
            g.writeStartObject();
            g.writeStringField("description", l.description());
            g.writeStringField("quantity", l.quantity());
            g.writeNumberField("unitAmount", l.unitAmount());
            g.writeStringField("taxRate", l.taxRate());
            g.writeNumberField("amount", l.amount());
            g.writeNumberField("tax", l.tax());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("subtotal", inv.subtotal());
        g.writeNumberField("tax", inv.tax());
        g.writeArrayFieldStart("discounts");
        for (Invoice.Discount d : inv.discounts()) {
            g.writeStartObject();
            g.writeStringField("description", d.description());
            g.writeNumberField("amount", d.amount());
            g.writeStringField("source", d.source());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("total", inv.total());
        g.writeNumberField("amountPaid", inv.amountPaid());
        g.writeNumberField("amountDue", inv.amountDue());
        g.writeNumberField("amountRefunded", inv.amountRefunded());
        g.writeArrayFieldStart("payments");
        for (Invoice.Payment p : inv.payments()) {
            g.writeStartObject();
            g.writeStringField("paymentId", p.paymentId());
            g.writeStringField("provider", p.provider());
            g.writeNumberField("amount", p.amount());
            g.writeStringField("paidAt", p.paidAt());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("refunds");
        for (Invoice.Refund r : inv.refunds()) {
            g.writeStartObject();
            g.writeStringField("refundId", r.refundId());
            g.writeNumberField("amount", r.amount());
            g.writeStringField("refundedAt", r.refundedAt());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("reminders");
        for (Invoice.ReminderRecord r : inv.reminders()) {
            g.writeStartObject();
            g.writeStringField("step", r.step());
            g.writeStringField("sentAt", r.sentAt());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeBooleanField("disputed", inv.disputed());
        g.writeStringField("escalation", inv.escalation() == null ? null : inv.escalation().name());
        g.writeStringField("remindersPausedUntil", inv.remindersPausedUntil());
        Invoice.EarlyPaymentDiscount e = inv.earlyPaymentDiscount();
        if (e == null) {
            g.writeNullField("earlyPaymentDiscount");
        } else {
            g.writeObjectFieldStart("earlyPaymentDiscount");
            g.writeStringField("percent", e.percent());
            g.writeNumberField("withinDays", e.withinDays());
            g.writeStringField("payBy", e.payBy());
            g.writeNumberField("discountAmount", e.discountAmount());
            g.writeNumberField("minimumPayment", e.minimumPayment());
            g.writeEndObject();
        }
        g.writeStringField("paymentUrl", inv.paymentUrl());
        g.writeStringField("externalReference", inv.externalReference());
        writeRewardOffer(inv.rewardOffer(), g);
        g.writeStringField("createdAt", inv.createdAt());
        g.writeStringField("updatedAt", inv.updatedAt());
        g.writeStringField("closedAt", inv.closedAt());
        g.writeStringField("timeZone", inv.timeZone());
        g.writeNumberField("cashDiscountTaken", inv.cashDiscountTaken());
        g.writeNumberField("amountCredited", inv.amountCredited());
        g.writeArrayFieldStart("disputes");
        for (Invoice.Dispute d : inv.disputes()) {
            g.writeStartObject();
            g.writeStringField("disputeId", d.disputeId());
            g.writeStringField("paymentId", d.paymentId());
            g.writeNumberField("amount", d.amount());
            g.writeStringField("status", d.status());
            g.writeStringField("openedAt", d.openedAt());
            g.writeStringField("closedAt", d.closedAt());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeRewardOffer(RewardOffer offer, JsonGenerator g) throws IOException {
        if (offer == null) {
            g.writeNullField("rewardOffer");
            return;
        }
        g.writeObjectFieldStart("rewardOffer");
        g.writeArrayFieldStart("earlyPayment");
        for (RewardOffer.EarlyCredit c : offer.earlyPayment()) {
            g.writeStartObject();
            g.writeStringField("payBy", c.payBy());
            g.writeStringField("percent", c.percent());
            g.writeNumberField("credit", c.credit());
            g.writeEndObject();
        }
        g.writeEndArray();
        RewardOffer.OnTime onTime = offer.onTime();
        if (onTime == null) {
            g.writeNullField("onTime");
        } else {
            g.writeObjectFieldStart("onTime");
            g.writeStringField("payBy", onTime.payBy());
            g.writeNumberField("points", onTime.points());
            g.writeStringField("tier", onTime.tier());
            g.writeEndObject();
        }
        g.writeNumberField("largeInvoiceBonusPoints", offer.largeInvoiceBonusPoints());
        g.writeEndObject();
    }
}
