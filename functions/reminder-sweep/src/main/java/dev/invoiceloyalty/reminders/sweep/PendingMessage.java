package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.OutboxMessage;

/** A committed outbox message and the partition it waits in ({@code INVOICE#…}, {@code CUSTOMER#…}). */
record PendingMessage(String pk, OutboxMessage message) {
}
