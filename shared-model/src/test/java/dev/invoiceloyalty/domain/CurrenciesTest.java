package dev.invoiceloyalty.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CurrenciesTest {

    @ParameterizedTest(name = "{0} has {1} decimals")
    @CsvSource({"JPY, 0", "USD, 2", "EUR, 2", "KWD, 3"})
    void exponentIsTheIso4217MinorUnitOfTheCurrency(String code, int exponent) {
        assertTrue(Currencies.isSupported(code));
        assertEquals(exponent, Currencies.exponent(code));
    }

    @ParameterizedTest(name = "{0}: {1} minor units per major unit")
    @CsvSource({"JPY, 1", "USD, 100", "KWD, 1000"})
    void minorPerMajorIsTenToTheExponent(String code, long minorPerMajor) {
        assertEquals(minorPerMajor, Currencies.minorPerMajor(code));
    }

    @ParameterizedTest(name = "\"{0}\" is unsupported")
    @ValueSource(strings = {"usd", "Usd", "XXX", "XAU", "ABC", "US", "USDD", "", " USD"})
    void codesThatAreNotActiveUpperCaseIso4217CurrenciesAreUnsupported(String code) {
        assertFalse(Currencies.isSupported(code));
    }

    @ParameterizedTest
    @NullSource
    void nullIsUnsupported(String code) {
        assertFalse(Currencies.isSupported(code));
    }

    @Test
    void exponentOfAnUnsupportedCodeFailsInsteadOfGuessing() {
        var e = assertThrows(IllegalArgumentException.class, () -> Currencies.exponent("usd"));
        assertTrue(e.getMessage().contains("usd"), e.getMessage());
    }
}
