package dev.invoiceloyalty.adapters;

/** A stored value with the version its next conditional write must expect (optimistic locking). */
public record Versioned<T>(T value, long version) {
}
