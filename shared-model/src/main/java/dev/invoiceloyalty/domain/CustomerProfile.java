package dev.invoiceloyalty.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated body of {@code PUT /customers/{id}}. PUT replaces the profile: an optional field left out takes
 * its default ({@code language} en, {@code timeZone} the configured default, {@code remindersEnabled} true,
 * {@code autopay} false, {@code segment} none).
 */
public record CustomerProfile(String name, String email, String language, String timeZone, String segment,
                              boolean remindersEnabled, boolean autopay) {

    private static final Set<String> FIELDS = Set.of("customerId", "name", "email", "language", "timeZone", "segment",
            "remindersEnabled", "autopay");
    // Deliberately simple: one @, no spaces, a dot in the domain. SES is the real judge of deliverability.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:\\-]{0,127}");

    public static CustomerProfile parse(String customerId, JsonNode body, String defaultTimeZone) {
        List<FieldError> errors = new ArrayList<>();
        if (!ID.matcher(customerId).matches()) {
            errors.add(new FieldError("customerId", "must be 1-128 letters, digits, '_', '.', ':' or '-'"));
        }
        if (body == null || !body.isObject()) {
            throw ProblemException.malformed("the body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                errors.add(new FieldError(f, "unknown field"));
            }
        });
        if (body.has("customerId") && !body.get("customerId").asText().equals(customerId)) {
            errors.add(new FieldError("customerId", "must match the customer id in the path"));
        }
        var r = new Fields(body, errors);
        String name = r.requiredText("name", 200);
        String email = r.requiredText("email", 254);
        if (email != null && !EMAIL.matcher(email).matches()) {
            errors.add(new FieldError("email", "must be an email address"));
        }
        String language = r.optionalText("language", 35);
        if (language != null) {
            language = normaliseLanguage(language, errors);
        }
        String timeZone = r.optionalText("timeZone", 64);
        if (timeZone != null) {
            try {
                ZoneId zone = ZoneId.of(timeZone);
                if (zone instanceof java.time.ZoneOffset || zone.getId().matches("(UTC|GMT|UT)[+-].*")) {
                    // Fixed offsets ignore daylight saving: reminders would land an hour off half the year.
                    throw new DateTimeException("offset");
                }
                timeZone = zone.getId();
            } catch (DateTimeException e) {
                errors.add(new FieldError("timeZone", "must be an IANA time zone id such as Europe/Berlin"));
            }
        }
        String segment = r.optionalText("segment", 64);
        boolean reminders = r.optionalBoolean("remindersEnabled", true);
        boolean autopay = r.optionalBoolean("autopay", false);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new CustomerProfile(name, email, language == null ? "en" : language,
                timeZone == null ? defaultTimeZone : timeZone, segment, reminders, autopay);
    }

    private static String normaliseLanguage(String tag, List<FieldError> errors) {
        try {
            Locale locale = new Locale.Builder().setLanguageTag(tag).build();
            if (locale.getLanguage().isEmpty()) {
                throw new IllformedLocaleException("no language");
            }
            return locale.toLanguageTag();
        } catch (IllformedLocaleException e) {
            errors.add(new FieldError("language", "must be a BCP 47 language tag such as en, de or fr-CA"));
            return null;
        }
    }
}
