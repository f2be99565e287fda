package dev.invoiceloyalty.domain;

/** One invalid field of a request: {@code field} is a JSON pointer-like path such as {@code lineItems[2].quantity}. */
public record FieldError(String field, String message) {
}
