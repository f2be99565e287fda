package dev.invoiceloyalty.api;

import dev.invoiceloyalty.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a request to one of the HttpApi routes of template.yaml. API Gateway already names the matched route
 * ({@code routeKey}) and fills {@code pathParameters}; matching the path against the same templates as well keeps
 * the function usable behind a {@code $default} route or a plain proxy.
 */
final class Routes {
    record Match(String route, Map<String, String> pathParameters) {
    }

    private final List<String> routes;

    Routes(List<String> routes) {
        this.routes = List.copyOf(routes);
    }

    Match match(HttpRequest request) {
        if (request.routeKey() != null && routes.contains(request.routeKey())) {
            Map<String, String> fromPath = extract(request.routeKey(), request.path());
            Map<String, String> params = new HashMap<>(fromPath == null ? Map.of() : fromPath);
            params.putAll(request.pathParameters());
            return new Match(request.routeKey(), params);
        }
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            if (method.equalsIgnoreCase(request.method())) {
                Map<String, String> params = extract(route, request.path());
                if (params != null) {
                    return new Match(route, params);
                }
            }
        }
        return null;
    }

    /** Path parameters of {@code route} in {@code path}, or null when the path does not fit the template. */
    private static Map<String, String> extract(String route, String path) {
        if (path == null) {
            return Map.of();
        }
        String[] template = route.substring(route.indexOf(' ') + 1).split("/");
        String[] parts = path.split("/");
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), java.net.URLDecoder.decode(parts[i],
                        java.nio.charset.StandardCharsets.UTF_8));
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }
}
