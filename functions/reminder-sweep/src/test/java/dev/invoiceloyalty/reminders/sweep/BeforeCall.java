package dev.invoiceloyalty.reminders.sweep;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Put on the function's DynamoDB client: runs an action of the test (another writer's change, through the test's own
 * client) just before the {@code k}-th call of one operation, once. So a change lands exactly between two calls of the
 * sweep, e.g. a payment between the index page it decided on and the step's transaction.
 */
final class BeforeCall implements ExecutionInterceptor {
    private final String operation;
    private final int k;
    private final AtomicInteger seen = new AtomicInteger();
    private volatile Runnable action = () -> { };

    BeforeCall(String operation, int k) {
        this.operation = operation;
        this.k = k;
    }

    /** What to do; set once the harness (and so the test's client) exists. */
    void run(Runnable action) {
        this.action = action;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME)) && seen.incrementAndGet() == k) {
            action.run();
        }
    }
}
