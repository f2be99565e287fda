package dev.invoiceloyalty.reminders.sweep;

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
 * Put on every client of the function: records its SDK calls as {@code Operation} names and optionally fails the
 * {@code k}-th call of one operation, either before it is sent (the service never sees it) or after the service
 * answered (it happened, but the function gets an exception): the two ways a function dies around a call. The fault
 * fires once.
 */
final class SdkFaults implements ExecutionInterceptor {
    enum When { BEFORE, AFTER }

    private static final ExecutionAttribute<Boolean> DOOMED = new ExecutionAttribute<>("reminder-test-doomed-call");

    private final String operation;
    private final int failAt;
    private final When when;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicBoolean fired = new AtomicBoolean();

    private SdkFaults(String operation, int failAt, When when) {
        this.operation = operation;
        this.failAt = failAt;
        this.when = when;
    }

    static SdkFaults recording() {
        return new SdkFaults(null, 0, When.BEFORE);
    }

    /** Fails the {@code k}-th (1-based) call of {@code operation}, e.g. {@code SendMessageBatch}, {@code DeleteItem}. */
    static SdkFaults failing(String operation, int k, When when) {
        return new SdkFaults(operation, k, when);
    }

    static final class InjectedFault extends RuntimeException {
        InjectedFault(String message) {
            super(message);
        }
    }

    List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    long count(String op) {
        return calls().stream().filter(op::equals).count();
    }

    boolean fired() {
        return fired.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.add(op);
        if (operation != null && operation.equals(op) && seen.incrementAndGet() == failAt) {
            attributes.putAttribute(DOOMED, true);
        }
    }

    private boolean due(ExecutionAttributes attributes, When phase) {
        return when == phase && Boolean.TRUE.equals(attributes.getAttribute(DOOMED)) && fired.compareAndSet(false, true);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (due(attributes, When.BEFORE)) {
            throw new InjectedFault("injected fault before " + operation + " #" + failAt);
        }
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (due(attributes, When.AFTER)) {
            throw new InjectedFault("injected fault after " + operation + " #" + failAt);
        }
        return context.response();
    }
}
