package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code FilterCriteria} of an event source mapping: Lambda keeps a record when it matches at least one of the
 * filters' {@code Pattern}s and drops it otherwise (the function never sees it, and it is not retried). A pattern is
 * the EventBridge-style subset Lambda filtering uses, matched against the record as the function would receive it:
 * <ul>
 *   <li>an object matches when every one of its fields matches the record's field of that name (nested objects
 *       recurse; fields the pattern does not name are ignored);</li>
 *   <li>an array lists what a leaf may be: exact strings, numbers, booleans or {@code null}, or the operators
 *       {@code {"exists": true|false}}, {@code {"prefix": "…"}}, {@code {"anything-but": value or [values]}} and
 *       {@code {"numeric": [">", 0, "<=", 5]}}; a record array matches when any of its elements does.</li>
 * </ul>
 * Other operators (suffix, wildcard, {@code $or}, …) are refused when the stack starts rather than matched wrongly.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html">Lambda event filtering</a>
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html">Filtering DynamoDB events</a>
 */
final class StreamFilter {
    private static final StreamFilter EVERYTHING = new StreamFilter(List.of(), List.of());

    private final List<JsonNode> patterns;
    private final List<String> texts;

    private StreamFilter(List<JsonNode> patterns, List<String> texts) {
        this.patterns = List.copyOf(patterns);
        this.texts = List.copyOf(texts);
    }

    /** A filter that keeps every record: what a mapping without {@code FilterCriteria} does. */
    static StreamFilter everything() {
        return EVERYTHING;
    }

    /**
     * The filter of a {@code FilterCriteria} property ({@code {"Filters": [{"Pattern": "<JSON text>"}]}}); absent or
     * without filters keeps everything.
     *
     * @throws IllegalArgumentException when a pattern is not JSON or uses what this matcher does not implement
     */
    static StreamFilter of(JsonNode filterCriteria) {
        if (filterCriteria == null || filterCriteria.isNull() || filterCriteria.path("Filters").isEmpty()) {
            return EVERYTHING;
        }
        List<JsonNode> patterns = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (JsonNode filter : filterCriteria.path("Filters")) {
            JsonNode pattern = filter.get("Pattern");
            if (pattern == null || pattern.isNull()) {
                throw new IllegalArgumentException("a filter without Pattern: " + filter);
            }
            // The template gives the pattern as a JSON string, as the Lambda API does; an inline object is read too.
            JsonNode parsed;
            try {
                parsed = pattern.isTextual() ? HttpApiEvents.JSON.readTree(pattern.asText()) : pattern;
            } catch (IOException e) {
                throw new IllegalArgumentException("filter pattern is not JSON: " + pattern.asText(), e);
            }
            if (parsed == null || !parsed.isObject()) {
                throw new IllegalArgumentException("a filter pattern must be a JSON object: " + pattern);
            }
            check(parsed, "");
            patterns.add(parsed);
            texts.add(parsed.toString());
        }
        return new StreamFilter(patterns, texts);
    }

    /** True when the record matches one of the patterns (or there are none). */
    boolean matches(JsonNode record) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (JsonNode pattern : patterns) {
            if (matchesObject(pattern, record)) {
                return true;
            }
        }
        return false;
    }

    /** The patterns as given, for the start-up banner; empty when everything passes. */
    List<String> describe() {
        return texts;
    }

    private static boolean matchesObject(JsonNode pattern, JsonNode value) {
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode actual = value == null || !value.isObject() ? null : value.get(field.getKey());
            JsonNode expected = field.getValue();
            boolean matched = expected.isObject() ? actual != null && actual.isObject() && matchesObject(expected, actual)
                    : matchesLeaf(expected, actual);
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    /** {@code actual} is null when the record has no such field. */
    private static boolean matchesLeaf(JsonNode allowed, JsonNode actual) {
        for (JsonNode rule : allowed) {
            if (rule.isObject() && rule.has("exists")) {
                if (rule.get("exists").asBoolean() == (actual != null)) {
                    return true;
                }
                continue;
            }
            if (actual == null) {
                continue;
            }
            if (actual.isArray()) {
                for (JsonNode element : actual) {
                    if (matchesRule(rule, element)) {
                        return true;
                    }
                }
            } else if (matchesRule(rule, actual)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesRule(JsonNode rule, JsonNode actual) {
        if (!rule.isObject()) {
            return sameValue(rule, actual);
        }
        Map.Entry<String, JsonNode> operator = rule.fields().next();
        JsonNode argument = operator.getValue();
        return switch (operator.getKey()) {
            case "prefix" -> actual.isTextual() && actual.asText().startsWith(argument.asText());
            case "anything-but" -> {
                if (actual.isObject() || actual.isArray()) {
                    yield false;
                }
                for (JsonNode excluded : argument.isArray() ? argument : List.of(argument)) {
                    if (sameValue(excluded, actual)) {
                        yield false;
                    }
                }
                yield true;
            }
            case "numeric" -> actual.isNumber() && numeric(argument, actual.decimalValue());
            default -> throw new IllegalStateException("unchecked operator " + operator.getKey());
        };
    }

    /** Exact equality of leaves: strings as strings, numbers by value (1 and 1.0 are the same), booleans, null. */
    private static boolean sameValue(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        if (expected.isNull()) {
            return actual.isNull();
        }
        return expected.getNodeType() == actual.getNodeType() && expected.asText().equals(actual.asText());
    }

    private static boolean numeric(JsonNode comparisons, BigDecimal value) {
        for (int i = 0; i + 1 < comparisons.size(); i += 2) {
            int order = value.compareTo(comparisons.get(i + 1).decimalValue());
            boolean holds = switch (comparisons.get(i).asText()) {
                case "=" -> order == 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                case ">=" -> order >= 0;
                default -> false;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    /** Refuses, at start, what {@link #matches} would not implement faithfully. */
    private static void check(JsonNode pattern, String path) {
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields();
        if (!fields.hasNext() && !path.isEmpty()) {
            throw new IllegalArgumentException("filter pattern field " + path + " is an empty object");
        }
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String where = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (field.getKey().startsWith("$")) {
                throw new IllegalArgumentException("filter pattern field " + where + ": " + field.getKey()
                        + " is not supported by the local stack");
            }
            JsonNode value = field.getValue();
            if (value.isObject()) {
                check(value, where);
            } else if (value.isArray()) {
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("filter pattern field " + where + " allows nothing: []");
                }
                value.forEach(rule -> checkRule(rule, where));
            } else {
                throw new IllegalArgumentException("filter pattern field " + where
                        + " must be an object or an array of allowed values, not " + value);
            }
        }
    }

    private static void checkRule(JsonNode rule, String where) {
        if (rule.isValueNode()) {
            return;
        }
        if (!rule.isObject() || rule.size() != 1) {
            throw new IllegalArgumentException("filter pattern field " + where + ": unsupported rule " + rule);
        }
        Map.Entry<String, JsonNode> operator = rule.fields().next();
        JsonNode argument = operator.getValue();
        boolean valid = switch (operator.getKey()) {
            case "exists" -> argument.isBoolean();
            case "prefix" -> argument.isTextual();
            case "anything-but" -> argument.isValueNode() || argument.isArray() && allValues(argument);
            case "numeric" -> numericArgument(argument);
            default -> false;
        };
        if (!valid) {
            throw new IllegalArgumentException("filter pattern field " + where + ": " + rule
                    + " is not supported by the local stack (exact values, exists, prefix, anything-but, numeric)");
        }
    }

    private static boolean allValues(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isValueNode()) {
                return false;
            }
        }
        return true;
    }

    private static boolean numericArgument(JsonNode argument) {
        if (!argument.isArray() || argument.isEmpty() || argument.size() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < argument.size(); i += 2) {
            if (!List.of("=", "<", "<=", ">", ">=").contains(argument.get(i).asText()) || !argument.get(i + 1).isNumber()) {
                return false;
            }
        }
        return true;
    }
}
