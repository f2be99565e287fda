package dev.invoiceloyalty.adapters;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.domain.RewardOffer;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-written {@link InvoiceSerializer}, {@link InvoiceDeserializer}, {@link MailMessageSerializer} and
 * {@link OutboxMessageCodec} write and read exactly what Jackson's record introspection writes and reads: invoices in every shape (issued, paid, refunded, disputed, reminded, with cash-discount terms
 * and credits, every optional part absent) and emails of every kind. A component added to {@code Invoice},
 * {@code MailMessage} or a nested record and not to its serializer fails here.
 */
class HandWrittenSerializersTest {
    /** Our settings without the hand-written serializers: the reference. */
    private static final ObjectMapper REFLECTIVE = Json.configured(JsonMapper.builder()).build();

    @Test
    void everyShapeOfInvoiceIsWrittenAsRecordIntrospectionWritesIt() throws Exception {
        for (Invoice inv : shapes()) {
            String expected = REFLECTIVE.writeValueAsString(inv);

            assertEquals(expected, Json.write(inv), inv.invoiceId());
            assertEquals(inv, Json.read(Json.write(inv), Invoice.class), "reads back: " + inv.invoiceId());
        }
    }

    @Test
    void everyShapeOfInvoiceIsReadAsRecordIntrospectionReadsIt() throws Exception {
        List<String> documents = new ArrayList<>();
        for (Invoice inv : shapes()) {
            documents.add(REFLECTIVE.writeValueAsString(inv));
        }
        // Sparse and loose documents: absent parts, JSON nulls, unknown fields, numbers written as text.
        documents.add("{\"invoiceId\":\"inv_sparse\",\"rewardOffer\":null,\"earlyPaymentDiscount\":null}");
        documents.add("{\"invoiceId\":\"inv_nulls\",\"lineItems\":null,\"total\":null,\"disputed\":null,"
                + "\"status\":\"PAID\",\"escalation\":null,\"unknownField\":{\"x\":[1,2]},\"amountDue\":\"1250\","
                + "\"rewardOffer\":{\"earlyPayment\":[],\"onTime\":null,\"largeInvoiceBonusPoints\":0}}");
        for (String json : documents) {
            Invoice expected = REFLECTIVE.readValue(json, Invoice.class);

            assertEquals(expected, Json.read(json, Invoice.class), json);
        }
    }

    @Test
    void outboxMessagesAreWrittenAndReadAsRecordIntrospectionDoes() throws Exception {
        List<OutboxMessage> messages = List.of(OutboxMessage.mail("e1", "{\"emailId\":\"e1\",\"model\":{\"a\":\"\\u00e9\"}}"),
                OutboxMessage.payment("PaymentRecorded#inv_1", "PaymentRecorded", "{}"),
                OutboxMessage.event("InvoicePaid#inv_1", "InvoicePaid", "{\"invoiceId\":\"inv_1\"}"),
                new OutboxMessage("odd\n\"id\"", OutboxMessage.Kind.MAIL, null, null));
        for (OutboxMessage m : messages) {
            String expected = REFLECTIVE.writeValueAsString(m);

            assertEquals(expected, Json.write(m), m.messageId());
            assertEquals(REFLECTIVE.readValue(expected, OutboxMessage.class), Json.read(expected, OutboxMessage.class));
            assertEquals(m, Json.read(Json.write(m), OutboxMessage.class));
        }
    }

    /** Every kind of component the functions' records hold. */
    record Kinds(String text, long amount, int days, boolean flag, Escalation level, Invoice.Payment nested,
                 List<Invoice.Refund> refunds, List<String> names, Map<String, Object> model, java.math.BigDecimal rate,
                 Long boxed, Integer count, Map<String, Long> credits, Object anything) {
    }

    @Test
    void recordsOfEveryKindAreWrittenAndReadAsJacksonDoes() throws Exception {
        var config = ProgramConfig.defaults();
        Map<String, Object> model = new java.util.LinkedHashMap<>();
        model.put("a", "x");
        model.put("n", 12);
        model.put("big", 12345678901L);
        model.put("dec", new java.math.BigDecimal("1.50"));
        model.put("list", List.of(1, "zwei", true));
        model.put("nested", Map.of("k", List.of(Map.of("deep", "v"))));
        model.put("none", null);
        Map<String, Long> credits = new java.util.LinkedHashMap<>();
        credits.put("USD", 1200L);
        credits.put("EUR", 0L);
        List<Object> values = List.of(
                new Kinds("t\"ext\n", -5, 3, true, Escalation.AR_TEAM, new Invoice.Payment("pi", "stripe", 10, "2026-01-01T00:00:00Z"),
                        List.of(new Invoice.Refund("re", 1, null)), List.of("a", "b"), model, new java.math.BigDecimal("2.5"),
                        null, 7, credits, List.of("x", 1)),
                new Kinds(null, 0, 0, false, null, null, List.of(), List.of(), Map.of(), null, 5L, null, Map.of(), null),
                dev.invoiceloyalty.payments.PaymentMessage.paymentRecorded(PrimingSamples.paidInvoice(config)),
                new DynamoDbRewardStore.LedgerEntry("e1", "POINTS", "on-time", "inv_1", 120, 0, null, "2026-01-01T00:00:00Z",
                        "2027-01-01T00:00:00Z", "v1"),
                PrimingSamples.customer(config),
                Map.of("customerId", "c1", "entry", new DynamoDbRewardStore.LedgerEntry("e2", "CREDIT", "early", "inv_2", 0,
                        250, "EUR", "2026-01-01T00:00:00Z", null, null)),
                List.of(PrimingSamples.invoice(config), OutboxMessage.mail("m", "{}")));
        for (Object v : values) {
            String expected = REFLECTIVE.writeValueAsString(v);

            assertEquals(expected, Json.write(v), v.getClass().getSimpleName());
            if (v instanceof Record) {
                assertEquals(REFLECTIVE.readValue(expected, v.getClass()), Json.read(expected, v.getClass()),
                        "reads back: " + v.getClass().getSimpleName());
            }
        }
        // Loose input: absent, null and unknown fields, numbers in text.
        String loose = "{\"text\":null,\"amount\":\"42\",\"flag\":null,\"extra\":[1],\"refunds\":null,"
                + "\"model\":{\"x\":1.25,\"y\":[null]},\"count\":3}";
        assertEquals(REFLECTIVE.readValue(loose, Kinds.class), Json.read(loose, Kinds.class));
    }

    @Test
    void recordsThatDoNotFitAreRefusedAsJacksonRefusesThem() {
        for (String bad : List.of("{\"amount\":\"abc\"}", "{\"level\":\"NOPE\"}", "{\"text\":{\"a\":1}}",
                "{\"refunds\":{\"a\":1}}", "[1,2]", "{\"amount\":")) {
            assertTrue(org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> REFLECTIVE.readValue(bad, Kinds.class)) != null, bad);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Json.read(bad, Kinds.class), bad);
            assertTrue(e.getMessage().startsWith("malformed JSON for Kinds"), e.getMessage());
        }
    }

    @Test
    void emailsAreWrittenAsRecordIntrospectionWritesThem() throws Exception {
        var config = ProgramConfig.defaults();
        var emails = new dev.invoiceloyalty.mail.Emails(config, "Example Co");
        var customer = PrimingSamples.customer(config);
        Invoice inv = PrimingSamples.invoice(config);
        List<dev.invoiceloyalty.mail.MailMessage> messages = List.of(emails.invoiceIssued(inv, customer),
                emails.welcome(customer),
                new dev.invoiceloyalty.mail.MailMessage("reminder#1", "reminder", "de", List.of("a@example.com"),
                        List.of("ar@example.com"), "c1", "inv_1", Map.of("nested", Map.of("list", List.of(1, "zwei"))),
                        true),
                new dev.invoiceloyalty.mail.MailMessage("internal#1", "weekly", null, List.of("f@example.com"), null,
                        null, null, null));
        for (var m : messages) {
            assertEquals(REFLECTIVE.writeValueAsString(m), Json.write(m), m.emailId());
            // The model's numbers come back as the types JSON gives them, so compare what is written again.
            assertEquals(Json.write(m), Json.write(Json.read(Json.write(m), dev.invoiceloyalty.mail.MailMessage.class)),
                    m.emailId());
        }
    }

    @Test
    void invoicesInsideOtherValuesUseItToo() throws Exception {
        Invoice inv = PrimingSamples.invoice(ProgramConfig.defaults());
        Map<String, Object> page = Map.of("invoices", List.of(inv, inv));

        assertEquals(REFLECTIVE.writeValueAsString(page), Json.mapper().writeValueAsString(page));
    }

    @Test
    void theReferenceReallyIsTheReflectiveWriter() {
        assertTrue(REFLECTIVE.getRegisteredModuleIds().isEmpty(), "no module: Jackson's own record serializer");
        assertTrue(!Json.mapper().getRegisteredModuleIds().isEmpty(), "ours registers the hand-written one");
    }

    private static List<Invoice> shapes() {
        var config = ProgramConfig.defaults();
        Invoice issued = PrimingSamples.invoice(config);
        Invoice paid = PrimingSamples.paidInvoice(config);
        List<Invoice> out = new ArrayList<>(List.of(issued, paid));
        out.add(issued.toBuilder()
                .status(InvoiceStatus.PARTIALLY_PAID).amountPaid(500).amountDue(issued.total() - 500)
                .payments(List.of(new Invoice.Payment("pi_1", "stripe", 500, "2026-11-23T10:00:00.123Z")))
                .refunds(List.of(new Invoice.Refund("re_1", 100, "2026-11-24T10:00:00Z")))
                .reminders(List.of(new Invoice.ReminderRecord("pre_due", "2026-11-20T08:00:00Z"),
                        new Invoice.ReminderRecord("overdue_30", "2026-12-20T08:00:00Z")))
                .disputed(true).escalation(Escalation.COLLECTIONS).remindersPausedUntil("2027-01-01")
                .disputes(List.of(new Invoice.Dispute("dp_1", "pi_1", 500, "lost", "2026-11-25T00:00:00Z", null)))
                .cashDiscountTaken(220).amountCredited(300).closedAt(null).updatedAt("2026-11-26T00:00:00Z")
                .build());
        // Every optional part absent, and text that needs escaping.
        out.add(new Invoice("inv_\"quoted\"\n", null, "c1", "JPY", InvoiceStatus.VOID, "2026-11-01", "2026-12-01",
                List.of(new Invoice.LineItem("Größe \\ ✓", "1.5", 999, "19", 1499, 285)), 1499, 285,
                List.of(new Invoice.Discount("Reward credit", 100, null)), 1684, 0, 1684, 0, List.of(), List.of(),
                List.of(), false, Escalation.NONE, null,
                new Invoice.EarlyPaymentDiscount("2", 10, "2026-11-11", 34, 1650), null, null, null, null, null,
                null, null, 0, 0, List.of()));
        out.add(new Invoice("inv_offer", "INV-2026-000009", "c1", "EUR", InvoiceStatus.OPEN, "2026-11-01",
                "2026-12-01", List.of(), 0, 0, List.of(), 0, 0, 0, 0, List.of(), List.of(), List.of(), false,
                Escalation.AR_TEAM, null, null, "https://pay.example.com/x", "PO-7",
                new RewardOffer(List.of(new RewardOffer.EarlyCredit("2026-11-08", "2", 200)), null, 500),
                "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", null, "Europe/Berlin", 0, 0, List.of()));
        return out;
    }
}
