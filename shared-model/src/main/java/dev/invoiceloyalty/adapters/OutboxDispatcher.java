package dev.invoiceloyalty.adapters;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.List;

/**
 * Sends committed outbox messages and deletes each once sent. Each send is claimed first (a short lease), so the
 * committing request and a concurrent replay do not both send. A send that fails leaves its item in place: the
 * message goes out on the next flush of that partition (a replayed request) or from the outbox sweep. What can
 * still repeat is a send whose delete failed; the receivers' dedup (email id, event id) absorbs that copy.
 */
public final class OutboxDispatcher {
    private final DynamoDbClient ddb;
    private final String table;
    private final OutboxSender sender;
    /** Longer than any send takes; a dead claimer's messages go out on the first flush after it. */
    static final long LEASE_MILLIS = 60_000;

    public OutboxDispatcher(DynamoDbClient ddb, String table, OutboxSender sender) {
        this.ddb = ddb;
        this.table = table;
        this.sender = sender;
    }

    /**
     * Sends {@code messages} of partition {@code pk}; returns how many are still pending.
     *
     * <p>The usual case takes three calls whatever the number of messages: claim them all in one transaction, send
     * them with one call per destination ({@link OutboxSender#sendAll}), delete them in one transaction. When the
     * joint claim fails (a concurrent replay holds one of them, or one is gone) each message is claimed, sent and
     * deleted on its own, so the free ones still go out. A failed send gives the claims back and leaves every
     * message pending; what did go out is sent again by the next flush, and the receivers' dedup absorbs it.
     */
    public int dispatch(String pk, List<OutboxMessage> messages) {
        if (messages.isEmpty()) {
            return 0;
        }
        if (messages.size() <= OutboxItems.MAX_PER_TRANSACTION) {
            List<String> ids = messages.stream().map(OutboxMessage::messageId).toList();
            boolean claimed;
            try {
                // Lease on the wall clock: it is about processes, not business time.
                claimed = OutboxItems.claimAll(ddb, table, pk, ids, System.currentTimeMillis(), LEASE_MILLIS);
            } catch (RuntimeException e) {
                Log.event("outbox_send_failed", "pk", pk, "messages", ids.size(), "error", e.getClass().getSimpleName());
                return messages.size();
            }
            if (claimed) {
                try {
                    sender.sendAll(messages);
                } catch (RuntimeException e) {
                    Log.event("outbox_send_failed", "pk", pk, "messages", ids.size(), "error", e.getClass().getSimpleName());
                    for (String id : ids) {
                        release(pk, id);
                    }
                    return messages.size();
                }
                try {
                    OutboxItems.deleteAll(ddb, table, pk, ids);
                    return 0;
                } catch (RuntimeException e) {
                    // Sent but still listed: the lease runs out and the next flush sends them once more.
                    Log.event("outbox_delete_failed", "pk", pk, "messages", ids.size(), "error", e.getClass().getSimpleName());
                    return messages.size();
                }
            }
        }
        return dispatchEach(pk, messages);
    }

    /** One message at a time: claim, send, delete; a message someone else holds is skipped. */
    private int dispatchEach(String pk, List<OutboxMessage> messages) {
        int pending = 0;
        for (OutboxMessage m : messages) {
            boolean claimed = false;
            try {
                // Lease on the wall clock: it is about processes, not business time.
                claimed = OutboxItems.claim(ddb, table, pk, m.messageId(), System.currentTimeMillis(), LEASE_MILLIS);
                if (!claimed) {
                    continue; // sent already, or being sent by a concurrent request
                }
                sender.send(m);
                OutboxItems.delete(ddb, table, pk, m.messageId());
            } catch (RuntimeException e) {
                pending++;
                Log.event("outbox_send_failed", "pk", pk, "messageId", m.messageId(), "error", e.getClass().getSimpleName());
                if (claimed) {
                    release(pk, m.messageId());
                }
            }
        }
        return pending;
    }

    private void release(String pk, String messageId) {
        try {
            OutboxItems.release(ddb, table, pk, messageId);
        } catch (RuntimeException ignored) {
            // the lease expires on its own
        }
    }

    /** Sends whatever an earlier attempt committed in {@code pk} but did not send. */
    public int flushPending(String pk) {
        List<OutboxMessage> pending = OutboxItems.pending(ddb, table, pk);
        return pending.isEmpty() ? 0 : dispatch(pk, pending);
    }
}
