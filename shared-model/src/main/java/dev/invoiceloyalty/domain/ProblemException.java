package dev.invoiceloyalty.domain;

import java.util.List;

/**
 * A request the product refuses, carrying what RFC 9457 problem details need. Thrown before anything is written
 * (validation) or when a conditional write proves the request conflicts with the stored state; the HTTP door
 * turns it into {@code application/problem+json}.
 */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;

    public ProblemException(int status, String type, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new ProblemException(400, "validation-error", "Invalid request", detail, errors);
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ProblemException malformed(String detail) {
        return new ProblemException(400, "malformed-request", "Malformed request", detail, List.of());
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not found", detail, List.of());
    }

    public static ProblemException conflict(String type, String detail) {
        return new ProblemException(409, type, "Conflict", detail, List.of());
    }

    public static ProblemException unprocessable(String type, String detail) {
        return new ProblemException(422, type, "Not allowed in the current state", detail, List.of());
    }

    public static ProblemException unprocessable(String type, String detail, List<FieldError> errors) {
        return new ProblemException(422, type, "Not allowed in the current state", detail, errors);
    }

    public int status() {
        return status;
    }

    /** Short slug; the HTTP layer turns it into a URI. */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }
}
