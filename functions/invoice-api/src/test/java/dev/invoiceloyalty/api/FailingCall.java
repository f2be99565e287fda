package dev.invoiceloyalty.api;

import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fails the N-th call of one SDK operation (or the first N, {@link #firstCalls}), either before it reaches the service
 * (nothing happened) or after the service answered (it happened, but the caller never learns) — the two ways a
 * function can die around a call.
 */
final class FailingCall implements ExecutionInterceptor {
    enum When { BEFORE, AFTER }

    private final String operation;
    private final int from;
    private final int to;
    private final When when;
    private final AtomicInteger seen = new AtomicInteger();
    private volatile boolean armed;

    /** Counting starts here, so a test's setup calls do not use up the fault. */
    FailingCall arm() {
        armed = true;
        return this;
    }

    FailingCall(String operation, int n, When when) {
        this(operation, n, n, when);
    }

    private FailingCall(String operation, int from, int to, When when) {
        this.operation = operation;
        this.from = from;
        this.to = to;
        this.when = when;
    }

    /** Fails calls 1 to {@code n} of {@code operation}: a throttling that outlasts a caller's own second try. */
    static FailingCall firstCalls(String operation, int n, When when) {
        return new FailingCall(operation, 1, n, when);
    }

    private boolean fails(int call) {
        return call >= from && call <= to;
    }

    static final class InjectedFault extends RuntimeException {
        InjectedFault(String message) {
            super(message);
        }
    }

    private boolean matches(ExecutionAttributes attributes) {
        return armed && operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (when == When.BEFORE && matches(attributes)) {
            int call = seen.incrementAndGet();
            if (fails(call)) {
                throw new InjectedFault("injected fault before " + operation + " #" + call);
            }
        }
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (when == When.AFTER && matches(attributes)) {
            int call = seen.incrementAndGet();
            if (fails(call)) {
                throw new InjectedFault("injected fault after " + operation + " #" + call);
            }
        }
        return context.response();
    }
}
