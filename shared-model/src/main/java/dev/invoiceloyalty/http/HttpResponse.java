package dev.invoiceloyalty.http;

import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.domain.FieldError;
import dev.invoiceloyalty.domain.ProblemException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A response: status, headers, JSON body text. */
public record HttpResponse(int status, Map<String, String> headers, String body) {
    public static final String PROBLEM_TYPE_BASE = "https://invoice-loyalty.dev/problems/";

    public static HttpResponse json(int status, String body) {
        return new HttpResponse(status, Map.of("content-type", "application/json"), body);
    }

    public static HttpResponse json(int status, Object value) {
        return json(status, Json.write(value));
    }

    public HttpResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpResponse(status, h, body);
    }

    /** RFC 9457 problem details with the field errors SPEC §4 asks for. */
    public static HttpResponse problem(ProblemException p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", PROBLEM_TYPE_BASE + p.type());
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError e : p.errors()) {
            errors.add(Map.of("field", e.field(), "message", e.message()));
        }
        body.put("errors", errors);
        return new HttpResponse(p.status(), Map.of("content-type", "application/problem+json"), Json.write(body));
    }

    public static HttpResponse problem(int status, String type, String title, String detail) {
        return problem(new ProblemException(status, type, title, detail, List.of()));
    }
}
