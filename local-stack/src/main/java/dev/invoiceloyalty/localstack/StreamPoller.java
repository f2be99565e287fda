package dev.invoiceloyalty.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.local.TableStream;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Lambda's DynamoDB event source mapping for one {@code DynamoDB} event of a function: its own thread reads the
 * table's stream ({@link TableStream}, from the start or, with {@code StartingPosition: LATEST}, from what is written
 * after the stack started), drops the records that match none of the {@code FilterCriteria} patterns, and invokes the
 * function with batches of up to {@code BatchSize} records as {@code {"Records":[...]}}, in stream order, one batch at
 * a time (Lambda runs one batch per shard at a time, and the local stream is read as one sequence).
 *
 * <p>The answer decides what comes next, as in Lambda:
 * <ul>
 *   <li>success: the batch is done;</li>
 *   <li>with {@code FunctionResponseTypes: [ReportBatchItemFailures]}, {@code batchItemFailures}: the records before
 *       the lowest reported sequence number are done, the rest of the batch is retried; an identifier that is empty
 *       or not in the batch, or an answer that is not JSON, fails the whole batch;</li>
 *   <li>a thrown error fails the whole batch; with {@code BisectBatchOnFunctionError} a failed batch of several
 *       records is split in two halves, retried one after the other (splitting does not count as a retry).</li>
 * </ul>
 * Each retry waits the local retry delay. When the same records have failed {@code MaximumRetryAttempts} retries
 * (default -1: for ever) or the oldest is older than {@code MaximumRecordAgeInSeconds}, the poller gives up on them:
 * it sends Lambda's on-failure record ({@code requestContext}, {@code responseContext}, {@code DDBStreamBatchInfo}) to
 * the {@code DestinationConfig.OnFailure} queue, if there is one, and moves on.
 *
 * <p>For {@code /_local/drain}: {@link #caughtUpSince} is true when no record waits or is being delivered and a poll
 * that started at or after a given instant found the stream empty; {@link #wake} makes an idle poller poll now.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html">Using Lambda with DynamoDB streams</a>
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html">Partial batch responses</a>
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html">Error handling and on-failure destinations</a>
 */
final class StreamPoller implements Runnable {
    /** Lambda polls a shard about four times a second; an idle poller waits this long between polls. */
    private static final Duration IDLE = Duration.ofMillis(250);
    /** GetRecords returns at most 1000 records. */
    private static final int POLL_LIMIT = 1000;
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

    /**
     * The mapping's properties, as the template's {@code DynamoDB} event gives them.
     *
     * @param batchSize               {@code BatchSize}, default 100 (Lambda's for DynamoDB)
     * @param latest                  {@code StartingPosition: LATEST}; {@code TRIM_HORIZON} reads from the start
     * @param filter                  {@code FilterCriteria}
     * @param reportBatchItemFailures {@code FunctionResponseTypes} has {@code ReportBatchItemFailures}
     * @param bisect                  {@code BisectBatchOnFunctionError}
     * @param maximumRetryAttempts    {@code MaximumRetryAttempts}; -1 (the default) retries until the record expires
     * @param maximumRecordAgeSeconds {@code MaximumRecordAgeInSeconds}; -1 (the default) never gives up for age
     */
    record Settings(int batchSize, boolean latest, StreamFilter filter, boolean reportBatchItemFailures, boolean bisect,
                    int maximumRetryAttempts, long maximumRecordAgeSeconds) {
        /** @throws IllegalArgumentException on what Lambda would refuse or the local stack cannot do */
        static Settings of(JsonNode properties) {
            String start = properties.path("StartingPosition").asText("");
            if (!start.equals("TRIM_HORIZON") && !start.equals("LATEST")) {
                throw new IllegalArgumentException("StartingPosition must be TRIM_HORIZON or LATEST for a DynamoDB stream, not '"
                        + start + "'");
            }
            int batchSize = properties.path("BatchSize").asInt(100);
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("BatchSize must be 1..10000: " + batchSize);
            }
            boolean partial = false;
            for (JsonNode type : properties.path("FunctionResponseTypes")) {
                partial |= "ReportBatchItemFailures".equals(type.asText());
            }
            StreamFilter filter;
            try {
                filter = StreamFilter.of(properties.get("FilterCriteria"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("FilterCriteria: " + e.getMessage(), e);
            }
            return new Settings(batchSize, start.equals("LATEST"), filter, partial,
                    properties.path("BisectBatchOnFunctionError").asBoolean(false),
                    properties.path("MaximumRetryAttempts").asInt(-1),
                    properties.path("MaximumRecordAgeInSeconds").asLong(-1));
        }
    }

    /** Where given-up batches go: an SQS queue, named for the banner. */
    record FailureDestination(SqsClient sqs, String queueUrl, String name) {
    }

    private final String functionId;
    private final String eventName;
    private final String functionArn;
    private final Function<byte[], LambdaFunction.Result> invoker;
    private final Settings settings;
    private final Supplier<TableStream> opener;
    private final DynamoDbStreamsClient streams;
    private final String tableName;
    private final FailureDestination onFailure;
    private final Duration retryDelay;
    private final Thread thread;
    private final Object lock = new Object();

    // Guarded by lock: what drain() reads.
    private final List<ObjectNode> pending = new ArrayList<>();
    private long lastEmptyPollStartedNanos;
    private boolean emptyPollSeen;
    private boolean wakeRequested;

    // The poller thread's own.
    private volatile TableStream stream;
    /** Sizes of the next batches when a failed batch was bisected, first in front; empty: up to BatchSize. */
    private final Deque<Integer> segments = new ArrayDeque<>();
    private int failedAttempts;
    private int invocations;
    private BigInteger highestSequence;
    private BigInteger skipThrough;
    private volatile boolean running = true;

    StreamPoller(String functionId, String eventName, String functionArn, Function<byte[], LambdaFunction.Result> invoker,
                 Settings settings, Supplier<TableStream> opener, DynamoDbStreamsClient streams, String tableName,
                 FailureDestination onFailure, Duration retryDelay) {
        this.functionId = functionId;
        this.eventName = eventName;
        this.functionArn = functionArn;
        this.invoker = invoker;
        this.settings = settings;
        this.opener = opener;
        this.streams = streams;
        this.tableName = tableName;
        this.onFailure = onFailure;
        this.retryDelay = retryDelay;
        this.stream = opener.get();
        this.thread = new Thread(this, "stream-" + functionId + "-" + eventName);
        this.thread.setDaemon(true);
    }

    /**
     * Starts the thread. With {@code LATEST}, first passes over what the stream already holds, here on the caller's
     * thread, so that everything written after this returns is delivered.
     */
    void start() {
        if (settings.latest()) {
            List<ObjectNode> skipped;
            do {
                skipped = stream.poll(POLL_LIMIT);
                skipped.forEach(this::noteSequence);
            } while (!skipped.isEmpty());
        }
        thread.start();
    }

    String name() {
        return functionId + "." + eventName;
    }

    String streamArn() {
        return stream.streamArn();
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        parts.add(settings.latest() ? "LATEST" : "TRIM_HORIZON");
        parts.add("batch " + settings.batchSize());
        settings.filter().describe().forEach(pattern -> parts.add("filter " + pattern));
        if (settings.reportBatchItemFailures()) {
            parts.add("ReportBatchItemFailures");
        }
        if (settings.bisect()) {
            parts.add("BisectBatchOnFunctionError");
        }
        parts.add(settings.maximumRetryAttempts() < 0 ? "retries until the record expires"
                : settings.maximumRetryAttempts() + " retries");
        if (onFailure != null) {
            parts.add("on failure -> SQS " + onFailure.name());
        }
        return functionId + " <- DynamoDB stream of " + tableName + " (" + String.join(", ", parts) + ")";
    }

    /**
     * True when no record waits for or is in a delivery, and a poll that started at or after {@code sinceNanos}
     * ({@link System#nanoTime()}) found nothing new on the stream.
     */
    boolean caughtUpSince(long sinceNanos) {
        synchronized (lock) {
            return pending.isEmpty() && emptyPollSeen && lastEmptyPollStartedNanos - sinceNanos >= 0;
        }
    }

    /** Records read and kept, not yet done or given up. */
    int pendingRecords() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /** Makes an idle poller poll now instead of at its next interval; a retry still waits its delay. */
    void wake() {
        synchronized (lock) {
            wakeRequested = true;
            lock.notifyAll();
        }
    }

    /** Asks the loop to end after the current poll or invocation. */
    void stop() {
        running = false;
        wake();
    }

    void join(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (pendingRecords() == 0) {
                    poll();
                } else {
                    deliverNext();
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                System.err.println("local stack: " + name() + " on the stream of " + tableName + ": " + e);
                if (lostPlace(e)) {
                    reopen();
                }
                pause(ERROR_PAUSE);
            }
        }
    }

    private void poll() {
        long started = System.nanoTime();
        List<ObjectNode> records = stream.poll(POLL_LIMIT);
        List<ObjectNode> kept = new ArrayList<>();
        for (ObjectNode record : records) {
            if (skipThrough != null && compare(sequenceOf(record), skipThrough) <= 0) {
                continue;
            }
            noteSequence(record);
            if (settings.filter().matches(record)) {
                kept.add(record);
            }
        }
        synchronized (lock) {
            if (records.isEmpty()) {
                lastEmptyPollStartedNanos = started;
                emptyPollSeen = true;
            }
            pending.addAll(kept);
        }
        if (records.isEmpty()) {
            idle();
        }
    }

    /** Invokes the function with the next batch and settles it. */
    private void deliverNext() {
        List<ObjectNode> batch;
        synchronized (lock) {
            int size = segments.isEmpty() ? settings.batchSize() : segments.peekFirst();
            batch = new ArrayList<>(pending.subList(0, Math.min(size, pending.size())));
        }
        invocations++;
        LambdaFunction.Result result = invoker.apply(TableStream.bytes(TableStream.event(batch)));
        int failedFrom = result.failed() ? 0 : settings.reportBatchItemFailures() ? failedFrom(result, batch) : -1;
        boolean wholeBatch = result.failed() || failedFrom == batch.size();
        if (failedFrom < 0) {
            done(batch.size());
            return;
        }
        if (wholeBatch) {
            if (settings.bisect() && batch.size() > 1) {
                // Splitting does not count as a retry (Lambda's documented behaviour); the halves go one after the other.
                int first = (batch.size() + 1) / 2;
                replaceFront(first, batch.size() - first);
                failedAttempts = 0;
                invocations = 0;
                pause(retryDelay);
                return;
            }
            failedAttempts++;
        } else if (failedFrom > 0) {
            // The records before the checkpoint are done; the rest of the batch failed once.
            done(failedFrom);
            replaceFront(batch.size() - failedFrom);
            failedAttempts = 1;
            invocations = 1;
            batch = batch.subList(failedFrom, batch.size());
        } else {
            replaceFront(batch.size());
            failedAttempts++;
        }
        String condition = exhausted(batch);
        if (condition != null) {
            giveUp(batch, condition, result);
            return;
        }
        pause(retryDelay);
    }

    /** Null while the records may be retried; else Lambda's on-failure {@code condition}. */
    private String exhausted(List<ObjectNode> batch) {
        if (settings.maximumRecordAgeSeconds() >= 0) {
            long created = batch.get(0).path("dynamodb").path("ApproximateCreationDateTime").asLong(Long.MAX_VALUE);
            if (created != Long.MAX_VALUE
                    && Instant.now().getEpochSecond() - created > settings.maximumRecordAgeSeconds()) {
                return "RecordAgeExceeded";
            }
        }
        if (settings.maximumRetryAttempts() >= 0 && failedAttempts > settings.maximumRetryAttempts()) {
            return "RetryAttemptsExhausted";
        }
        return null;
    }

    private void giveUp(List<ObjectNode> batch, String condition, LambdaFunction.Result result) {
        ObjectNode record = onFailureRecord(batch, condition, result);
        String first = sequenceOf(batch.get(0));
        String last = sequenceOf(batch.get(batch.size() - 1));
        if (onFailure != null) {
            onFailure.sqs().sendMessage(request -> request.queueUrl(onFailure.queueUrl()).messageBody(record.toString()));
        }
        System.err.println("local stack: " + name() + " gave up on " + batch.size() + " record(s), sequence numbers "
                + first + ".." + last + " (" + condition + " after " + invocations + " invocation(s)); "
                + (onFailure != null ? "sent to " + onFailure.name() : "no on-failure destination: dropped"));
        done(batch.size());
    }

    /**
     * Lambda's on-failure record for a stream batch.
     *
     * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html">its shape</a>
     */
    ObjectNode onFailureRecord(List<ObjectNode> batch, String condition, LambdaFunction.Result result) {
        ObjectNode record = HttpApiEvents.JSON.createObjectNode();
        ObjectNode request = record.putObject("requestContext");
        request.put("requestId", UUID.randomUUID().toString());
        request.put("functionArn", functionArn);
        request.put("condition", condition);
        request.put("approximateInvokeCount", invocations);
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        if (result.failed()) {
            response.put("functionError", "Unhandled");
        }
        record.put("version", "1.0");
        record.put("timestamp", Instant.now().toString());
        ObjectNode info = record.putObject("DDBStreamBatchInfo");
        String first = sequenceOf(batch.get(0));
        info.put("shardId", shardOf(first));
        info.put("startSequenceNumber", first);
        info.put("endSequenceNumber", sequenceOf(batch.get(batch.size() - 1)));
        arrival(batch.get(0)).ifPresent(at -> info.put("approximateArrivalOfFirstRecord", at));
        arrival(batch.get(batch.size() - 1)).ifPresent(at -> info.put("approximateArrivalOfLastRecord", at));
        info.put("batchSize", batch.size());
        info.put("streamArn", stream.streamArn());
        return record;
    }

    /**
     * The index in the batch from which the function asks for a retry: -1 when nothing failed, {@code batch.size()}
     * when the whole batch failed (an answer that is not JSON, an identifier that is empty or not in the batch).
     * Several identifiers: the lowest sequence number, which is the earliest record, is the checkpoint.
     */
    static int failedFrom(LambdaFunction.Result result, List<ObjectNode> batch) {
        JsonNode response;
        try {
            response = result.payload() == null ? null : HttpApiEvents.JSON.readTree(result.payload());
        } catch (IOException e) {
            return batch.size();
        }
        if (response == null || !response.isObject()) {
            return -1;
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            positions.putIfAbsent(sequenceOf(batch.get(i)), i);
        }
        int earliest = -1;
        for (JsonNode failure : response.path("batchItemFailures")) {
            Integer position = positions.get(failure.path("itemIdentifier").asText(""));
            if (position == null) {
                return batch.size();
            }
            earliest = earliest < 0 ? position : Math.min(earliest, position);
        }
        return earliest;
    }

    /** The first {@code count} pending records are settled (done or given up). */
    private void done(int count) {
        synchronized (lock) {
            pending.subList(0, count).clear();
        }
        if (!segments.isEmpty()) {
            int left = segments.removeFirst() - count;
            if (left > 0) {
                segments.addFirst(left);
            }
        }
        failedAttempts = 0;
        invocations = 0;
    }

    /** The next batch is {@code sizes[0]} records, then {@code sizes[1]}…, replacing the current front segment. */
    private void replaceFront(int... sizes) {
        if (!segments.isEmpty()) {
            segments.removeFirst();
        }
        for (int i = sizes.length - 1; i >= 0; i--) {
            if (sizes[i] > 0) {
                segments.addFirst(sizes[i]);
            }
        }
    }

    /** The shard whose sequence number range holds {@code sequenceNumber} (DescribeStream), or "unknown". */
    private String shardOf(String sequenceNumber) {
        try {
            BigInteger sequence = new BigInteger(sequenceNumber);
            for (Shard shard : streams.describeStream(request -> request.streamArn(stream.streamArn()))
                    .streamDescription().shards()) {
                var range = shard.sequenceNumberRange();
                if (range == null || range.startingSequenceNumber() == null) {
                    continue;
                }
                boolean started = sequence.compareTo(new BigInteger(range.startingSequenceNumber())) >= 0;
                boolean notEnded = range.endingSequenceNumber() == null
                        || sequence.compareTo(new BigInteger(range.endingSequenceNumber())) <= 0;
                if (started && notEnded) {
                    return shard.shardId();
                }
            }
        } catch (RuntimeException e) {
            // the record is what matters; the shard id only helps a reader find it
        }
        return "unknown";
    }

    private static Optional<String> arrival(ObjectNode record) {
        JsonNode created = record.path("dynamodb").path("ApproximateCreationDateTime");
        return created.isNumber() ? Optional.of(Instant.ofEpochSecond(created.asLong()).toString())
                : Optional.empty();
    }

    private static String sequenceOf(JsonNode record) {
        return record.path("dynamodb").path("SequenceNumber").asText("");
    }

    private void noteSequence(JsonNode record) {
        BigInteger sequence = parse(sequenceOf(record));
        if (sequence != null && (highestSequence == null || sequence.compareTo(highestSequence) > 0)) {
            highestSequence = sequence;
        }
    }

    /** Compares as numbers (DynamoDB's sequence numbers are decimal strings); unparsable ones compare as greater. */
    private static int compare(String sequence, BigInteger other) {
        BigInteger parsed = parse(sequence);
        return parsed == null ? 1 : parsed.compareTo(other);
    }

    private static BigInteger parse(String sequence) {
        try {
            return new BigInteger(sequence);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An iterator expired (a machine that slept) or its records were trimmed: the stream must be read again. */
    private static boolean lostPlace(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ExpiredIteratorException || cause instanceof TrimmedDataAccessException) {
                return true;
            }
        }
        return false;
    }

    /** Reads the stream from its start again, skipping what was already read (by sequence number). */
    private void reopen() {
        try {
            TableStream fresh = opener.get();
            stream.close();
            stream = fresh;
            skipThrough = highestSequence;
        } catch (RuntimeException e) {
            System.err.println("local stack: " + name() + ": reopening the stream failed: " + e);
        }
    }

    /** Waits for the next poll: the idle interval, or until {@link #wake} or {@link #stop}. */
    private void idle() {
        synchronized (lock) {
            if (!wakeRequested && running) {
                try {
                    lock.wait(IDLE.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            wakeRequested = false;
        }
    }

    /** Waits {@code duration} whatever {@link #wake} asks; only {@link #stop} ends it early. */
    private void pause(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (lock) {
            long left;
            while (running && (left = deadline - System.nanoTime()) > 0) {
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }
}
