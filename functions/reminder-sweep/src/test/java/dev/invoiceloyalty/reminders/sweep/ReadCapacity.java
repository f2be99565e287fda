package dev.invoiceloyalty.reminders.sweep;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Measures what the function's reads cost on the table: asks DynamoDB for {@code ReturnConsumedCapacity=TOTAL} on every
 * Query, GetItem and BatchGetItem and sums the capacity units it reports; counts Scans (the sweep must make none) and
 * any read it does not measure (a read kind not listed here, an answer without capacity).
 */
final class ReadCapacity implements ExecutionInterceptor {
    private final DoubleAdder units = new DoubleAdder();
    private final Map<String, DoubleAdder> unitsByCall = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicInteger gets = new AtomicInteger();
    private final AtomicInteger batchGets = new AtomicInteger();
    private final AtomicInteger scans = new AtomicInteger();
    private final AtomicInteger unmeasured = new AtomicInteger();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        if (r instanceof QueryRequest q) {
            queries.incrementAndGet();
            return q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (r instanceof GetItemRequest g) {
            gets.incrementAndGet();
            return g.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (r instanceof BatchGetItemRequest b) {
            batchGets.incrementAndGet();
            return b.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
        }
        if (r instanceof ScanRequest) {
            scans.incrementAndGet();
        }
        if (r instanceof TransactGetItemsRequest) {
            unmeasured.incrementAndGet();
        }
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.response() instanceof QueryResponse q) {
            add("Query", q.consumedCapacity());
        } else if (context.response() instanceof GetItemResponse g) {
            add("GetItem", g.consumedCapacity());
        } else if (context.response() instanceof BatchGetItemResponse b) {
            List<ConsumedCapacity> perTable = b.consumedCapacity();
            if (perTable.isEmpty()) {
                unmeasured.incrementAndGet();
            }
            perTable.forEach(c -> add("BatchGetItem", c));
        }
    }

    private void add(String call, ConsumedCapacity c) {
        if (c == null || c.capacityUnits() == null) {
            unmeasured.incrementAndGet();
            return;
        }
        units.add(c.capacityUnits());
        unitsByCall.computeIfAbsent(call, k -> new DoubleAdder()).add(c.capacityUnits());
    }

    double units() {
        return units.sum();
    }

    /** Units by operation ({@code Query}, {@code GetItem}, {@code BatchGetItem}), for the printed figures. */
    Map<String, Double> unitsByCall() {
        Map<String, Double> out = new TreeMap<>();
        unitsByCall.forEach((call, sum) -> out.put(call, sum.sum()));
        return out;
    }

    int queries() {
        return queries.get();
    }

    int gets() {
        return gets.get();
    }

    int batchGets() {
        return batchGets.get();
    }

    int scans() {
        return scans.get();
    }

    int unmeasured() {
        return unmeasured.get();
    }
}
