package dev.invoiceloyalty.adapters;

/**
 * What a request under an {@code Idempotency-Key} produced: replayed verbatim for the same body, a 409 for
 * another body. {@code resourcePk} names the partition whose pending outbox a replay flushes.
 */
public record IdempotencyRecord(String scope, String key, String requestHash, int status, String responseBody,
                                String resourcePk) {
}
