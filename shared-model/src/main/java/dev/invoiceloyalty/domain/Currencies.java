package dev.invoiceloyalty.domain;

import java.util.Currency;
import java.util.regex.Pattern;

/**
 * ISO 4217 codes and their minor-unit exponent (JPY 0, USD 2, KWD 3), taken from the JDK's ISO 4217 table so a
 * new currency arrives with a JDK update, not a code change.
 */
public final class Currencies {
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    private Currencies() {
    }

    /** True when {@code code} is an active ISO 4217 currency with a defined minor unit (not XAU, XXX...). */
    public static boolean isSupported(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            return false;
        }
        try {
            return Currency.getInstance(code).getDefaultFractionDigits() >= 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The number of decimal places of the currency's minor unit. */
    public static int exponent(String code) {
        if (!isSupported(code)) {
            throw new IllegalArgumentException("unsupported currency " + code);
        }
        return Currency.getInstance(code).getDefaultFractionDigits();
    }

    /** One major unit in minor units: 100 for USD, 1 for JPY, 1000 for KWD. */
    public static long minorPerMajor(String code) {
        return java.math.BigInteger.TEN.pow(exponent(code)).longValueExact();
    }
}
