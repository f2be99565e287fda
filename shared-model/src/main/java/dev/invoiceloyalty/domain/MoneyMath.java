package dev.invoiceloyalty.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money arithmetic in integer minor units. Products with decimal factors (quantities, percentages) are computed
 * exactly in {@link BigDecimal} and rounded half-even to the minor unit once per computed amount, as SPEC §3 asks.
 */
public final class MoneyMath {
    /** Largest amount we accept anywhere: 10^15 minor units (10 trillion USD), far inside a long and JSON's 2^53. */
    public static final long MAX_AMOUNT = 1_000_000_000_000_000L;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private MoneyMath() {
    }

    /** {@code minor × factor}, rounded half-even to a whole minor unit. */
    public static long times(long minor, BigDecimal factor) {
        return BigDecimal.valueOf(minor).multiply(factor).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** {@code minor × percent / 100}, rounded half-even to a whole minor unit. */
    public static long percentOf(long minor, BigDecimal percent) {
        return BigDecimal.valueOf(minor).multiply(percent).divide(HUNDRED)
                .setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** Sum that refuses to overflow. */
    public static long add(long a, long b) {
        return Math.addExact(a, b);
    }

    /** {@code minor} as a decimal number of major units (for display and thresholds), exact. */
    public static BigDecimal toMajor(long minor, String currency) {
        return BigDecimal.valueOf(minor).movePointLeft(Currencies.exponent(currency));
    }

    /** A major-unit amount such as {@code 10000.00} in minor units of {@code currency}, exact or failing. */
    public static long fromMajor(BigDecimal major, String currency) {
        return major.movePointRight(Currencies.exponent(currency)).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    }
}
