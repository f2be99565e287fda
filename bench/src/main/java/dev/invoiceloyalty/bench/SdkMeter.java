package dev.invoiceloyalty.bench;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Counts the AWS SDK calls that code running inside {@link #measure} makes on the current thread, by service and
 * operation, and sums the DynamoDB capacity they consume. It asks DynamoDB for {@code ReturnConsumedCapacity=TOTAL}
 * on every call that supports it (the code under test asks for none itself) and adds up what each response reports:
 * read units for GetItem, Query, Scan, BatchGetItem and TransactGetItems, write units for the rest.
 *
 * <p>Capacity is asked for only by a {@link Calls} made with {@code capacity = true}; otherwise requests pass unchanged.
 *
 * <p>Registered as an SDK <em>global</em> interceptor ({@code software/amazon/awssdk/global/handlers/execution.interceptors}
 * in bench.jar), so it sits on every client any handler builds in the bench JVM, including handlers built by their
 * no-arg constructors exactly as Lambda builds them. Outside {@link #measure} (seeding, the emulators' own clients)
 * it does nothing. The functions make their calls on the invoking thread (synchronous clients, no executors), which
 * is what makes a thread-local scope exact.
 */
public final class SdkMeter implements ExecutionInterceptor {
    private static final ThreadLocal<Calls> CURRENT = new ThreadLocal<>();
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("BenchCallStarted");
    private static final Set<String> READS = Set.of("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems");

    /** The SDK builds one instance per client through this constructor. */
    public SdkMeter() {
    }

    /** Runs {@code work} with {@code calls} recording every SDK call it makes on this thread. */
    static <T> T measure(Calls calls, Callable<T> work) throws Exception {
        Calls outer = CURRENT.get();
        CURRENT.set(calls);
        try {
            return work.call();
        } finally {
            CURRENT.set(outer);
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (CURRENT.get() != null) {
            attributes.putAttribute(STARTED, System.nanoTime());
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        Calls calls = CURRENT.get();
        if (calls == null || !calls.capacity) {
            return r;
        }
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (r instanceof GetItemRequest g) {
            return g.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof QueryRequest q) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof ScanRequest s) {
            return s.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof BatchGetItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof TransactGetItemsRequest t) {
            return t.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof PutItemRequest p) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof UpdateItemRequest u) {
            return u.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof DeleteItemRequest d) {
            return d.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof BatchWriteItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof TransactWriteItemsRequest t) {
            return t.toBuilder().returnConsumedCapacity(total).build();
        }
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Calls calls = CURRENT.get();
        if (calls == null) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.call(service, operation, entries(context.request()), elapsed(attributes), false);
        if (calls.capacity && "DynamoDb".equals(service)) {
            List<ConsumedCapacity> consumed = consumed(context.response());
            if (consumed == null) {
                calls.addUnmeasured();
            } else {
                double units = consumed.stream().mapToDouble(c -> c.capacityUnits() == null ? 0 : c.capacityUnits()).sum();
                calls.addUnits(operation, READS.contains(operation), units);
            }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Calls calls = CURRENT.get();
        if (calls != null) {
            calls.call(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                    attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), entries(context.request()),
                    elapsed(attributes), true);
        }
    }

    /** Nanoseconds since the call began (marshalling, signing, the round trip, unmarshalling). */
    private static long elapsed(ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        return started == null ? 0 : System.nanoTime() - started;
    }

    /** Messages or events one call carries: the entries of a batch, else 1. */
    private static int entries(SdkRequest request) {
        if (request instanceof SendMessageBatchRequest b) {
            return b.entries().size();
        }
        if (request instanceof PutEventsRequest e) {
            return e.entries().size();
        }
        return 1;
    }

    /** What a DynamoDB response reports; null when it reports nothing (so the call is counted as unmeasured). */
    private static List<ConsumedCapacity> consumed(SdkResponse response) {
        ConsumedCapacity one = null;
        List<ConsumedCapacity> many = null;
        if (response instanceof GetItemResponse g) {
            one = g.consumedCapacity();
        } else if (response instanceof QueryResponse q) {
            one = q.consumedCapacity();
        } else if (response instanceof ScanResponse s) {
            one = s.consumedCapacity();
        } else if (response instanceof PutItemResponse p) {
            one = p.consumedCapacity();
        } else if (response instanceof UpdateItemResponse u) {
            one = u.consumedCapacity();
        } else if (response instanceof DeleteItemResponse d) {
            one = d.consumedCapacity();
        } else if (response instanceof BatchGetItemResponse b && b.hasConsumedCapacity()) {
            many = b.consumedCapacity();
        } else if (response instanceof BatchWriteItemResponse b && b.hasConsumedCapacity()) {
            many = b.consumedCapacity();
        } else if (response instanceof TransactGetItemsResponse t && t.hasConsumedCapacity()) {
            many = t.consumedCapacity();
        } else if (response instanceof TransactWriteItemsResponse t && t.hasConsumedCapacity()) {
            many = t.consumedCapacity();
        }
        if (one != null) {
            return List.of(one);
        }
        return many;
    }

    /**
     * What one measured piece of work called: per {@code Service.Operation}, calls, entries, failures and the time
     * spent in them.
     */
    static final class Calls {
        private final boolean capacity;
        /** {@code Service.Operation} → {calls, entries, failed, nanoseconds}. */
        private final Map<String, long[]> byOperation = new TreeMap<>();
        /** DynamoDB operation → capacity units its calls consumed (read units for reads, write units for writes). */
        private final Map<String, Double> unitsByOperation = new TreeMap<>();
        private double readUnits;
        private double writeUnits;
        private int unmeasured;

        /**
         * @param capacity ask DynamoDB for the consumed capacity of every call (false: only count the calls, and send
         *                 each request exactly as the code under test made it, as a latency measurement wants)
         */
        Calls(boolean capacity) {
            this.capacity = capacity;
        }

        private synchronized void call(String service, String operation, int entries, long nanos, boolean failed) {
            long[] c = byOperation.computeIfAbsent(service + "." + operation, k -> new long[4]);
            c[0]++;
            c[1] += entries;
            if (failed) {
                c[2]++;
            }
            c[3] += nanos;
        }

        private synchronized void addUnits(String operation, boolean read, double units) {
            unitsByOperation.merge(operation, units, Double::sum);
            if (read) {
                readUnits += units;
            } else {
                writeUnits += units;
            }
        }

        private synchronized void addUnmeasured() {
            unmeasured++;
        }

        /** Calls of one service ({@code DynamoDb}, {@code Sqs}, {@code EventBridge}, {@code SesV2}), failed ones included. */
        synchronized int calls(String service) {
            return byOperation.entrySet().stream().filter(e -> e.getKey().startsWith(service + "."))
                    .mapToInt(e -> (int) e.getValue()[0]).sum();
        }

        /** Messages (SQS) or events (EventBridge) sent: the entries of every call of the service. */
        synchronized int entries(String service) {
            return byOperation.entrySet().stream().filter(e -> e.getKey().startsWith(service + "."))
                    .mapToInt(e -> (int) e.getValue()[1]).sum();
        }

        synchronized int calls(String service, String operation) {
            long[] c = byOperation.get(service + "." + operation);
            return c == null ? 0 : (int) c[0];
        }

        synchronized int failed() {
            return byOperation.values().stream().mapToInt(c -> (int) c[2]).sum();
        }

        /** Operation name → calls, for one service, in name order. */
        synchronized Map<String, Integer> operations(String service) {
            Map<String, Integer> out = new TreeMap<>();
            byOperation.forEach((k, v) -> {
                if (k.startsWith(service + ".")) {
                    out.put(k.substring(service.length() + 1), (int) v[0]);
                }
            });
            return out;
        }

        /** {@code Service.Operation} → milliseconds spent in those calls (the SDK's whole execution of each). */
        synchronized Map<String, Double> millis() {
            Map<String, Double> out = new TreeMap<>();
            byOperation.forEach((k, v) -> out.put(k, v[3] / 1e6));
            return out;
        }

        /** DynamoDB operation → the capacity units its calls consumed, in name order. */
        synchronized Map<String, Double> unitsByOperation() {
            return new TreeMap<>(unitsByOperation);
        }

        /** DynamoDB read capacity units consumed, as DynamoDB reported them. */
        synchronized double readUnits() {
            return readUnits;
        }

        synchronized double writeUnits() {
            return writeUnits;
        }

        /** DynamoDB calls whose response carried no consumed capacity (0 when every call was measured). */
        synchronized int unmeasured() {
            return unmeasured;
        }

        /** Adds another measurement's calls to this one. */
        synchronized void add(Calls other) {
            synchronized (other) {
                other.byOperation.forEach((k, v) -> {
                    long[] c = byOperation.computeIfAbsent(k, x -> new long[4]);
                    for (int i = 0; i < c.length; i++) {
                        c[i] += v[i];
                    }
                });
                other.unitsByOperation.forEach((k, v) -> unitsByOperation.merge(k, v, Double::sum));
                readUnits += other.readUnits;
                writeUnits += other.writeUnits;
                unmeasured += other.unmeasured;
            }
        }
    }
}
