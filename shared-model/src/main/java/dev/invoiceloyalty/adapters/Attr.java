package dev.invoiceloyalty.adapters;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** Terse AttributeValue construction and reading; absent attributes read as null / defaults. */
public final class Attr {
    private Attr() {
    }

    public static AttributeValue s(String value) {
        return value == null ? AttributeValue.fromNul(true) : AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    public static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || Boolean.TRUE.equals(v.nul()) ? null : v.s();
    }

    public static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    public static boolean flag(Map<String, AttributeValue> item, String name, boolean defaultValue) {
        AttributeValue v = item.get(name);
        return v == null || v.bool() == null ? defaultValue : v.bool();
    }

    public static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }
}
