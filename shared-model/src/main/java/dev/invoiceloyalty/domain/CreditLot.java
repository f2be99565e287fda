package dev.invoiceloyalty.domain;

/**
 * An open reward credit of a customer in one currency: what is left of one credit ledger entry. Lots are spent
 * oldest-expiring first; {@code remaining} never goes below zero.
 */
public record CreditLot(String entryId, String currency, long remaining, String expiresAt) {
}
