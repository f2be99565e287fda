package dev.invoiceloyalty.api;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CustomersApiTest {
    static ApiHarness api;

    @BeforeAll
    static void start() {
        api = new ApiHarness();
    }

    @Test
    void creatingACustomerAnswers201WithDefaultsAndQueuesOneWelcomeEmail() {
        var r = api.put("/customers/c-new", "{\"name\":\"Nora\",\"email\":\"nora@example.com\"}");

        assertEquals(201, r.status());
        assertEquals("en", r.json().get("language").asText());
        assertEquals("UTC", r.json().get("timeZone").asText());
        assertTrue(r.json().get("remindersEnabled").asBoolean());
        assertEquals(false, r.json().get("autopay").asBoolean());
        assertEquals("BRONZE", r.json().get("tier").asText());
        assertEquals(0, r.json().get("points").asLong());
        assertEquals(0, r.json().get("ledger").size());
        var mail = api.drainMail();
        assertEquals(1, mail.size());
        assertEquals("welcome#c-new", mail.get(0).get("emailId").asText());
        assertEquals("welcome", mail.get(0).get("template").asText());
        assertEquals("nora@example.com", mail.get(0).get("to").get(0).asText());
        assertEquals(30, mail.get(0).get("model").get("paymentTermsDays").asInt());
    }

    @Test
    void aCreationThatDiesAfterItsCommitHasItsWelcomeRelayedOnceAndTheRetriedPutAnswers200WithoutASecond() {
        var fault = new FailingCall("TransactWriteItems", 1, FailingCall.When.AFTER).arm();
        var h = new ApiHarness(java.util.List.of(fault), java.util.List.of());
        String body = "{\"name\":\"Nora\",\"email\":\"nora@example.com\"}";

        var first = h.put("/customers/c-dies", body);
        var mail = h.drainMail();
        var retry = h.put("/customers/c-dies", body);
        var relayedAfterRetry = h.relay();

        assertEquals(500, first.status());
        assertEquals(1, mail.size());
        assertEquals("welcome#c-dies", mail.get(0).get("emailId").asText());
        assertEquals(200, retry.status(), retry.body());
        assertEquals("Nora", retry.json().get("name").asText());
        assertEquals(0, relayedAfterRetry.outboxes());
        assertEquals(0, h.drainMail().size());
        assertEquals(1, h.outboxItems().size());
    }

    @Test
    void updatingACustomerAnswers200AndSendsNoSecondWelcome() {
        api.put("/customers/c-upd", "{\"name\":\"Old\",\"email\":\"old@example.com\"}");
        api.drainMail();

        var r = api.put("/customers/c-upd", "{\"name\":\"New\",\"email\":\"new@example.com\",\"language\":\"fr\","
                + "\"timeZone\":\"Europe/Paris\",\"autopay\":true}");

        assertEquals(200, r.status());
        var got = api.get("/customers/c-upd");
        assertEquals("New", got.json().get("name").asText());
        assertEquals("fr", got.json().get("language").asText());
        assertEquals("Europe/Paris", got.json().get("timeZone").asText());
        assertTrue(got.json().get("autopay").asBoolean());
        assertEquals(0, api.drainMail().size());
    }

    @Test
    void anInvalidCustomerIsA400ListingEachFieldAndWritesNothing() {
        var before = api.snapshot();

        var r = api.put("/customers/c-bad", "{\"name\":\"\",\"email\":\"not-an-email\",\"timeZone\":\"Mars/Base\","
                + "\"language\":\"??\",\"colour\":\"red\"}");

        assertEquals(400, r.status());
        assertEquals("application/problem+json", r.contentType());
        var fields = new java.util.HashSet<String>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(java.util.Set.of("name", "email", "timeZone", "language", "colour"), fields);
        assertEquals(400, r.json().get("status").asInt());
        assertEquals(before, api.snapshot());
    }

    @Test
    void anUnknownCustomerIsA404Problem() {
        var r = api.get("/customers/nobody");

        assertEquals(404, r.status());
        assertEquals("application/problem+json", r.contentType());
    }

    @Test
    void aNonJsonBodyIsA415AndMalformedJsonA400() {
        var r415 = api.call("PUT", "/customers/c-x", "name=x", java.util.Map.of("content-type", "text/plain"));
        var r400 = api.put("/customers/c-x", "{\"name\":");

        assertEquals(415, r415.status());
        assertEquals(400, r400.status());
        assertEquals(404, api.get("/customers/c-x").status());
    }
}
