package dev.invoiceloyalty.localstack;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code HttpApi} event of a function: {@code Method} (or {@code ANY}) and {@code Path} with {@code {param}}
 * segments and an optional trailing greedy {@code {proxy+}}; without both it is the {@code $default} route.
 * Several routes can match a request; as in API Gateway the most specific wins: literal segments over
 * {@code {param}} over {@code {proxy+}}, then a named method over {@code ANY}, and {@code $default} last.
 *
 * @see <a href="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html">Routes for HTTP APIs</a>
 */
record HttpApiRoute(String method, String path, String functionId, String eventName) {
    static final String DEFAULT_ROUTE = "$default";

    /** The matched route and what it takes from the path. */
    record Match(HttpApiRoute route, Map<String, String> pathParameters) {
    }

    static HttpApiRoute of(String method, String path, String functionId, String eventName) {
        if (method == null && path == null) {
            return new HttpApiRoute(null, null, functionId, eventName);
        }
        String normalisedMethod = method == null ? "ANY" : method.toUpperCase(Locale.ROOT);
        String normalisedPath = path == null ? "/{proxy+}" : path;
        if (!normalisedPath.startsWith("/")) {
            throw new IllegalArgumentException(functionId + "." + eventName + ": Path must start with /: " + path);
        }
        return new HttpApiRoute(normalisedMethod, normalisedPath, functionId, eventName);
    }

    boolean isDefault() {
        return path == null;
    }

    /** As API Gateway names it in the event: {@code POST /invoices}, {@code ANY /files/{proxy+}}, {@code $default}. */
    String routeKey() {
        return isDefault() ? DEFAULT_ROUTE : method + " " + path;
    }

    /** The path parameters if this route serves the request, else null. */
    Map<String, String> match(String requestMethod, String rawPath) {
        if (isDefault()) {
            return Map.of();
        }
        if (!method.equals("ANY") && !method.equalsIgnoreCase(requestMethod)) {
            return null;
        }
        String[] template = segments(path);
        String[] actual = segments(rawPath);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String segment = template[i];
            if (segment.startsWith("{") && segment.endsWith("+}")) {
                if (i != template.length - 1 || actual.length <= i) {
                    return null;
                }
                String name = segment.substring(1, segment.length() - 2);
                parameters.put(name, decode(String.join("/", java.util.Arrays.copyOfRange(actual, i, actual.length))));
                return parameters;
            }
            if (i >= actual.length) {
                return null;
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                parameters.put(segment.substring(1, segment.length() - 1), decode(actual[i]));
            } else if (!segment.equals(actual[i])) {
                return null;
            }
        }
        return template.length == actual.length ? parameters : null;
    }

    /** The best of the routes that serve the request, or null (API Gateway then answers 404). */
    static Match select(List<HttpApiRoute> routes, String requestMethod, String rawPath) {
        List<Match> matches = new ArrayList<>();
        for (HttpApiRoute route : routes) {
            Map<String, String> parameters = route.match(requestMethod, rawPath);
            if (parameters != null) {
                matches.add(new Match(route, parameters));
            }
        }
        return matches.stream().min(Comparator.comparing(Match::route, HttpApiRoute::compareSpecificity)).orElse(null);
    }

    /** Negative when {@code a} is more specific than {@code b}. */
    static int compareSpecificity(HttpApiRoute a, HttpApiRoute b) {
        if (a.isDefault() != b.isDefault()) {
            return a.isDefault() ? 1 : -1;
        }
        if (a.isDefault()) {
            return 0;
        }
        String[] left = segments(a.path);
        String[] right = segments(b.path);
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int byKind = Integer.compare(kind(left[i]), kind(right[i]));
            if (byKind != 0) {
                return byKind;
            }
        }
        if (left.length != right.length) {
            return Integer.compare(right.length, left.length);
        }
        boolean leftAny = a.method.equals("ANY");
        boolean rightAny = b.method.equals("ANY");
        return leftAny == rightAny ? 0 : leftAny ? 1 : -1;
    }

    private static int kind(String segment) {
        if (segment.startsWith("{") && segment.endsWith("+}")) {
            return 2;
        }
        return segment.startsWith("{") && segment.endsWith("}") ? 1 : 0;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    private static String decode(String value) {
        // URLDecoder would turn '+' into a space, which is form encoding, not path encoding.
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
