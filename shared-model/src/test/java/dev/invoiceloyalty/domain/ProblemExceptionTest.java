package dev.invoiceloyalty.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProblemExceptionTest {

    @Test
    void invalidIsA400ValidationErrorCarryingItsFieldErrors() {
        var errors = List.of(new FieldError("currency", "is required"), new FieldError("lineItems", "is required"));

        ProblemException e = ProblemException.invalid(errors);

        assertAll(
                () -> assertEquals(400, e.status()),
                () -> assertEquals("validation-error", e.type()),
                () -> assertEquals("Invalid request", e.title()),
                () -> assertEquals("2 fields are invalid", e.detail()),
                () -> assertEquals(errors, e.errors()));
    }

    @Test
    void singleInvalidFieldIsSpelledOutInTheDetail() {
        ProblemException e = ProblemException.invalid("until", "is required");

        assertEquals("until: is required", e.detail());
        assertEquals(List.of(new FieldError("until", "is required")), e.errors());
    }

    @Test
    void errorsAreACopyTheCallerCannotChangeAfterwards() {
        var errors = new ArrayList<>(List.of(new FieldError("a", "bad")));
        ProblemException e = ProblemException.invalid(errors);

        errors.add(new FieldError("b", "bad"));

        assertEquals(1, e.errors().size());
        assertThrows(UnsupportedOperationException.class, () -> e.errors().add(new FieldError("c", "bad")));
    }

    @Test
    void unprocessableIsA422WithTheGivenType() {
        ProblemException e = ProblemException.unprocessable("invalid-state", "cannot void");

        assertEquals(422, e.status());
        assertEquals("invalid-state", e.type());
        assertTrue(e.errors().isEmpty());
    }

    @Test
    void statusesOfTheOtherFactoriesMatchTheSpec() {
        assertAll(
                () -> assertEquals(400, ProblemException.malformed("x").status()),
                () -> assertEquals(404, ProblemException.notFound("x").status()),
                () -> assertEquals(409, ProblemException.conflict("idempotency-conflict", "x").status()));
    }
}
