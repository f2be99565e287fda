package dev.invoiceloyalty.domain;

/** Invoice status. It only moves forward: a paid invoice is never reopened (SPEC §4). */
public enum InvoiceStatus {
    OPEN, PARTIALLY_PAID, PAID, VOID, UNCOLLECTIBLE;

    /** Open for collection: reminders, aging and payments apply. */
    public boolean isCollectible() {
        return this == OPEN || this == PARTIALLY_PAID;
    }

    public boolean isClosed() {
        return !isCollectible();
    }
}
