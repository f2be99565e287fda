package dev.invoiceloyalty.mail;

import dev.invoiceloyalty.domain.MoneyMath;

import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.Locale;

/** Display strings for emails, in the reader's language: "1,234.56", "1.234,56", "22.11.2026". */
public final class MoneyFormat {
    private MoneyFormat() {
    }

    public static Locale locale(String languageTag) {
        Locale l = Locale.forLanguageTag(languageTag == null ? "en" : languageTag);
        return l.getLanguage().isEmpty() ? Locale.ENGLISH : l;
    }

    /**
     * Formats minor units exactly (through BigDecimal, never a double) with the currency's own decimals and the
     * language's grouping, without a symbol: "1,234.56" (en), "1.234,56" (de). The templates write the ISO code
     * next to it ("1.234,56 EUR"), which is unambiguous where "$" is not.
     */
    public static String money(long minor, String currency, String languageTag) {
        Locale locale = locale(languageTag);
        // A bare language ("de") has no country, so use a representative one for grouping conventions.
        Locale formatting = locale.getCountry().isEmpty() ? representative(locale) : locale;
        NumberFormat f = NumberFormat.getNumberInstance(formatting);
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        f.setGroupingUsed(true);
        f.setMinimumFractionDigits(digits);
        f.setMaximumFractionDigits(digits);
        return f.format(MoneyMath.toMajor(minor, currency));
    }

    public static String date(String isoDate, String languageTag) {
        if (isoDate == null) {
            return "";
        }
        return LocalDate.parse(isoDate).format(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
                .withLocale(locale(languageTag)));
    }

    private static Locale representative(Locale language) {
        return switch (language.getLanguage()) {
            case "de" -> Locale.GERMANY;
            case "fr" -> Locale.FRANCE;
            case "es" -> new Locale("es", "ES");
            case "en" -> Locale.US;
            default -> language;
        };
    }
}
