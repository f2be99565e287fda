package dev.invoiceloyalty.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The function's environment variables. In Lambda this is {@link System#getenv}. The local stack runs every
 * function of the template in one JVM, each in its own class loader (so each has its own copy of this class),
 * and gives each function the environment its template entry declares through {@link #override}.
 */
public final class Env {
    private static volatile Map<String, String> overrides = Map.of();

    private Env() {
    }

    /** The variable's value, or null when unset. */
    public static String get(String name) {
        String v = overrides.get(name);
        return v != null ? v : System.getenv(name);
    }

    public static String get(String name, String defaultValue) {
        String v = get(name);
        return v == null || v.isBlank() ? defaultValue : v;
    }

    /** The process environment with the overrides on top. */
    public static Map<String, String> all() {
        Map<String, String> merged = new HashMap<>(System.getenv());
        merged.putAll(overrides);
        return merged;
    }

    /** Replaces the overrides; called once per class loader by the local stack before the handler is built. */
    public static void override(Map<String, String> values) {
        overrides = Map.copyOf(values);
    }
}
