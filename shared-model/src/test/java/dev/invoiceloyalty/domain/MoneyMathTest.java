package dev.invoiceloyalty.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MoneyMathTest {

    @ParameterizedTest(name = "{0} × {1} = {2}")
    @CsvSource({
            "5, 0.5, 2",      // 2.5 → 2: the even neighbour
            "7, 0.5, 4",      // 3.5 → 4
            "333, 1.5, 500",  // 499.5 → 500
            "1, 0.125, 0",    // an eighth of a cent → 0
            "3, 0.125, 0",    // 0.375 → 0
            "5, 0.125, 1",    // 0.625 → 1
            "9, 0.5, 4",      // 4.5 → 4
            "11, 0.5, 6",     // 5.5 → 6
            "1000, 0.975, 975"})
    void timesRoundsHalfEvenToTheMinorUnit(long minor, String factor, long expected) {
        assertEquals(expected, MoneyMath.times(minor, new BigDecimal(factor)));
    }

    @ParameterizedTest(name = "{1}% of {0} = {2}")
    @CsvSource({
            "20, 12.5, 2",      // 2.5 → 2
            "28, 12.5, 4",      // 3.5 → 4
            "1, 12.5, 0",       // 0.125 → 0
            "10, 12.5, 1",      // 1.25 → 1
            "30, 12.5, 4",      // 3.75 → 4
            "1000, 8.25, 82",   // 82.5 → 82
            "1400, 8.25, 116",  // 115.5 → 116
            "10000, 2, 200",
            "12345, 0, 0",
            "12345, 100, 12345"})
    void percentOfRoundsHalfEvenToTheMinorUnit(long minor, String percent, long expected) {
        assertEquals(expected, MoneyMath.percentOf(minor, new BigDecimal(percent)));
    }

    @Test
    void percentOfRoundsOnceSoNoDoubleRoundingCreepsIn() {
        // 0.5% of 299 = 1.495 → 1; rounding the intermediate 149.5 to 150 first would end at 1.50 → 2.
        assertEquals(1, MoneyMath.percentOf(299, new BigDecimal("0.5")));
    }

    @Test
    void addRefusesToOverflow() {
        assertThrows(ArithmeticException.class, () -> MoneyMath.add(Long.MAX_VALUE, 1));
    }

    @ParameterizedTest(name = "{0} {1} = {2} minor units")
    @CsvSource({
            "10000.00, USD, 1000000",
            "10000, USD, 1000000",
            "10000, JPY, 10000",
            "10000.00, JPY, 10000",
            "10000.000, KWD, 10000000",
            "1.5, KWD, 1500",
            "0.01, USD, 1"})
    void fromMajorConvertsExactlyToMinorUnits(String major, String currency, long expected) {
        assertEquals(expected, MoneyMath.fromMajor(new BigDecimal(major), currency));
    }

    @ParameterizedTest(name = "{0} {1} has no exact minor-unit value")
    @CsvSource({"1.005, USD", "1.5, JPY", "0.0001, KWD"})
    void fromMajorFailsRatherThanRoundAFractionOfTheMinorUnit(String major, String currency) {
        assertThrows(ArithmeticException.class, () -> MoneyMath.fromMajor(new BigDecimal(major), currency));
    }

    @ParameterizedTest(name = "{0} minor {1} = {2}")
    @CsvSource({
            "123456, USD, 1234.56",
            "100, USD, 1.00",
            "1, USD, 0.01",
            "10000, JPY, 10000",
            "1234567, KWD, 1234.567",
            "5, KWD, 0.005"})
    void toMajorIsExactWithTheCurrencysDecimals(long minor, String currency, String expected) {
        BigDecimal major = MoneyMath.toMajor(minor, currency);

        assertEquals(new BigDecimal(expected), major, "value and scale");
        assertEquals(expected, major.toPlainString());
    }
}
