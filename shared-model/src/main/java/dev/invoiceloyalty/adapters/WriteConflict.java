package dev.invoiceloyalty.adapters;

/** Something read before a transaction changed (a version, a lot, a concurrent transaction): read again and retry. */
public final class WriteConflict extends RuntimeException {
    WriteConflict(String what) {
        super(what, null, false, false);
    }
}
