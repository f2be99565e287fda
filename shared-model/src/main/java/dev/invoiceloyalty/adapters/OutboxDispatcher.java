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

    /** Sends {@code messages} of partition {@code pk}; returns how many are still pending. */
    public int dispatch(String pk, List<OutboxMessage> messages) {
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
                    try {
                        OutboxItems.release(ddb, table, pk, m.messageId());
                    } catch (RuntimeException ignored) {
                        // the lease expires on its own
                    }
                }
            }
        }
        return pending;
    }

    /** Sends whatever an earlier attempt committed in {@code pk} but did not send. */
    public int flushPending(String pk) {
        List<OutboxMessage> pending = OutboxItems.pending(ddb, table, pk);
        return pending.isEmpty() ? 0 : dispatch(pk, pending);
    }
}
