package dev.invoiceloyalty.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.function.Consumer;

import static dev.invoiceloyalty.domain.Fixtures.fields;
import static dev.invoiceloyalty.domain.Fixtures.json;
import static dev.invoiceloyalty.domain.Fixtures.problem;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CustomerProfileTest {
    private static final String DEFAULT_ZONE = "America/Chicago";
    private static final String MINIMAL = """
            {"name": "Ada Lovelace", "email": "ada@example.com"}
            """;

    private static CustomerProfile parse(Consumer<ObjectNode> edit) {
        return CustomerProfile.parse("cust-1", json(MINIMAL, edit), DEFAULT_ZONE);
    }

    private static ProblemException rejected(Consumer<ObjectNode> edit) {
        return problem(() -> parse(edit));
    }

    private static void assertOnlyError(ProblemException e, String field) {
        assertEquals(400, e.status());
        assertEquals("validation-error", e.type());
        assertEquals(List.of(field), fields(e), () -> e.errors().toString());
    }

    @Test
    void omittedOptionalFieldsTakeTheirDefaults() {
        CustomerProfile p = CustomerProfile.parse("cust-1", json(MINIMAL), DEFAULT_ZONE);

        assertAll(
                () -> assertEquals("Ada Lovelace", p.name()),
                () -> assertEquals("ada@example.com", p.email()),
                () -> assertEquals("en", p.language()),
                () -> assertEquals(DEFAULT_ZONE, p.timeZone()),
                () -> assertNull(p.segment()),
                () -> assertTrue(p.remindersEnabled()),
                () -> assertFalse(p.autopay()));
    }

    @Test
    void everyGivenFieldIsKept() {
        CustomerProfile p = CustomerProfile.parse("cust-1", json("""
                {"customerId": "cust-1", "name": " Grace Hopper ", "email": "grace@example.org", "language": "fr",
                 "timeZone": "Europe/Paris", "segment": "enterprise", "remindersEnabled": false, "autopay": true}
                """), DEFAULT_ZONE);

        assertEquals(new CustomerProfile("Grace Hopper", "grace@example.org", "fr", "Europe/Paris", "enterprise",
                false, true), p);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"de-at, de-AT", "DE, de", "en-us, en-US", "fr-CA, fr-CA", "es, es"})
    void languageTagIsNormalisedToItsCanonicalCase(String given, String expected) {
        assertEquals(expected, parse(b -> b.put("language", given)).language());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"english_US", "e", "123", "not a language"})
    void malformedLanguageTagIsRefused(String tag) {
        assertOnlyError(rejected(b -> b.put("language", tag)), "language");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"Mars/Olympus_Mons", "Berlin", "Europe/Berlín"})
    void unknownTimeZoneIsRefused(String zone) {
        assertOnlyError(rejected(b -> b.put("timeZone", zone)), "timeZone");
    }

    @Test
    void knownTimeZoneIsKept() {
        assertEquals("Asia/Tokyo", parse(b -> b.put("timeZone", "Asia/Tokyo")).timeZone());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"ada", "ada@example", "ada@@example.com", "ada lovelace@example.com", "@example.com"})
    void invalidEmailIsRefused(String email) {
        assertOnlyError(rejected(b -> b.put("email", email)), "email");
    }

    @Test
    void missingNameAndEmailAreBothReported() {
        ProblemException e = problem(() -> CustomerProfile.parse("cust-1", json("{}"), DEFAULT_ZONE));

        assertEquals(List.of("name", "email"), fields(e));
    }

    @Test
    void unknownFieldIsRefused() {
        assertOnlyError(rejected(b -> b.put("phone", "+1 555 0100")), "phone");
    }

    @Test
    void loyaltyFieldsCannotBeWrittenThroughTheProfile() {
        assertOnlyError(rejected(b -> b.put("points", 1_000_000)), "points");
    }

    @Test
    void customerIdInTheBodyMustMatchThePath() {
        ProblemException e = rejected(b -> b.put("customerId", "cust-2"));

        assertOnlyError(e, "customerId");
        assertTrue(e.errors().get(0).message().contains("path"), e.errors().get(0).message());
    }

    @Test
    void customerIdInTheBodyEqualToThePathIsAccepted() {
        assertEquals("Ada Lovelace", parse(b -> b.put("customerId", "cust-1")).name());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"cust 1", "-leading-dash", "cust/1", ""})
    void pathCustomerIdOutsideTheIdAlphabetIsRefused(String customerId) {
        ProblemException e = problem(() -> CustomerProfile.parse(customerId, json(MINIMAL), DEFAULT_ZONE));

        assertOnlyError(e, "customerId");
    }

    @Test
    void booleanGivenAsAStringIsRefused() {
        assertOnlyError(rejected(b -> b.put("remindersEnabled", "false")), "remindersEnabled");
    }

    @Test
    void bodyThatIsNotAnObjectIsMalformed() {
        ProblemException e = problem(() -> CustomerProfile.parse("cust-1", json("\"Ada\""), DEFAULT_ZONE));

        assertEquals(400, e.status());
        assertEquals("malformed-request", e.type());
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        ProblemException e = problem(() -> CustomerProfile.parse("cust-1", json("""
                {"customerId": "other", "name": "", "email": "nope", "language": "123", "timeZone": "Nowhere/Land",
                 "autopay": "yes", "extra": 1}
                """), DEFAULT_ZONE));

        assertEquals(List.of("autopay", "customerId", "email", "extra", "language", "name", "timeZone"),
                fields(e).stream().sorted().toList());
    }
}
