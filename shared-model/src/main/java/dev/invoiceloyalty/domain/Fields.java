package dev.invoiceloyalty.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reads typed fields of a JSON object, collecting one {@link FieldError} per bad field instead of failing fast. */
final class Fields {
    private final JsonNode node;
    private final List<FieldError> errors;
    private final String prefix;

    Fields(JsonNode node, List<FieldError> errors) {
        this(node, errors, "");
    }

    Fields(JsonNode node, List<FieldError> errors, String prefix) {
        this.node = node;
        this.errors = errors;
        this.prefix = prefix;
    }

    private String path(String field) {
        return prefix + field;
    }

    boolean present(String field) {
        return node.hasNonNull(field);
    }

    void error(String field, String message) {
        errors.add(new FieldError(path(field), message));
    }

    String requiredText(String field, int maxLength) {
        if (!present(field)) {
            error(field, "is required");
            return null;
        }
        return text(field, maxLength);
    }

    String optionalText(String field, int maxLength) {
        return present(field) ? text(field, maxLength) : null;
    }

    private String text(String field, int maxLength) {
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            error(field, "must be a string");
            return null;
        }
        String s = v.asText().strip();
        if (s.isEmpty()) {
            error(field, "must not be empty");
            return null;
        }
        if (s.length() > maxLength) {
            error(field, "must be at most " + maxLength + " characters");
            return null;
        }
        return s;
    }

    boolean optionalBoolean(String field, boolean defaultValue) {
        if (!present(field)) {
            return defaultValue;
        }
        JsonNode v = node.get(field);
        if (!v.isBoolean()) {
            error(field, "must be true or false");
            return defaultValue;
        }
        return v.asBoolean();
    }

    /** An integer within bounds; JSON numbers with a fraction or out of range are errors. */
    Long integer(String field, long min, long max, boolean required) {
        if (!present(field)) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        JsonNode v = node.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            error(field, "must be an integer");
            return null;
        }
        long value = v.asLong();
        if (value < min || value > max) {
            error(field, "must be between " + min + " and " + max);
            return null;
        }
        return value;
    }

    /** A decimal given as a string ("2.5"), never as a JSON number, so no binary floating point is involved. */
    BigDecimal decimalString(String field, BigDecimal min, boolean minExclusive, BigDecimal max, int maxScale,
                             boolean required) {
        if (!present(field)) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            error(field, "must be a decimal string such as \"1.5\"");
            return null;
        }
        BigDecimal d;
        try {
            d = new BigDecimal(v.asText().strip());
        } catch (NumberFormatException e) {
            error(field, "must be a decimal string such as \"1.5\"");
            return null;
        }
        if (d.scale() > maxScale) {
            error(field, "must have at most " + maxScale + " decimal places");
            return null;
        }
        int low = d.compareTo(min);
        if ((minExclusive ? low <= 0 : low < 0) || d.compareTo(max) > 0) {
            error(field, "must be " + (minExclusive ? "greater than " : "at least ") + min.toPlainString()
                    + " and at most " + max.toPlainString());
            return null;
        }
        return d;
    }

    LocalDate date(String field) {
        if (!present(field)) {
            return null;
        }
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            error(field, "must be a date YYYY-MM-DD");
            return null;
        }
        try {
            String s = v.asText();
            if (s.length() != 10) {
                throw new DateTimeParseException("length", s, 0);
            }
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            error(field, "must be a date YYYY-MM-DD");
            return null;
        }
    }
}
