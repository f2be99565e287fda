package dev.invoiceloyalty.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Attr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /customers/{customerId}/redemptions} (SPEC §4, §6: 100 points = 1.00 credit in the chosen currency) on
 * DynamoDB Local through the real handler. Points are seeded as the reward side writes them: a lot
 * {@code CUSTOMER#<id>} / {@code POINTS#<expiresAt>#<entryId>} with {@code remaining}, listed in the expiry index,
 * its {@code EARNED_POINTS} ledger entry, and the customer's cached {@code points} set to match.
 */
class RedemptionApiTest {
    static ApiHarness api;

    @BeforeAll
    static void start() {
        api = new ApiHarness();
    }

    // --- seeding -------------------------------------------------------------------------------------------------

    /** A customer holding the given points lots: {expiresAt, entryId, remaining} each; the cache matches them. */
    private static void customerWithPoints(String customerId, Object[]... lots) {
        assertEquals(201, api.createCustomer(customerId, "en").status());
        long total = 0;
        for (Object[] lot : lots) {
            putPointsLot(customerId, (String) lot[0], (String) lot[1], ((Number) lot[2]).longValue());
            total += ((Number) lot[2]).longValue();
        }
        final long points = total;
        api.ddb.updateItem(b -> b.tableName(api.table)
                .key(Attr.key("CUSTOMER#" + customerId, "PROFILE"))
                .updateExpression("SET points = :p")
                .expressionAttributeValues(Map.of(":p", Attr.n(points))));
        api.drainMail();
    }

    private static Object[] lot(String expiresAt, String entryId, long remaining) {
        return new Object[]{expiresAt, entryId, remaining};
    }

    private static void putPointsLot(String customerId, String expiresAt, String entryId, long remaining) {
        String sk = "POINTS#" + expiresAt + "#" + entryId;
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", Attr.s("CUSTOMER#" + customerId));
        item.put("sk", Attr.s(sk));
        item.put("type", Attr.s("POINTS_LOT"));
        item.put("entryId", Attr.s(entryId));
        item.put("amount", Attr.n(remaining));
        item.put("remaining", Attr.n(remaining));
        item.put("currency", Attr.s(null));
        item.put("expiresAt", Attr.s(expiresAt));
        item.put("customerId", Attr.s(customerId));
        item.put("gsi2pk", Attr.s("REWARD_EXPIRY"));
        item.put("gsi2sk", Attr.s(expiresAt + "#" + customerId + "#" + sk));
        api.ddb.putItem(b -> b.tableName(api.table).item(item));
        // The entry that earned it, twelve months before it expires.
        String earnedAt = Instant.parse(expiresAt).atZone(ZoneOffset.UTC).minusMonths(12).toInstant().toString();
        Map<String, AttributeValue> ledger = new HashMap<>();
        ledger.put("pk", Attr.s("CUSTOMER#" + customerId));
        ledger.put("sk", Attr.s("LEDGER#" + earnedAt + "#" + entryId));
        ledger.put("type", Attr.s("LEDGER"));
        ledger.put("entryId", Attr.s(entryId));
        ledger.put("entryType", Attr.s("EARNED_POINTS"));
        ledger.put("rule", Attr.s("on-time"));
        ledger.put("invoiceId", Attr.s("inv_" + entryId));
        ledger.put("points", Attr.n(remaining));
        ledger.put("amount", Attr.n(0));
        ledger.put("currency", Attr.s(null));
        ledger.put("createdAt", Attr.s(earnedAt));
        ledger.put("expiresAt", Attr.s(expiresAt));
        api.ddb.putItem(b -> b.tableName(api.table).item(ledger));
    }

    // --- reading -------------------------------------------------------------------------------------------------

    private static ApiHarness.Response redeem(String customerId, String key, String body) {
        return api.call("POST", "/customers/" + customerId + "/redemptions", body,
                key == null ? Map.of() : Map.of("idempotency-key", key));
    }

    private static List<Map<String, AttributeValue>> items(String customerId, String skPrefix) {
        return api.ddb.query(QueryRequest.builder().tableName(api.table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                .expressionAttributeValues(Map.of(":pk", Attr.s("CUSTOMER#" + customerId), ":p", Attr.s(skPrefix)))
                .build()).items();
    }

    private static Map<String, AttributeValue> pointsLot(String customerId, String entryId) {
        return items(customerId, "POINTS#").stream().filter(i -> entryId.equals(Attr.str(i, "entryId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no points lot " + entryId));
    }

    private static long remainingPoints(String customerId) {
        return items(customerId, "POINTS#").stream().mapToLong(i -> Attr.num(i, "remaining")).sum();
    }

    private static List<Map<String, AttributeValue>> ledgerOfType(String customerId, String type) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (var item : items(customerId, "LEDGER#")) {
            if (type.equals(Attr.str(item, "entryType"))) {
                out.add(item);
            }
        }
        return out;
    }

    private static long cachedPoints(String customerId) {
        return Attr.num(api.ddb.getItem(b -> b.tableName(api.table).consistentRead(true)
                .key(Attr.key("CUSTOMER#" + customerId, "PROFILE"))).item(), "points");
    }

    private static List<String> errorFields(ApiHarness.Response r) {
        List<String> fields = new ArrayList<>();
        for (JsonNode e : r.json().path("errors")) {
            fields.add(e.path("field").asText());
        }
        return fields;
    }

    private static String usd(long points) {
        return "{\"points\":" + points + ",\"currency\":\"USD\"}";
    }

    // --- the route -------------------------------------------------------------------------------------------------

    @Test
    void givenTheSampleEvent_whenItRedeems250PointsInUsd_thenItIsA201WithTheRedeemedEntryAndTheNewBalances() {
        assertEquals(201, api.call(ApiHarness.sample("put-customer.json")).status());
        putPointsLot("cust-acme", "2027-02-01T00:00:00Z", "acme-a", 100);
        putPointsLot("cust-acme", "2027-06-01T00:00:00Z", "acme-b", 400);
        api.ddb.updateItem(b -> b.tableName(api.table).key(Attr.key("CUSTOMER#cust-acme", "PROFILE"))
                .updateExpression("SET points = :p").expressionAttributeValues(Map.of(":p", Attr.n(500))));

        var r = api.call(ApiHarness.sample("redeem-points.json"));

        assertEquals(201, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonNode entries = r.json().get("entries");
        assertEquals(1, entries.size(), r.body());
        JsonNode entry = entries.get(0);
        assertEquals("REDEEMED", entry.get("type").asText());
        assertEquals(-250, entry.get("points").asLong());
        assertEquals(250, entry.get("amount").asLong()); // 250 points = 2.50 USD
        assertEquals("USD", entry.get("currency").asText());
        assertFalse(entry.path("entryId").asText().isEmpty());
        assertEquals(ApiHarness.NOW.toString(), entry.get("createdAt").asText());
        assertEquals("2027-11-22T09:00:00Z", entry.get("expiresAt").asText()); // credits expire 12 months after issue
        assertEquals(250, r.json().get("points").asLong());
        assertEquals(250, r.json().get("credits").get("USD").asLong());
        assertEquals(1, r.json().get("credits").size());
    }

    @Test
    void givenLotsExpiringAtDifferentTimes_whenPointsAreRedeemed_thenTheOldestExpiringLotsAreSpentFirst() {
        // Written out of expiry order on purpose.
        customerWithPoints("c-oldest", lot("2027-09-01T00:00:00Z", "lot-late", 300),
                lot("2027-02-01T00:00:00Z", "lot-early", 100), lot("2027-05-01T00:00:00Z", "lot-mid", 200));

        var r = redeem("c-oldest", "oldest-1", usd(250));

        assertEquals(201, r.status(), r.body());
        var early = pointsLot("c-oldest", "lot-early");
        var mid = pointsLot("c-oldest", "lot-mid");
        var late = pointsLot("c-oldest", "lot-late");
        assertEquals(0, Attr.num(early, "remaining"));
        assertEquals(50, Attr.num(mid, "remaining"));
        assertEquals(300, Attr.num(late, "remaining"));
        // An emptied lot leaves the expiry index; a lot with something left stays in it.
        assertFalse(early.containsKey("gsi2pk"), "the emptied lot is still in the expiry index: " + early);
        assertEquals("REWARD_EXPIRY", Attr.str(mid, "gsi2pk"));
        assertEquals(350, cachedPoints("c-oldest"));
        assertEquals(350, remainingPoints("c-oldest"));
    }

    @Test
    void givenARedemptionInUsd_whenTheNextUsdInvoiceIsCreated_thenTheNewCreditLotIsAppliedAsADiscount() {
        customerWithPoints("c-credit", lot("2027-03-01T00:00:00Z", "lot-1", 400));

        var redeemed = redeem("c-credit", "credit-lot-1", usd(250));
        var lots = items("c-credit", "CREDIT#USD#");
        var invoice = api.createInvoice("credit-lot-invoice", ApiHarness.invoiceBody("c-credit", "USD", ""));
        var customer = api.get("/customers/c-credit").json();

        assertEquals(201, redeemed.status(), redeemed.body());
        assertEquals(1, lots.size(), "one credit lot: " + lots);
        var lot = lots.get(0);
        assertEquals(250, Attr.num(lot, "remaining"));
        assertEquals("USD", Attr.str(lot, "currency"));
        assertEquals("2027-11-22T09:00:00Z", Attr.str(lot, "expiresAt"));
        assertEquals(redeemed.json().get("entries").get(0).get("entryId").asText(), Attr.str(lot, "entryId"));
        assertEquals("REWARD_EXPIRY", Attr.str(lot, "gsi2pk"), "the credit lot expires through the daily run");
        // gross 2 × 50.00 + 10% = 110.00; the 2.50 credit is a discount line
        assertEquals(201, invoice.status(), invoice.body());
        assertEquals(1, invoice.json().get("discounts").size(), invoice.body());
        assertEquals(250, invoice.json().get("discounts").get(0).get("amount").asLong());
        assertEquals(11000 - 250, invoice.json().get("total").asLong());
        assertEquals(11000 - 250, invoice.json().get("amountDue").asLong());
        assertEquals(0, customer.get("credits").get("USD").asLong());
        assertEquals(150, customer.get("points").asLong());
    }

    @Test
    void givenACreditInUsd_whenAnEurInvoiceIsCreated_thenItCarriesNoDiscount() {
        customerWithPoints("c-other-cur", lot("2027-03-01T00:00:00Z", "lot-1", 400));
        assertEquals(201, redeem("c-other-cur", "other-cur-1", usd(400)).status());

        var invoice = api.createInvoice("other-cur-invoice", ApiHarness.invoiceBody("c-other-cur", "EUR", ""));

        assertEquals(201, invoice.status(), invoice.body());
        assertEquals(0, invoice.json().get("discounts").size());
        assertEquals(11000, invoice.json().get("total").asLong());
        assertEquals(400, api.get("/customers/c-other-cur").json().get("credits").get("USD").asLong());
    }

    @Test
    void givenExactlyTheBalance_whenItIsRedeemed_thenEveryLotIsEmptyAndThePointsAreZero() {
        customerWithPoints("c-exact", lot("2027-02-01T00:00:00Z", "lot-a", 100), lot("2027-04-01T00:00:00Z", "lot-b", 400));

        var r = redeem("c-exact", "exact-1", usd(500));

        assertEquals(201, r.status(), r.body());
        assertEquals(0, r.json().get("points").asLong());
        assertEquals(500, r.json().get("credits").get("USD").asLong());
        assertEquals(0, remainingPoints("c-exact"));
        assertEquals(0, cachedPoints("c-exact"));
    }

    @Test
    void givenMorePointsThanTheBalance_whenRedeemed_thenItIsA422AndNothingIsWritten() {
        customerWithPoints("c-short", lot("2027-02-01T00:00:00Z", "lot-a", 100), lot("2027-04-01T00:00:00Z", "lot-b", 400));
        var before = api.snapshot();

        var r = redeem("c-short", "short-1", usd(501));

        assertEquals(422, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(422, r.json().get("status").asInt());
        assertTrue(errorFields(r).contains("points"), r.body());
        assertEquals(before, api.snapshot());
    }

    @Test
    void givenAShortBalance_whenTheSameKeyIsRetriedAfterMorePointsArrive_thenItRedeems() {
        // A refused request stores nothing under its key, so the key stays usable.
        customerWithPoints("c-later", lot("2027-02-01T00:00:00Z", "lot-a", 100));
        assertEquals(422, redeem("c-later", "later-1", usd(300)).status());
        putPointsLot("c-later", "2027-05-01T00:00:00Z", "lot-b", 200);
        api.ddb.updateItem(b -> b.tableName(api.table).key(Attr.key("CUSTOMER#c-later", "PROFILE"))
                .updateExpression("SET points = :p").expressionAttributeValues(Map.of(":p", Attr.n(300))));

        var r = redeem("c-later", "later-1", usd(300));

        assertEquals(201, r.status(), r.body());
        assertEquals(0, remainingPoints("c-later"));
    }

    @Test
    void givenNoIdempotencyKey_whenRedeeming_thenItIsA400NamingTheHeaderAndNothingIsWritten() {
        customerWithPoints("c-nokey", lot("2027-02-01T00:00:00Z", "lot-a", 500));
        var before = api.snapshot();

        var r = redeem("c-nokey", null, usd(100));

        assertEquals(400, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(List.of("Idempotency-Key"), errorFields(r));
        assertEquals(before, api.snapshot());
    }

    @Test
    void givenTheSameKeyAndBody_whenRedeemedAgain_thenTheFirstResponseIsReplayedAndNothingIsRedeemedTwice() {
        customerWithPoints("c-replay", lot("2027-02-01T00:00:00Z", "lot-a", 500));
        var first = redeem("c-replay", "replay-1", usd(250));
        var afterFirst = api.snapshot();

        var again = redeem("c-replay", "replay-1", usd(250));
        var reordered = redeem("c-replay", "replay-1", "{ \"currency\": \"USD\", \"points\": 250 }");

        assertEquals(201, first.status(), first.body());
        assertEquals(201, again.status(), again.body());
        assertEquals(first.body(), again.body());
        assertEquals("true", again.headers().get("idempotent-replayed"));
        assertEquals(201, reordered.status(), reordered.body());
        assertEquals(first.body(), reordered.body());
        assertEquals(afterFirst, api.snapshot());
        assertEquals(250, remainingPoints("c-replay"));
        assertEquals(250, cachedPoints("c-replay"));
        assertEquals(1, ledgerOfType("c-replay", "REDEEMED").size());
        assertEquals(1, items("c-replay", "CREDIT#").size());
        assertEquals(250, api.get("/customers/c-replay").json().get("credits").get("USD").asLong());
    }

    @Test
    void givenTheSameKeyFromManyClientsAtOnce_whenRedeemed_thenEveryoneGetsTheOneRedemption() throws Exception {
        customerWithPoints("c-race-key", lot("2027-02-01T00:00:00Z", "lot-a", 500));

        var responses = inParallel(8, i -> redeem("c-race-key", "race-key-1", usd(250)));

        for (var r : responses) {
            assertEquals(201, r.status(), r.body());
            assertEquals(responses.get(0).body(), r.body());
        }
        assertEquals(250, remainingPoints("c-race-key"));
        assertEquals(250, cachedPoints("c-race-key"));
        assertEquals(1, ledgerOfType("c-race-key", "REDEEMED").size());
        assertEquals(1, items("c-race-key", "CREDIT#").size());
    }

    @Test
    void givenConcurrentRedemptionsThatTogetherExceedTheBalance_whenRedeemed_thenTheBalanceIsNeverOverdrawn()
            throws Exception {
        customerWithPoints("c-race", lot("2027-02-01T00:00:00Z", "lot-a", 150), lot("2027-04-01T00:00:00Z", "lot-b", 350));

        var responses = inParallel(5, i -> redeem("c-race", "race-" + i, usd(200)));

        long created = responses.stream().filter(r -> r.status() == 201).count();
        for (var r : responses) {
            assertTrue(r.status() == 201 || r.status() == 422, r.status() + " " + r.body());
        }
        assertEquals(2, created, "500 points cover two redemptions of 200");
        assertEquals(100, remainingPoints("c-race"));
        assertEquals(100, cachedPoints("c-race"));
        assertEquals(2, ledgerOfType("c-race", "REDEEMED").size());
        assertEquals(400, api.get("/customers/c-race").json().get("credits").get("USD").asLong());
    }

    private static List<ApiHarness.Response> inParallel(int n, java.util.function.IntFunction<ApiHarness.Response> call)
            throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        var go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<ApiHarness.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.apply(k);
                }));
            }
            go.countDown();
            List<ApiHarness.Response> out = new ArrayList<>();
            for (var f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givenTheIdempotencyRecordHasExpired_whenTheKeyIsUsedAgain_thenTheClientIsNotToldToRetryForever() {
        // DynamoDB TTL deletes the idempotency record after invoice.idempotencyHours (24 h); deleting it here is that.
        customerWithPoints("c-expired-key", lot("2027-02-01T00:00:00Z", "lot-a", 500));
        assertEquals(201, redeem("c-expired-key", "expired-key-1", usd(100)).status());
        api.ddb.deleteItem(b -> b.tableName(api.table).key(Attr.key(
                "IDEMPOTENCY#POST /customers/c-expired-key/redemptions#expired-key-1", "IDEMPOTENCY")));

        var r = redeem("c-expired-key", "expired-key-1", usd(100));

        // As POST /invoices does once its record has expired, the key counts as new: a second redemption.
        assertEquals(201, r.status(), r.body());
        assertEquals(300, remainingPoints("c-expired-key"));
    }

    @Test
    void givenTheSameKeyWithAnotherBody_whenRedeemed_thenItIsA409AndNothingIsWritten() {
        customerWithPoints("c-reuse", lot("2027-02-01T00:00:00Z", "lot-a", 500));
        assertEquals(201, redeem("c-reuse", "reuse-1", usd(100)).status());
        var before = api.snapshot();

        var r = redeem("c-reuse", "reuse-1", usd(200));

        assertEquals(409, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(before, api.snapshot());
    }

    @Test
    void givenPointsThatMakeAFractionOfAYen_whenRedeemedInJpy_thenItIsA400NamingPointsAndNothingIsWritten() {
        customerWithPoints("c-jpy", lot("2027-02-01T00:00:00Z", "lot-a", 500));
        var before = api.snapshot();

        // JPY has no minor unit: 100 points = 1 yen, so 150 points would be 1.5 yen.
        var r = redeem("c-jpy", "jpy-1", "{\"points\":150,\"currency\":\"JPY\"}");

        assertEquals(400, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(List.of("points"), errorFields(r));
        assertEquals(before, api.snapshot());
    }

    @Test
    void givenCurrenciesWithOtherMinorUnits_whenRedeemed_thenTheCreditIsInThatCurrencysMinorUnits() {
        customerWithPoints("c-minor", lot("2027-02-01T00:00:00Z", "lot-a", 1000));

        var jpy = redeem("c-minor", "minor-jpy", "{\"points\":200,\"currency\":\"JPY\"}");
        var kwd = redeem("c-minor", "minor-kwd", "{\"points\":100,\"currency\":\"KWD\"}");
        var cent = redeem("c-minor", "minor-usd", usd(1));

        assertEquals(201, jpy.status(), jpy.body());
        assertEquals(2, jpy.json().get("entries").get(0).get("amount").asLong()); // 2 yen
        assertEquals(201, kwd.status(), kwd.body());
        assertEquals(1000, kwd.json().get("entries").get(0).get("amount").asLong()); // 1.000 KWD
        assertEquals(201, cent.status(), cent.body());
        assertEquals(1, cent.json().get("entries").get(0).get("amount").asLong()); // 0.01 USD
        var customer = api.get("/customers/c-minor").json();
        assertEquals(1000 - 200 - 100 - 1, customer.get("points").asLong());
        assertEquals(2, customer.get("credits").get("JPY").asLong());
        assertEquals(1000, customer.get("credits").get("KWD").asLong());
        assertEquals(1, customer.get("credits").get("USD").asLong());
    }

    @Test
    void givenAnUnknownCustomer_whenRedeeming_thenItIsA404AndNothingIsWritten() {
        var before = api.snapshot();

        var r = redeem("c-nobody", "nobody-1", usd(100));

        assertEquals(404, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(before, api.snapshot());
    }

    @Test
    void givenAnUnknownField_whenRedeeming_thenItIsA400NamingThatField() {
        customerWithPoints("c-field", lot("2027-02-01T00:00:00Z", "lot-a", 500));
        var before = api.snapshot();

        var r = redeem("c-field", "field-1", "{\"points\":100,\"currency\":\"USD\",\"bonus\":true}");

        assertEquals(400, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(List.of("bonus"), errorFields(r));
        assertEquals(before, api.snapshot());
    }

    @Test
    void givenPointsThatAreNotAPositiveInteger_whenRedeeming_thenEachIsA400NamingPoints() {
        customerWithPoints("c-points", lot("2027-02-01T00:00:00Z", "lot-a", 500));
        var before = api.snapshot();
        List<String> bodies = List.of("{\"points\":\"250\",\"currency\":\"USD\"}", "{\"points\":2.5,\"currency\":\"USD\"}",
                "{\"points\":0,\"currency\":\"USD\"}", "{\"points\":-100,\"currency\":\"USD\"}",
                "{\"points\":null,\"currency\":\"USD\"}", "{\"currency\":\"USD\"}",
                "{\"points\":99999999999999999999999,\"currency\":\"USD\"}");

        for (int i = 0; i < bodies.size(); i++) {
            var r = redeem("c-points", "points-" + i, bodies.get(i));

            assertEquals(400, r.status(), bodies.get(i) + " -> " + r.body());
            assertEquals(List.of("points"), errorFields(r), bodies.get(i) + " -> " + r.body());
        }
        assertEquals(before, api.snapshot());
    }

    @Test
    void givenACurrencyThatIsNotAnIsoCode_whenRedeeming_thenItIsA400NamingCurrency() {
        customerWithPoints("c-cur", lot("2027-02-01T00:00:00Z", "lot-a", 500));
        var before = api.snapshot();

        var lower = redeem("c-cur", "cur-1", "{\"points\":100,\"currency\":\"usd\"}");
        var missing = redeem("c-cur", "cur-2", "{\"points\":100}");

        assertEquals(400, lower.status(), lower.body());
        assertEquals(List.of("currency"), errorFields(lower));
        assertEquals(400, missing.status(), missing.body());
        assertEquals(List.of("currency"), errorFields(missing));
        assertEquals(before, api.snapshot());
    }

    @Test
    void givenARedemption_whenTheCustomerIsRead_thenItShowsThePointsTheCreditsAndTheLedgerNewestFirst() {
        customerWithPoints("c-summary", lot("2027-02-01T00:00:00Z", "lot-a", 100), lot("2027-06-01T00:00:00Z", "lot-b", 400));
        String entryId = redeem("c-summary", "summary-1", usd(250)).json().get("entries").get(0).get("entryId").asText();

        var r = api.get("/customers/c-summary");

        assertEquals(200, r.status(), r.body());
        JsonNode c = r.json();
        assertEquals(250, c.get("points").asLong());
        assertEquals(250, c.get("credits").get("USD").asLong());
        assertEquals("BRONZE", c.get("tier").asText());
        assertEquals(0, c.get("onTimeStreak").asInt());
        JsonNode ledger = c.get("ledger");
        assertEquals(3, ledger.size(), ledger.toString());
        JsonNode newest = ledger.get(0);
        assertEquals(entryId, newest.get("entryId").asText());
        assertEquals("REDEEMED", newest.get("type").asText());
        assertEquals(-250, newest.get("points").asLong());
        assertEquals(250, newest.get("amount").asLong());
        assertEquals("USD", newest.get("currency").asText());
        assertEquals(ApiHarness.NOW.toString(), newest.get("createdAt").asText());
        assertNotNull(newest.get("expiresAt"));
        for (String field : new String[]{"entryId", "type", "rule", "invoiceId", "points", "amount", "currency",
                "createdAt", "expiresAt"}) {
            assertTrue(newest.has(field), field + " in " + newest);
        }
        // the earned entries after it, newest first (lot-b was earned 2026-06-01, lot-a 2026-02-01)
        assertEquals("lot-b", ledger.get(1).get("entryId").asText());
        assertEquals("lot-a", ledger.get(2).get("entryId").asText());
        for (int i = 1; i < ledger.size(); i++) {
            assertTrue(ledger.get(i - 1).get("createdAt").asText().compareTo(ledger.get(i).get("createdAt").asText()) >= 0,
                    "newest first: " + ledger);
        }
    }
}
