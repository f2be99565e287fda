package dev.invoiceloyalty.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvoicesApiTest {
    static ApiHarness api;

    @BeforeAll
    static void start() {
        api = new ApiHarness();
        api.createCustomer("c1", "de");
        api.createCustomer("c2", "en");
        api.drainMail();
    }

    @Test
    void anInvoiceIsCreatedWithHalfEvenLineArithmeticAndEveryFieldOfTheShape() {
        String body = "{\"customerId\":\"c1\",\"currency\":\"USD\",\"issueDate\":\"2026-11-20\",\"dueDate\":\"2026-12-20\","
                + "\"lineItems\":[{\"description\":\"A\",\"quantity\":\"1.5\",\"unitAmount\":333,\"taxRate\":\"8.25\"},"
                + "{\"description\":\"B\",\"quantity\":\"3\",\"unitAmount\":1999,\"taxRate\":\"0\"}]}";

        var r = api.createInvoice("shape-1", body);

        assertEquals(201, r.status(), r.body());
        JsonNode inv = r.json();
        // 1.5 × 333 = 499.5 → 500 (half-even); 500 × 8.25% = 41.25 → 41
        assertEquals(500, inv.get("lineItems").get(0).get("amount").asLong());
        assertEquals(41, inv.get("lineItems").get(0).get("tax").asLong());
        assertEquals(5997, inv.get("lineItems").get(1).get("amount").asLong());
        assertEquals(6497, inv.get("subtotal").asLong());
        assertEquals(41, inv.get("tax").asLong());
        assertEquals(6538, inv.get("total").asLong());
        assertEquals(6538, inv.get("amountDue").asLong());
        assertEquals(0, inv.get("amountPaid").asLong());
        assertEquals("OPEN", inv.get("status").asText());
        assertTrue(inv.get("number").asText().matches("INV-2026-\\d{6}"));
        assertTrue(inv.get("invoiceId").asText().startsWith("inv_"));
        for (String field : new String[]{"discounts", "payments", "refunds", "reminders", "disputed", "escalation",
                "remindersPausedUntil", "rewardOffer", "amountRefunded", "issueDate", "dueDate"}) {
            assertTrue(inv.has(field), field);
        }
        assertEquals("NONE", inv.get("escalation").asText());
        assertTrue(inv.get("remindersPausedUntil").isNull());
        assertEquals("2026-11-27", inv.get("rewardOffer").get("earlyPayment").get(0).get("payBy").asText());
        assertEquals(131, inv.get("rewardOffer").get("earlyPayment").get(0).get("credit").asLong()); // 2% of 65.38
        assertEquals(inv, api.get("/invoices/" + inv.get("invoiceId").asText()).json());
    }

    @Test
    void currenciesUseTheirOwnMinorUnits() {
        var jpy = api.createInvoice("jpy-1", "{\"customerId\":\"c1\",\"currency\":\"JPY\",\"lineItems\":"
                + "[{\"description\":\"x\",\"quantity\":\"0.5\",\"unitAmount\":3,\"taxRate\":\"10\"}]}");
        var kwd = api.createInvoice("kwd-1", "{\"customerId\":\"c1\",\"currency\":\"KWD\",\"lineItems\":"
                + "[{\"description\":\"x\",\"quantity\":\"1\",\"unitAmount\":10000500,\"taxRate\":\"0\"}]}");

        assertEquals(2, jpy.json().get("lineItems").get(0).get("amount").asLong()); // 1.5 yen → 2
        assertEquals(0, jpy.json().get("tax").asLong()); // 0.2 yen → 0
        assertEquals(10000500, kwd.json().get("total").asLong());
        // 10,000.500 KWD is a large invoice: the threshold is 10,000 major units in the invoice's currency.
        assertEquals(500, kwd.json().get("rewardOffer").get("largeInvoiceBonusPoints").asInt());
    }

    @Test
    void theSameKeyAndBodyReplaysTheFirstResponseAndAnotherBodyIsA409() {
        String body = ApiHarness.invoiceBody("c1", "EUR", "");
        var first = api.createInvoice("replay-1", body);
        var before = api.snapshot();
        api.drainMail();

        var again = api.createInvoice("replay-1", body);
        var reordered = api.createInvoice("replay-1", "{\"currency\":\"EUR\"," + body.substring(1)
                .replace("\"currency\":\"EUR\",", ""));
        var other = api.createInvoice("replay-1", ApiHarness.invoiceBody("c1", "USD", ""));

        assertEquals(201, first.status());
        assertEquals(201, again.status());
        assertEquals(first.body(), again.body());
        assertEquals("true", again.headers().get("idempotent-replayed"));
        assertEquals(201, reordered.status());
        assertEquals(409, other.status());
        assertEquals("application/problem+json", other.contentType());
        assertEquals(before, api.snapshot());
        assertEquals(0, api.drainMail().size());
    }

    @Test
    void aMissingIdempotencyKeyIsA400AndWritesNothing() {
        var before = api.snapshot();

        var r = api.createInvoice(null, ApiHarness.invoiceBody("c1", "EUR", ""));

        assertEquals(400, r.status());
        assertEquals("Idempotency-Key", r.json().get("errors").get(0).get("field").asText());
        assertEquals(before, api.snapshot());
    }

    @Test
    void aDuplicateExternalReferenceIsA409ButTheSameReferenceForAnotherCustomerIsFine() {
        var first = api.createInvoice("ref-1", ApiHarness.invoiceBody("c1", "EUR", ",\"externalReference\":\"PO-1\""));
        var before = api.snapshot();

        var dup = api.createInvoice("ref-2", ApiHarness.invoiceBody("c1", "EUR", ",\"externalReference\":\"PO-1\""));
        var afterDup = api.snapshot();
        var otherCustomer = api.createInvoice("ref-3", ApiHarness.invoiceBody("c2", "EUR", ",\"externalReference\":\"PO-1\""));

        assertEquals(201, first.status());
        assertEquals(409, dup.status());
        assertEquals(before, afterDup);
        assertEquals(201, otherCustomer.status());
    }

    @Test
    void anUnknownCustomerIsA422AndWritesNothing() {
        var before = api.snapshot();

        var r = api.createInvoice("unknown-1", ApiHarness.invoiceBody("ghost", "EUR", ""));

        assertEquals(422, r.status());
        assertEquals(before, api.snapshot());
    }

    @Test
    void invalidInvoicesAre400WithFieldErrorsAndWriteNothing() {
        var before = api.snapshot();

        var r = api.createInvoice("bad-1", "{\"customerId\":\"c1\",\"currency\":\"usd\",\"dueDate\":\"2026-13-01\","
                + "\"lineItems\":[{\"description\":\"x\",\"quantity\":2,\"unitAmount\":-1}]}");

        assertEquals(400, r.status());
        Set<String> fields = new HashSet<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(Set.of("currency", "dueDate", "lineItems[0].quantity", "lineItems[0].unitAmount"), fields);
        assertEquals(before, api.snapshot());
    }

    @Test
    void aBodyOver256KiBIsA413AndWritesNothing() {
        var before = api.snapshot();
        String big = "{\"customerId\":\"c1\",\"pad\":\"" + "x".repeat(256 * 1024) + "\"}";

        var r = api.createInvoice("big-1", big);

        assertEquals(413, r.status());
        assertEquals(before, api.snapshot());
    }

    @Test
    void creatingAnInvoiceWritesOneOutboxItemWhoseRelayQueuesTheIssuedEmailAndPublishesInvoiceCreated() {
        api.drainMail();
        var r = api.createInvoice("mail-1", ApiHarness.invoiceBody("c1", "EUR", ""));
        String id = r.json().get("invoiceId").asText();
        var outbox = api.outboxItems().stream().filter(i -> i.get("pk").s().equals("INVOICE#" + id)).toList();

        var mail = api.drainMail();

        assertEquals(1, outbox.size());
        assertEquals(dev.invoiceloyalty.adapters.OutboxItems.RELAY_OUTBOX, outbox.get(0).get("relay").s());
        assertEquals(List.of("mail#invoice-issued#" + id, "event#InvoiceCreated#" + id),
                dev.invoiceloyalty.adapters.OutboxItems.messagesOf(outbox.get(0)).stream()
                        .map(dev.invoiceloyalty.adapters.OutboxMessage::messageId).toList());
        assertEquals(1, mail.size());
        assertEquals("invoice-issued#" + id, mail.get(0).get("emailId").asText());
        assertEquals("de", mail.get(0).get("language").asText());
        assertEquals(r.json().get("number").asText(), mail.get(0).get("model").get("invoiceNumber").asText());
        assertEquals("110,00", mail.get(0).get("model").get("total").asText()); // German grouping, no symbol
        var created = api.busEvents().stream().filter(e -> e.detailType().equals("InvoiceCreated")
                && e.detail().contains(id)).toList();
        assertEquals(1, created.size());
        assertEquals("invoice-loyalty", created.get(0).source());
        assertEquals(r.json(), readTree(created.get(0).detail()), "the event's detail is the invoice as answered");
    }

    private static JsonNode readTree(String json) {
        try {
            return dev.invoiceloyalty.adapters.Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aCustomersInvoicesAreListedByStatusWithPaging() {
        api.createCustomer("c3", "en");
        for (int i = 0; i < 5; i++) {
            api.createInvoice("list-" + i, ApiHarness.invoiceBody("c3", "EUR", ""));
        }
        String voidId = api.createInvoice("list-void", ApiHarness.invoiceBody("c3", "EUR", "")).json().get("invoiceId").asText();
        api.post("/invoices/" + voidId + "/actions/void", null);

        var open = api.get("/customers/c3/invoices?status=OPEN");
        var page1 = api.get("/customers/c3/invoices?limit=4");
        var page2 = api.get("/customers/c3/invoices?limit=4&nextToken=" + page1.json().get("nextToken").asText());
        var badStatus = api.get("/customers/c3/invoices?status=LOST");

        assertEquals(5, open.json().get("invoices").size());
        open.json().get("invoices").forEach(i -> assertEquals("OPEN", i.get("status").asText()));
        assertEquals(4, page1.json().get("invoices").size());
        assertEquals(2, page2.json().get("invoices").size());
        assertTrue(page2.json().get("nextToken") == null || page2.json().get("nextToken").isNull()
                || page2.json().get("invoices").size() <= 4);
        assertEquals(400, badStatus.status());
        assertEquals(404, api.get("/customers/nobody/invoices").status());
    }

    @Test
    void actionsMoveTheInvoiceAndRefusedOnesAre422() {
        String id = api.createInvoice("act-1", ApiHarness.invoiceBody("c1", "EUR", "")).json().get("invoiceId").asText();

        var paused = api.post("/invoices/" + id + "/actions/pause-reminders", "{\"until\":\"2026-12-15\"}");
        var disputed = api.post("/invoices/" + id + "/actions/dispute", null);
        var disputedAgain = api.post("/invoices/" + id + "/actions/dispute", null);
        var resolved = api.post("/invoices/" + id + "/actions/resolve-dispute", null);
        var resumed = api.post("/invoices/" + id + "/actions/resume-reminders", null);
        var uncollectible = api.post("/invoices/" + id + "/actions/mark-uncollectible", null);
        var voidAfter = api.post("/invoices/" + id + "/actions/void", null);
        var unknown = api.post("/invoices/" + id + "/actions/explode", null);

        assertEquals("2026-12-15", paused.json().get("remindersPausedUntil").asText());
        assertTrue(disputed.json().get("disputed").asBoolean());
        assertEquals(422, disputedAgain.status());
        assertFalse(resolved.json().get("disputed").asBoolean());
        assertTrue(resumed.json().get("remindersPausedUntil").isNull());
        assertEquals("UNCOLLECTIBLE", uncollectible.json().get("status").asText());
        assertEquals(422, voidAfter.status());
        assertEquals(404, unknown.status());
        assertEquals("UNCOLLECTIBLE", api.get("/invoices/" + id).json().get("status").asText());
    }

    @Test
    void pausingNeedsADateAfterToday() {
        String id = api.createInvoice("pause-1", ApiHarness.invoiceBody("c1", "EUR", "")).json().get("invoiceId").asText();

        var missing = api.post("/invoices/" + id + "/actions/pause-reminders", "{}");
        var past = api.post("/invoices/" + id + "/actions/pause-reminders", "{\"until\":\"2026-11-01\"}");

        assertEquals(400, missing.status());
        assertEquals(400, past.status());
        assertTrue(api.get("/invoices/" + id).json().get("remindersPausedUntil").isNull());
    }

    @Test
    void anUnknownInvoiceIsA404() {
        assertEquals(404, api.get("/invoices/inv_doesnotexist").status());
        assertEquals(404, api.post("/invoices/inv_doesnotexist/actions/void", null).status());
    }

    @Test
    void openRewardCreditsAreAppliedOldestExpiringFirstNeverExpiredAndNeverBelowZero() {
        api.createCustomer("c-credit", "en");
        var ddb = api.ddb;
        putLot(ddb, "c-credit", "USD", "2027-03-01T00:00:00Z", "lot-late", 500);
        putLot(ddb, "c-credit", "USD", "2027-01-01T00:00:00Z", "lot-early", 300);
        putLot(ddb, "c-credit", "EUR", "2026-12-01T00:00:00Z", "lot-eur", 999);
        // expired before the invoice's creation (2026-11-22T09:00Z) but not yet written off by the daily run
        putLot(ddb, "c-credit", "USD", "2026-11-20T00:00:00Z", "lot-expired", 700);

        // gross 2 × 5000 + 10% = 11000; credits 300 + 500 are applied in expiry order
        var r = api.createInvoice("credit-1", ApiHarness.invoiceBody("c-credit", "USD", ""));
        // the next invoice finds no USD credit left
        var next = api.createInvoice("credit-2", ApiHarness.invoiceBody("c-credit", "USD", ""));

        assertEquals(201, r.status(), r.body());
        assertEquals(2, r.json().get("discounts").size());
        assertEquals(300, r.json().get("discounts").get(0).get("amount").asLong());
        assertEquals(500, r.json().get("discounts").get(1).get("amount").asLong());
        assertEquals(11000 - 800, r.json().get("total").asLong());
        assertEquals(0, next.json().get("discounts").size());
        assertEquals(11000, next.json().get("total").asLong());
        var customer = api.get("/customers/c-credit").json();
        assertEquals(2, customer.get("ledger").size());
        assertEquals("CREDIT_APPLIED", customer.get("ledger").get(0).get("type").asText());
    }

    @Test
    void aCustomerWithoutCreditCostsThreeReadsAndOneTransactionAndTheRelayNotTheApiSendsTheEmail() {
        var calls = dev.invoiceloyalty.local.SdkCalls.recording();
        var recorded = new ApiHarness(List.of(calls), List.of(calls));
        recorded.createCustomer("c-plain", "en");
        recorded.drainMail();
        calls.arm();

        var r = recorded.createInvoice("plain-1", ApiHarness.invoiceBody("c-plain", "USD", ""));
        var onTheRequestPath = calls.calls();
        recorded.relay();

        assertEquals(201, r.status(), r.body());
        // idempotency record, customer, number counter; the creation with its outbox item; no send (issue 8)
        assertEquals(List.of("DynamoDb:GetItem", "DynamoDb:GetItem", "DynamoDb:GetItem", "DynamoDb:TransactWriteItems"),
                onTheRequestPath);
        assertEquals(List.of("Sqs:SendMessage"), calls.calls().subList(onTheRequestPath.size(), calls.calls().size()));
    }

    private void putLot(software.amazon.awssdk.services.dynamodb.DynamoDbClient ddb, String customerId, String currency,
                        String expiresAt, String entryId, long amount) {
        ddb.putItem(b -> b.tableName(api.table).item(Map.of(
                "pk", dev.invoiceloyalty.adapters.Attr.s("CUSTOMER#" + customerId),
                "sk", dev.invoiceloyalty.adapters.Attr.s("CREDIT#" + currency + "#" + expiresAt + "#" + entryId),
                "entryId", dev.invoiceloyalty.adapters.Attr.s(entryId),
                "remaining", dev.invoiceloyalty.adapters.Attr.n(amount),
                "expiresAt", dev.invoiceloyalty.adapters.Attr.s(expiresAt))));
        // As LedgerItems does: the profile's cached balance moves with the lot (the API reads lots only when it is > 0).
        ddb.updateItem(b -> b.tableName(api.table)
                .key(dev.invoiceloyalty.adapters.Attr.key("CUSTOMER#" + customerId, "PROFILE"))
                .updateExpression("SET credits.#c = if_not_exists(credits.#c, :zero) + :amount")
                .expressionAttributeNames(Map.of("#c", currency))
                .expressionAttributeValues(Map.of(":zero", dev.invoiceloyalty.adapters.Attr.n(0),
                        ":amount", dev.invoiceloyalty.adapters.Attr.n(amount))));
    }

    @Test
    void sampleEventsFromTheEventsFolderWorkThroughTheHandler() {
        var customer = api.call(ApiHarness.sample("put-customer.json"));
        var invoice = api.call(ApiHarness.sample("create-invoice.json"));
        var base64 = api.call(ApiHarness.sample("create-invoice-base64.json"));
        var got = api.call(ApiHarness.sample("get-customer.json"));
        var list = api.call(ApiHarness.sample("list-customer-invoices.json"));

        assertTrue(customer.status() == 201 || customer.status() == 200);
        assertEquals(201, invoice.status(), invoice.body());
        assertNotNull(invoice.json().get("earlyPaymentDiscount"));
        // 12.5 × 95.00 = 1,187.50 + 19% = 225.625 → 225.62 (half-even); travel 239.99
        assertEquals(118750 + 23999, invoice.json().get("subtotal").asLong());
        assertEquals(22562, invoice.json().get("tax").asLong());
        assertEquals(201, base64.status(), base64.body());
        assertEquals(39600, base64.json().get("total").asLong());
        assertEquals("Acme GmbH", got.json().get("name").asText());
        assertEquals(200, list.status());
        assertTrue(list.json().get("invoices").size() >= 2);
    }
}
