package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loyalty program end to end over HTTP (issue 5, "done when"): a signed Stripe webhook pays an invoice, the
 * reward appears on the customer, and the next invoice carries the credit; the daily {@code ExpireRewards} schedule
 * expires what is 12 months old.
 *
 * <p>Always its own embedded stack (DynamoDB Local and ElasticMQ in-process), whatever {@code -Dlocalstack.endpoint}
 * says: the schedules route expires every due lot of the table, which only a table of this class's own may see.
 *
 * <p>The stack's clock is real, so the signature's {@code t} is now (Stripe's tolerance is 300 s); the business
 * times are explicit and in the past: the invoice is issued {@link #ISSUED_DAYS_AGO} days ago (its own
 * {@code issueDate}) and paid 2 days after issue (Stripe's {@code data.object.created}), so the early-payment credit
 * (within 7 days: 2%) applies and the payment is on time (net 30).
 */
class RewardsEndToEndTest {
    private static final String STRIPE_SECRET = "whsec_local";
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final int ISSUED_DAYS_AGO = 3;

    // 10 × 123.45 = 1,234.50 + 19% (234.555 → 234.56, half-even) = 1,469.06 EUR
    private static final long TOTAL = 146906;
    private static final long EARLY_CREDIT = 2938; // 2% of 1,469.06 = 29.3812 → 29.38
    private static final long ON_TIME_POINTS = 146; // 1 point per 10.00 EUR, BRONZE ×1.0

    private static LocalStack stack;
    private static Http http;
    /** One customer whose invoice was paid in {@link #start()}; the tests below only read it. */
    private static Paid paid;

    @BeforeAll
    static void start() {
        Repository.requireJars(Repository.template(), Repository.root());
        stack = LocalStack.start(Options.builder().port(0).template(Repository.template())
                .environment("STRIPE_WEBHOOK_SECRET", STRIPE_SECRET).build());
        http = new Http(stack.baseUrl());
        LocalDate issued = LocalDate.now(BERLIN).minusDays(ISSUED_DAYS_AGO);
        paid = payEarly("cus-rewards", issued);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    // --- the journey's steps -------------------------------------------------------------------------------------

    private record Paid(String customerId, String email, String invoiceId, String number, Instant paidAt,
                        String webhookBody, HttpResponse<String> webhook) {
    }

    /** A new customer (Europe/Berlin) with an EUR invoice issued on {@code issued}, paid in full 2 days later. */
    private static Paid payEarly(String prefix, LocalDate issued) {
        String customerId = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        String email = customerId + "@example.com";
        HttpResponse<String> customer = http.json("PUT", "/customers/" + customerId, "{\"name\":\"Grace Hopper\","
                + "\"email\":\"" + email + "\",\"language\":\"en\",\"timeZone\":\"Europe/Berlin\"}");
        assertEquals(201, customer.statusCode(), customer.body());
        HttpResponse<String> invoice = createInvoice(customerId, issued);
        assertEquals(201, invoice.statusCode(), invoice.body());
        JsonNode inv = Http.tree(invoice);
        assertEquals(TOTAL, inv.get("total").asLong(), invoice.body());
        Instant paidAt = issued.plusDays(2).atTime(LocalTime.of(11, 0)).atZone(BERLIN).toInstant();
        String body = stripePaymentSucceeded(inv.get("invoiceId").asText(), TOTAL, paidAt);
        HttpResponse<String> webhook = postSignedNow(body);
        http.drain();
        return new Paid(customerId, email, inv.get("invoiceId").asText(), inv.get("number").asText(), paidAt, body,
                webhook);
    }

    private static HttpResponse<String> createInvoice(String customerId, LocalDate issued) {
        return http.json("POST", "/invoices", "{\"customerId\":\"" + customerId + "\",\"currency\":\"EUR\","
                + "\"issueDate\":\"" + issued + "\",\"netDays\":30,\"lineItems\":[{\"description\":\"Consulting\","
                + "\"quantity\":\"10\",\"unitAmount\":12345,\"taxRate\":\"19\"}]}", "Idempotency-Key", UUID.randomUUID().toString());
    }

    /** The body of a {@code payment_intent.succeeded} as Stripe sends it, with a new event and PaymentIntent id. */
    private static String stripePaymentSucceeded(String invoiceId, long amount, Instant created) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String body = "{\"id\":\"evt_e2e" + suffix + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\","
                + "\"created\":" + created.getEpochSecond() + ",\"type\":\"payment_intent.succeeded\",\"livemode\":false,"
                + "\"data\":{\"object\":{\"id\":\"pi_e2e" + suffix + "\",\"object\":\"payment_intent\",\"amount\":" + amount
                + ",\"amount_received\":" + amount + ",\"currency\":\"eur\",\"created\":" + created.getEpochSecond()
                + ",\"status\":\"succeeded\",\"metadata\":{\"invoice_id\":\"" + invoiceId + "\"}}}}";
        return body;
    }

    /** POST /webhooks/stripe with a signature made now with the local secret (SPEC §5; tolerance 300 s). */
    private static HttpResponse<String> postSignedNow(String body) {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        long t = Instant.now().getEpochSecond();
        return http.send("POST", "/webhooks/stripe", "application/json", raw,
                "Stripe-Signature", "t=" + t + ",v1=" + hmacSha256Hex(STRIPE_SECRET, t + "." + body));
    }

    /** Stripe's v1 scheme: lowercase hex HMAC-SHA256 of {@code t + "." + rawBody}, keyed with the whole secret. */
    private static String hmacSha256Hex(String secret, String signedPayload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signedPayload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode customer(String customerId) {
        HttpResponse<String> response = http.get("/customers/" + customerId);
        assertEquals(200, response.statusCode(), response.body());
        return Http.tree(response);
    }

    private static List<JsonNode> ledgerOfType(JsonNode customer, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode entry : customer.path("ledger")) {
            if (entry.path("type").asText().equals(type)) {
                out.add(entry);
            }
        }
        return out;
    }

    private static List<JsonNode> mailTo(String address) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode email : Http.tree(http.get("/_local/mail"))) {
            for (JsonNode to : email.path("to")) {
                if (to.asText().equals(address)) {
                    found.add(email);
                }
            }
        }
        return found;
    }

    private static JsonNode schedule(String logicalId, String scheduleName, Instant time) {
        HttpResponse<String> response = http.json("POST", "/_local/schedules/" + logicalId,
                "{\"time\":\"" + time + "\",\"schedule\":\"" + scheduleName + "\"}");
        assertEquals(200, response.statusCode(), response.body());
        return Http.tree(response);
    }

    // --- paying earns -----------------------------------------------------------------------------------------------

    @Test
    void givenAFreshlySignedStripePayment_whenItIsPosted_thenTheWebhookAnswers200AndThePaidInvoiceIsPaid() {
        assertEquals(200, paid.webhook().statusCode(), paid.webhook().body());

        JsonNode invoice = Http.tree(http.get("/invoices/" + paid.invoiceId()));

        assertEquals("PAID", invoice.get("status").asText(), invoice.toString());
        assertEquals(TOTAL, invoice.get("amountPaid").asLong());
        assertEquals(0, invoice.get("amountDue").asLong());
    }

    @Test
    void givenAnInvoicePaidTwoDaysAfterIssue_whenTheQueuesDrain_thenTheCustomerHasPointsTheEarlyCreditTierAndStreak() {
        JsonNode c = customer(paid.customerId());

        assertEquals(ON_TIME_POINTS, c.get("points").asLong(), c.toString());
        assertTrue(c.get("points").asLong() > 0);
        assertEquals(EARLY_CREDIT, c.get("credits").get("EUR").asLong(), c.toString());
        assertEquals("BRONZE", c.get("tier").asText());
        assertEquals(1, c.get("onTimeStreak").asInt());
    }

    @Test
    void givenAnInvoicePaidTwoDaysAfterIssue_whenTheQueuesDrain_thenTheLedgerHasTheEarnedEntriesAtThePaymentTime() {
        JsonNode c = customer(paid.customerId());

        List<JsonNode> credit = ledgerOfType(c, "EARNED_CREDIT");
        List<JsonNode> points = ledgerOfType(c, "EARNED_POINTS");
        assertEquals(1, credit.size(), c.path("ledger").toString());
        assertEquals("early-payment", credit.get(0).get("rule").asText());
        assertEquals(EARLY_CREDIT, credit.get(0).get("amount").asLong());
        assertEquals("EUR", credit.get(0).get("currency").asText());
        assertEquals(paid.invoiceId(), credit.get(0).get("invoiceId").asText());
        assertEquals(1, points.size(), c.path("ledger").toString());
        assertEquals("on-time", points.get(0).get("rule").asText());
        assertEquals(ON_TIME_POINTS, points.get(0).get("points").asLong());
        for (JsonNode e : List.of(credit.get(0), points.get(0))) {
            // earned when the provider says it was paid, not when the webhook arrived
            assertEquals(paid.paidAt(), Instant.parse(e.get("createdAt").asText()));
            assertEquals(paid.paidAt().atZone(BERLIN).plusMonths(12).toInstant(), Instant.parse(e.get("expiresAt").asText()));
        }
    }

    @Test
    void givenAPaidInvoice_whenTheQueuesDrain_thenThePaymentReceivedAndRewardNoticeEmailsWereSent() {
        List<JsonNode> mail = mailTo(paid.email());

        JsonNode received = mail.stream().filter(m -> m.path("subject").asText().contains("thank you for your payment"))
                .findFirst().orElseThrow(() -> new AssertionError("no payment-received email in " + mail));
        JsonNode notice = mail.stream().filter(m -> m.path("subject").asText().startsWith("Your rewards"))
                .findFirst().orElseThrow(() -> new AssertionError("no reward notice in " + mail));
        assertTrue(received.path("subject").asText().contains(paid.number()), received.toString());
        assertTrue(notice.path("subject").asText().contains(paid.number()), notice.toString());
        String text = notice.path("text").asText();
        assertTrue(text.contains("Grace Hopper"), text);
        assertTrue(text.contains("+" + ON_TIME_POINTS), text);
        assertTrue(text.contains("29.38"), text);
        assertFalse(notice.path("html").asText().isEmpty());
        assertEquals(1, mail.stream().filter(m -> m.path("subject").asText().startsWith("Your rewards")).count(),
                "one reward notice per invoice");
    }

    @Test
    void givenAPaidInvoice_whenTheQueuesDrain_thenRewardCreditedIsOnTheBusForEachEarnedEntry() {
        JsonNode events = Http.tree(http.get("/_local/events"));

        List<JsonNode> credited = new ArrayList<>();
        for (JsonNode e : events) {
            if (e.path("detailType").asText().equals("RewardCredited")
                    && e.path("detail").path("customerId").asText().equals(paid.customerId())) {
                credited.add(e);
            }
        }
        assertEquals(2, credited.size(), "early-payment credit and on-time points: " + events);
        for (JsonNode e : credited) {
            assertEquals("invoice-loyalty", e.path("source").asText());
            assertEquals(paid.invoiceId(), e.path("detail").path("entry").path("invoiceId").asText(), e.toString());
        }
    }

    // --- the next invoice carries the credit ------------------------------------------------------------------------

    @Test
    void givenAnEarnedEurCredit_whenTheNextEurInvoiceIsCreated_thenItCarriesTheCreditAndTheBalanceIsZero() {
        Paid first = payEarly("cus-next", LocalDate.now(BERLIN).minusDays(ISSUED_DAYS_AGO));
        assertEquals(EARLY_CREDIT, customer(first.customerId()).get("credits").get("EUR").asLong());

        HttpResponse<String> next = createInvoice(first.customerId(), LocalDate.now(BERLIN));

        assertEquals(201, next.statusCode(), next.body());
        JsonNode inv = Http.tree(next);
        assertEquals(1, inv.get("discounts").size(), next.body());
        assertEquals(EARLY_CREDIT, inv.get("discounts").get(0).get("amount").asLong());
        assertEquals(TOTAL - EARLY_CREDIT, inv.get("total").asLong());
        assertEquals(TOTAL - EARLY_CREDIT, inv.get("amountDue").asLong());
        JsonNode c = customer(first.customerId());
        assertEquals(0, c.get("credits").get("EUR").asLong(), c.toString());
        assertEquals(ON_TIME_POINTS, c.get("points").asLong());
        List<JsonNode> applied = ledgerOfType(c, "CREDIT_APPLIED");
        assertEquals(1, applied.size(), c.path("ledger").toString());
        assertEquals(-EARLY_CREDIT, applied.get(0).get("amount").asLong());
        assertEquals(inv.get("invoiceId").asText(), applied.get(0).get("invoiceId").asText());
    }

    @Test
    void givenAPaymentAlreadyRewarded_whenStripeRedeliversTheSameEvent_thenNothingIsCreditedTwice() {
        Paid once = payEarly("cus-redelivery", LocalDate.now(BERLIN).minusDays(ISSUED_DAYS_AGO));
        JsonNode before = customer(once.customerId());

        HttpResponse<String> again = postSignedNow(once.webhookBody());
        http.drain();

        assertEquals(200, again.statusCode(), again.body());
        assertEquals(before, customer(once.customerId()));
        assertEquals(1, mailTo(once.email()).stream()
                .filter(m -> m.path("subject").asText().startsWith("Your rewards")).count());
    }

    @Test
    void givenEarnedPoints_whenTheyAreRedeemedThroughTheStack_thenTheNextInvoiceCarriesBothCreditsOldestExpiringFirst() {
        Paid first = payEarly("cus-redeem", LocalDate.now(BERLIN).minusDays(ISSUED_DAYS_AGO));

        HttpResponse<String> redeemed = http.json("POST", "/customers/" + first.customerId() + "/redemptions",
                "{\"points\":100,\"currency\":\"EUR\"}", "Idempotency-Key", UUID.randomUUID().toString());
        HttpResponse<String> next = createInvoice(first.customerId(), LocalDate.now(BERLIN));

        assertEquals(201, redeemed.statusCode(), redeemed.body());
        assertEquals(ON_TIME_POINTS - 100, Http.tree(redeemed).get("points").asLong());
        assertEquals(EARLY_CREDIT + 100, Http.tree(redeemed).get("credits").get("EUR").asLong());
        assertEquals(201, next.statusCode(), next.body());
        JsonNode discounts = Http.tree(next).get("discounts");
        assertEquals(2, discounts.size(), next.body());
        // the early-payment credit expires 12 months after the payment, the redeemed one 12 months after today
        assertEquals(EARLY_CREDIT, discounts.get(0).get("amount").asLong());
        assertEquals(100, discounts.get(1).get("amount").asLong());
        assertEquals(TOTAL - EARLY_CREDIT - 100, Http.tree(next).get("total").asLong());
        assertEquals(0, customer(first.customerId()).get("credits").get("EUR").asLong());
    }

    // --- expiry --------------------------------------------------------------------------------------------------

    @Test
    void givenPointsEarnedThirteenMonthsAgo_whenExpireRewardsRuns_thenThePointsAndTheCreditExpireOnceWithLedgerEntries() {
        // Paid well before the other customers of this stack, so that "13 months later" for this one is still
        // before anything of theirs expires.
        Paid old = payEarly("cus-expiry", LocalDate.now(BERLIN).minusDays(70));
        JsonNode before = customer(old.customerId());
        assertEquals(ON_TIME_POINTS, before.get("points").asLong(), before.toString());
        Instant thirteenMonthsLater = old.paidAt().atZone(BERLIN).plusMonths(13).toInstant();

        JsonNode run = schedule("RewardCreditingFunction", "ExpireRewards", thirteenMonthsLater);

        assertEquals(thirteenMonthsLater.toString(), run.path("time").asText(), run.toString());
        assertEquals(2, run.path("result").path("expiredLots").asInt(), run.toString());
        JsonNode c = customer(old.customerId());
        assertEquals(0, c.get("points").asLong(), c.toString());
        assertEquals(0, c.get("credits").get("EUR").asLong(), c.toString());
        List<JsonNode> expired = ledgerOfType(c, "EXPIRED");
        assertEquals(2, expired.size(), c.path("ledger").toString());
        assertTrue(expired.stream().anyMatch(e -> e.get("points").asLong() == -ON_TIME_POINTS), expired.toString());
        assertTrue(expired.stream().anyMatch(e -> e.get("amount").asLong() == -EARLY_CREDIT
                && e.get("currency").asText().equals("EUR")), expired.toString());
        // the other customers' rewards are younger and untouched
        assertEquals(ON_TIME_POINTS, customer(paid.customerId()).get("points").asLong());
        // a replay of the same day's run (SPEC §3: business time from the event) expires nothing more
        JsonNode again = schedule("RewardCreditingFunction", "ExpireRewards", thirteenMonthsLater);
        assertEquals(0, again.path("result").path("expiredLots").asInt(), again.toString());
        assertEquals(c, customer(old.customerId()));
    }
}
