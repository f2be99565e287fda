package dev.invoiceloyalty.adapters;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Cuts messages into the batches SQS {@code SendMessageBatch} and EventBridge {@code PutEvents} accept: at most
 * {@link #MAX_ENTRIES} entries and {@link #MAX_BATCH_BYTES} bytes per request, under both APIs' 256 KB limit
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html,
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html).
 */
public final class OutboxBatches {
    public static final int MAX_ENTRIES = 10;
    /** Below the 256 KB request limit of both APIs, with room for the entries' other fields. */
    public static final int MAX_BATCH_BYTES = 200 * 1024;

    private OutboxBatches() {
    }

    /** Consecutive groups of at most {@link #MAX_ENTRIES} items and {@link #MAX_BATCH_BYTES} bytes, in order. */
    public static <T> List<List<T>> of(List<T> items, ToIntFunction<T> size) {
        List<List<T>> out = new ArrayList<>();
        List<T> current = new ArrayList<>();
        int bytes = 0;
        for (T item : items) {
            int s = size.applyAsInt(item);
            if (!current.isEmpty() && (current.size() == MAX_ENTRIES || bytes + s > MAX_BATCH_BYTES)) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(item);
            bytes += s;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** What a message weighs in a SendMessageBatch request. */
    public static int queueBytes(OutboxMessage m) {
        return utf8(m.body());
    }

    /** What a message weighs in a PutEvents request (detail, detail type and source). */
    public static int eventBytes(OutboxMessage m) {
        return utf8(m.body()) + utf8(m.detailType()) + SqsEventBridgeOutboxSender.SOURCE.length();
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
