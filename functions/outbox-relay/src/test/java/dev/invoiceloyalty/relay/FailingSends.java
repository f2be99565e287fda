package dev.invoiceloyalty.relay;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fails the first {@code n} calls of one SDK operation before they are sent (the service never sees them), as an
 * outage of one destination does; every other call goes through. A plain runtime exception, so the SDK does not
 * retry it.
 */
final class FailingSends implements ExecutionInterceptor {
    private final String operation;
    private final AtomicInteger left;

    private FailingSends(int n, String operation) {
        this.operation = operation;
        this.left = new AtomicInteger(n);
    }

    static FailingSends first(int n, String operation) {
        return new FailingSends(n, operation);
    }

    static final class InjectedOutage extends RuntimeException {
        InjectedOutage(String message) {
            super(message);
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new InjectedOutage("injected outage of " + operation);
        }
    }

    int left() {
        return left.get();
    }
}
