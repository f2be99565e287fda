package dev.invoiceloyalty.local;

import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault injector of the fault-matrix tests. Put on every client of the function (DynamoDB, SQS, EventBridge): numbers the SDK calls across all of them in order,
 * records them as {@code Service:Operation}, and optionally fails call number {@code k} — either before it is sent
 * (the service never sees it) or after the service answered (it happened, but the caller gets an exception), the two
 * ways a function can die around a call. The fault fires once; SDK retries of the same call do not count again.
 */
public final class SdkCalls implements ExecutionInterceptor {
    public enum When { BEFORE, AFTER }

    private static final ExecutionAttribute<Integer> INDEX = new ExecutionAttribute<>("test-sdk-call-index");

    private final int failAt;
    private final When when;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicBoolean fired = new AtomicBoolean();
    private volatile boolean armed;

    private SdkCalls(int failAt, When when) {
        this.failAt = failAt;
        this.when = when;
    }

    /** Records calls, fails none. */
    public static SdkCalls recording() {
        return new SdkCalls(0, When.BEFORE);
    }

    /** Fails the {@code k}-th call (1-based) counted from {@link #arm()}. */
    public static SdkCalls failing(int k, When when) {
        return new SdkCalls(k, when);
    }

    public static final class InjectedFault extends RuntimeException {
        InjectedFault(String message) {
            super(message);
        }
    }

    /** Counting starts here, so the test's own set-up does not use up the fault. */
    public SdkCalls arm() {
        armed = true;
        return this;
    }

    public SdkCalls disarm() {
        armed = false;
        return this;
    }

    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public boolean fired() {
        return fired.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (!armed) {
            return;
        }
        int index = counter.incrementAndGet();
        attributes.putAttribute(INDEX, index);
        calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    private boolean due(ExecutionAttributes attributes, When phase) {
        Integer index = attributes.getAttribute(INDEX);
        return when == phase && index != null && index == failAt && fired.compareAndSet(false, true);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (due(attributes, When.BEFORE)) {
            throw new InjectedFault("injected fault before call #" + failAt);
        }
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (due(attributes, When.AFTER)) {
            throw new InjectedFault("injected fault after call #" + failAt);
        }
        return context.response();
    }
}
