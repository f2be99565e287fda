package dev.invoiceloyalty.adapters;

import java.util.List;

/**
 * The fact was processed before (its marker exists): these are the messages it produced. They were committed with
 * the marker, so the outbox relay sends them from the table's stream; a retry has nothing to send.
 */
public final class AlreadyProcessed extends RuntimeException {
    private final List<OutboxMessage> messages;

    AlreadyProcessed(List<OutboxMessage> messages) {
        super(null, null, false, false);
        this.messages = List.copyOf(messages);
    }

    public List<OutboxMessage> messages() {
        return messages;
    }
}
