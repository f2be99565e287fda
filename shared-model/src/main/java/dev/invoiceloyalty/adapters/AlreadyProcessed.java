package dev.invoiceloyalty.adapters;

import java.util.List;

/**
 * The fact was processed before (its marker exists): these are the messages it produced, to be sent again so a
 * retry after a crash between commit and send loses nothing. Receivers dedupe by message id.
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
