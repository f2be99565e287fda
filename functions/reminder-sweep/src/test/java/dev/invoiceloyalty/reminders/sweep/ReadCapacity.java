package dev.invoiceloyalty.reminders.sweep;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Measures what the function's reads cost on the table: asks DynamoDB for {@code ReturnConsumedCapacity=TOTAL} on every
 * Query and GetItem and sums the capacity units it reports; counts Scans (the sweep must make none) and any other
 * kind of read it does not measure.
 */
final class ReadCapacity implements ExecutionInterceptor {
    private final DoubleAdder units = new DoubleAdder();
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicInteger gets = new AtomicInteger();
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
        if (r instanceof ScanRequest) {
            scans.incrementAndGet();
        }
        if (r instanceof BatchGetItemRequest) {
            unmeasured.incrementAndGet();
        }
        return r;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.response() instanceof QueryResponse q) {
            add(q.consumedCapacity());
        } else if (context.response() instanceof GetItemResponse g) {
            add(g.consumedCapacity());
        }
    }

    private void add(ConsumedCapacity c) {
        if (c == null || c.capacityUnits() == null) {
            unmeasured.incrementAndGet();
            return;
        }
        units.add(c.capacityUnits());
    }

    double units() {
        return units.sum();
    }

    int queries() {
        return queries.get();
    }

    int gets() {
        return gets.get();
    }

    int scans() {
        return scans.get();
    }

    int unmeasured() {
        return unmeasured.get();
    }
}
