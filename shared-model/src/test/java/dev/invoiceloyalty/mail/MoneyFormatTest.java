package dev.invoiceloyalty.mail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoneyFormatTest {

    /** JDK CLDR output uses no-break spaces (U+00A0, U+202F); the reader sees a space. */
    private static String spaces(String s) {
        return s.replace('\u00a0', ' ').replace('\u202f', ' ');
    }

    private static String money(long minor, String currency, String language) {
        return spaces(MoneyFormat.money(minor, currency, language));
    }

    @Test
    void usdInEnglishHasCommaGroupingAndTwoDecimals() {
        assertEquals("1,234.56", money(123_456, "USD", "en"));
    }

    @Test
    void eurInGermanHasDotGroupingAndCommaDecimals() {
        assertEquals("1.234,56", money(123_456, "EUR", "de"));
    }

    @Test
    void eurInFrenchGroupsWithASpace() {
        assertEquals("1 234,56", money(123_456, "EUR", "fr"));
    }

    @Test
    void jpyHasNoDecimals() {
        String s = money(123_456, "JPY", "en");

        assertTrue(s.contains("123,456"), s);
        assertFalse(s.contains("."), s);
    }

    @Test
    void kwdHasThreeDecimals() {
        String s = money(1_234_567, "KWD", "en");

        assertEquals("1,234.567", s);
    }

    @Test
    void wholeAmountsStillShowTheCurrencysDecimals() {
        assertEquals("5.00", money(500, "USD", "en"));
    }

    @Test
    void oneMinorUnitIsShownExactly() {
        assertEquals("0.01", money(1, "USD", "en"));
    }

    @Test
    void amountsBeyondDoublePrecisionAreFormattedExactly() {
        // 2^53 + 1 minor units cannot be held in a double; formatting must not round it.
        assertEquals("90,071,992,547,409.93", money(9_007_199_254_740_993L, "USD", "en"));
    }

    @Test
    void languageWithARegionUsesThatRegionsConventions() {
        assertEquals("1 234,56", money(123_456, "EUR", "de-AT"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(value = {"NULL", "''"}, nullValues = "NULL")
    void missingLanguageFallsBackToEnglish(String language) {
        assertEquals(Locale.ENGLISH, MoneyFormat.locale(language));
    }

    @ParameterizedTest(name = "{1} → {2}")
    @CsvSource({"2026-11-22, en, 'Nov 22, 2026'", "2026-11-22, de, 22.11.2026"})
    void dateIsShownInTheReadersLanguage(String iso, String language, String expected) {
        assertEquals(expected, spaces(MoneyFormat.date(iso, language)));
    }

    @Test
    void missingDateIsShownAsEmpty() {
        assertEquals("", MoneyFormat.date(null, "en"));
    }
}
