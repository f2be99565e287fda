package dev.invoiceloyalty.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads a table's DynamoDB stream from its start and hands the records over in the shape Lambda's DynamoDB event
 * source gives a function ({@code {"Records":[{"eventID","eventName","eventVersion","eventSource","awsRegion",
 * "dynamodb":{"ApproximateCreationDateTime","Keys","NewImage","SequenceNumber","SizeBytes","StreamViewType"},
 * "eventSourceARN"}]}}), so a test or the local stack can feed a stream-triggered function exactly as Lambda would.
 * Follows every shard of the stream, closed ones to their end and new ones as they appear; records of one shard
 * come in stream order. Not thread-safe: one reader per stream.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html">Using Lambda with DynamoDB streams</a>
 */
public final class TableStream implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final DynamoDbStreamsClient streams;
    private final boolean ownsClient;
    private final String streamArn;
    private final String region;
    /** Open iterators by shard id; a shard whose iterator ran out is in {@link #finished}. */
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Set<String> finished = new HashSet<>();

    private TableStream(DynamoDbStreamsClient streams, boolean ownsClient, String streamArn, String region) {
        this.streams = streams;
        this.ownsClient = ownsClient;
        this.streamArn = streamArn;
        this.region = region;
    }

    /** The stream of {@code table} on the embedded DynamoDB Local, read from its start (TRIM_HORIZON). */
    public static TableStream open(EmbeddedDynamoDb dynamoDb, String table) {
        DynamoDbStreamsClient client = streamsClient(dynamoDb.endpoint());
        return open(dynamoDb.client(), client, true, table, LocalClients.REGION.id());
    }

    /** The stream of {@code table} through the given clients (which the caller keeps and closes). */
    public static TableStream open(DynamoDbClient ddb, DynamoDbStreamsClient streams, String table, String region) {
        return open(ddb, streams, false, table, region);
    }

    /** A streams client for an emulator's endpoint, configured as every local client is. */
    public static DynamoDbStreamsClient streamsClient(URI endpoint) {
        return LocalClients.configure(DynamoDbStreamsClient.builder(), endpoint).build();
    }

    private static TableStream open(DynamoDbClient ddb, DynamoDbStreamsClient streams, boolean owns, String table,
                                    String region) {
        String arn = ddb.describeTable(b -> b.tableName(table)).table().latestStreamArn();
        if (arn == null) {
            if (owns) {
                streams.close();
            }
            throw new IllegalStateException(table + " has no stream: the template's StreamSpecification makes one");
        }
        return new TableStream(streams, owns, arn, region);
    }

    public String streamArn() {
        return streamArn;
    }

    /** Every record written since the last poll (at most about {@code max}; more stay for the next poll). */
    public List<ObjectNode> poll(int max) {
        discoverShards();
        List<ObjectNode> out = new ArrayList<>();
        for (Map.Entry<String, String> entry : new ArrayList<>(iterators.entrySet())) {
            String shardId = entry.getKey();
            String iterator = entry.getValue();
            while (iterator != null && out.size() < max) {
                var response = getRecords(shardId, iterator, max - out.size());
                if (response == null) {
                    iterator = null;
                    break;
                }
                for (Record r : response.records()) {
                    out.add(toLambda(r));
                }
                String next = response.nextShardIterator();
                if (next == null) {
                    iterator = null;
                    break;
                }
                iterator = next;
                if (response.records().isEmpty()) {
                    break; // caught up on an open shard
                }
            }
            if (iterator == null) {
                iterators.remove(shardId);
                finished.add(shardId);
            } else {
                iterators.put(shardId, iterator);
            }
            if (out.size() >= max) {
                break;
            }
        }
        return out;
    }

    /** What one {@link #deliver} came to. */
    public record Delivered(int records, int retries) {
    }

    /** Lambda's filter for INSERTs whose new image has string attribute {@code name} equal to {@code value}. */
    public static Predicate<JsonNode> insertsWith(String name, String value) {
        return r -> "INSERT".equals(r.path("eventName").asText())
                && value.equals(r.path("dynamodb").path("NewImage").path(name).path("S").asText(null));
    }

    /**
     * Plays Lambda's DynamoDB event source mapping over every record written since the last poll: the records
     * {@code filter} keeps, in batches of at most {@code batchSize} as {@code {"Records":[...]}}, to {@code handler},
     * which answers the sequence number its partial batch response names (null: the batch is done); the batch is then
     * handed again from that record, at most {@code maxRetries} times, after which this throws (Lambda would give the
     * batch to the on-failure destination).
     */
    public Delivered deliver(int batchSize, Predicate<JsonNode> filter, Function<ObjectNode, String> handler,
                             int maxRetries) {
        int records = 0;
        int retries = 0;
        // Lambda filters before it batches: records the filter drops take no room in a batch.
        List<ObjectNode> kept = new ArrayList<>();
        for (List<ObjectNode> polled = poll(1000); !polled.isEmpty(); polled = poll(1000)) {
            polled.stream().filter(filter).forEach(kept::add);
        }
        for (int from = 0; from < kept.size(); from += batchSize) {
            List<ObjectNode> batch = kept.subList(from, Math.min(kept.size(), from + batchSize));
            records += batch.size();
            for (int attempt = 0; ; attempt++) {
                String failed = handler.apply(event(batch));
                if (failed == null) {
                    break;
                }
                if (attempt == maxRetries) {
                    throw new IllegalStateException("the handler still fails from record " + failed + " after "
                            + maxRetries + " retries");
                }
                batch = from(batch, failed);
                retries++;
            }
        }
        return new Delivered(records, retries);
    }

    private static List<ObjectNode> from(List<ObjectNode> batch, String sequenceNumber) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).path("dynamodb").path("SequenceNumber").asText().equals(sequenceNumber)) {
                return batch.subList(i, batch.size());
            }
        }
        throw new IllegalStateException("the handler named record " + sequenceNumber + ", which is not in its batch");
    }

    /** {@link #poll} wrapped as Lambda's event: {@code {"Records":[...]}}. */
    public ObjectNode pollEvent(int max) {
        return event(poll(max));
    }

    /** Lambda's event for {@code records}. */
    public static ObjectNode event(List<ObjectNode> records) {
        ObjectNode event = NODES.objectNode();
        ArrayNode array = event.putArray("Records");
        records.forEach(array::add);
        return event;
    }

    private software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse getRecords(String shardId, String iterator,
                                                                                           int limit) {
        try {
            return streams.getRecords(b -> b.shardIterator(iterator).limit(Math.max(1, Math.min(limit, 1000))));
        } catch (ExpiredIteratorException | TrimmedDataAccessException e) {
            throw new IllegalStateException("stream " + streamArn + " shard " + shardId + " lost its place: "
                    + e.getMessage(), e);
        }
    }

    /** Opens an iterator on every shard not seen before, parents first (a child shard starts where its parent ended). */
    private void discoverShards() {
        StreamDescription description = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription();
        for (Shard shard : description.shards()) {
            String id = shard.shardId();
            if (iterators.containsKey(id) || finished.contains(id)) {
                continue;
            }
            String parent = shard.parentShardId();
            if (parent != null && iterators.containsKey(parent)) {
                continue; // read the parent to its end first
            }
            String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(id)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            iterators.put(id, iterator);
        }
    }

    private ObjectNode toLambda(Record r) {
        ObjectNode record = NODES.objectNode();
        record.put("eventID", r.eventID());
        record.put("eventName", r.eventNameAsString());
        record.put("eventVersion", r.eventVersion() == null ? "1.1" : r.eventVersion());
        record.put("eventSource", "aws:dynamodb");
        record.put("awsRegion", r.awsRegion() == null ? region : r.awsRegion());
        ObjectNode change = record.putObject("dynamodb");
        var d = r.dynamodb();
        if (d.approximateCreationDateTime() != null) {
            change.put("ApproximateCreationDateTime", d.approximateCreationDateTime().getEpochSecond());
        }
        if (d.hasKeys()) {
            change.set("Keys", item(d.keys()));
        }
        if (d.hasNewImage()) {
            change.set("NewImage", item(d.newImage()));
        }
        if (d.hasOldImage()) {
            change.set("OldImage", item(d.oldImage()));
        }
        change.put("SequenceNumber", d.sequenceNumber());
        if (d.sizeBytes() != null) {
            change.put("SizeBytes", d.sizeBytes());
        }
        change.put("StreamViewType", d.streamViewTypeAsString());
        record.put("eventSourceARN", streamArn);
        return record;
    }

    /** An item in DynamoDB's JSON, as Lambda writes images ({@code {"name":{"S":"…"}}}). */
    static ObjectNode item(Map<String, AttributeValue> item) {
        ObjectNode node = NODES.objectNode();
        item.forEach((name, value) -> node.set(name, value(value)));
        return node;
    }

    static JsonNode value(AttributeValue v) {
        ObjectNode node = NODES.objectNode();
        switch (v.type()) {
            case S -> node.put("S", v.s());
            case N -> node.put("N", v.n());
            case B -> node.put("B", base64(v.b()));
            case BOOL -> node.put("BOOL", v.bool());
            case NUL -> node.put("NULL", true);
            case SS -> v.ss().forEach(node.putArray("SS")::add);
            case NS -> v.ns().forEach(node.putArray("NS")::add);
            case BS -> v.bs().forEach(b -> node.withArray("BS").add(base64(b)));
            case L -> v.l().forEach(e -> node.withArray("L").add(value(e)));
            case M -> node.set("M", item(v.m()));
            default -> throw new IllegalArgumentException("unknown attribute type " + v.type());
        }
        if (v.type() == AttributeValue.Type.L && !node.has("L")) {
            node.putArray("L");
        }
        if (v.type() == AttributeValue.Type.M && !node.has("M")) {
            node.putObject("M");
        }
        return node;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }

    /** The JSON text of an event, as a Lambda stream handler reads it. */
    public static byte[] bytes(JsonNode event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            streams.close();
        }
    }
}
