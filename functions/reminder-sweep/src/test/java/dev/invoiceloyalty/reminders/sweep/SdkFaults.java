package dev.invoiceloyalty.reminders.sweep;

import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Put on the function's DynamoDB client: records its SDK calls as {@code Operation} names (one per call, however
 * often the SDK retried it), counts the requests actually sent (retries included), and optionally disturbs the {@code k}-th call of one operation, once:
 * <ul>
 *   <li>{@link #failing}: fails it before it is sent (the service never sees it) or after the service answered (it
 *       happened, but the function gets an exception): the two ways a function dies around a call;</li>
 *   <li>{@link #throttling}: the service did the work, and its answer reaches the SDK as a
 *       {@code ProvisionedThroughputExceededException}, which the SDK retries with the same request (for a
 *       transaction, the same {@code ClientRequestToken});</li>
 *   <li>{@link #withholdingKeys}: a BatchGetItem answers all but its first item as {@code UnprocessedKeys}, DynamoDB's
 *       answer when it throttles part of a batch.</li>
 * </ul>
 */
final class SdkFaults implements ExecutionInterceptor {
    enum When { BEFORE, AFTER }

    private enum Kind { NONE, FAIL, THROTTLE, WITHHOLD_KEYS }

    private static final ExecutionAttribute<Boolean> DOOMED = new ExecutionAttribute<>("reminder-test-doomed-call");
    private static final String THROTTLED = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
            + "ProvisionedThroughputExceededException\",\"message\":\"injected: the request rate is too high\"}";

    private final Kind kind;
    private final String operation;
    private final int failAt;
    private final When when;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicBoolean fired = new AtomicBoolean();

    private SdkFaults(Kind kind, String operation, int failAt, When when) {
        this.kind = kind;
        this.operation = operation;
        this.failAt = failAt;
        this.when = when;
    }

    static SdkFaults recording() {
        return new SdkFaults(Kind.NONE, null, 0, When.BEFORE);
    }

    /** Fails the {@code k}-th (1-based) call of {@code operation}, e.g. {@code TransactWriteItems}, {@code Query}. */
    static SdkFaults failing(String operation, int k, When when) {
        return new SdkFaults(Kind.FAIL, operation, k, when);
    }

    /** Answers the {@code k}-th call of {@code operation} as throttled after the service processed it. */
    static SdkFaults throttling(String operation, int k) {
        return new SdkFaults(Kind.THROTTLE, operation, k, When.AFTER);
    }

    /** Leaves all but the first item of the {@code k}-th BatchGetItem unprocessed. */
    static SdkFaults withholdingKeys(int k) {
        return new SdkFaults(Kind.WITHHOLD_KEYS, "BatchGetItem", k, When.AFTER);
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

    /** Requests of {@code op} that went out to the service, SDK retries included. */
    long sent(String op) {
        synchronized (sent) {
            return sent.stream().filter(op::equals).count();
        }
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

    private boolean due(ExecutionAttributes attributes, Kind k, When phase) {
        return kind == k && when == phase && Boolean.TRUE.equals(attributes.getAttribute(DOOMED))
                && fired.compareAndSet(false, true);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (due(attributes, Kind.FAIL, When.BEFORE)) {
            throw new InjectedFault("injected fault before " + operation + " #" + failAt);
        }
        sent.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    /** The throttled answer: status 400 and the error's body, without the body's CRC32, which no longer matches. */
    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (kind == Kind.THROTTLE && Boolean.TRUE.equals(attributes.getAttribute(DOOMED)) && !fired.get()) {
            return context.httpResponse().toBuilder().statusCode(400).removeHeader("x-amz-crc32").build();
        }
        return context.httpResponse();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                           ExecutionAttributes attributes) {
        if (due(attributes, Kind.THROTTLE, When.AFTER)) {
            return Optional.of(new ByteArrayInputStream(THROTTLED.getBytes(StandardCharsets.UTF_8)));
        }
        return context.responseBody();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (due(attributes, Kind.FAIL, When.AFTER)) {
            throw new InjectedFault("injected fault after " + operation + " #" + failAt);
        }
        if (context.response() instanceof BatchGetItemResponse r && due(attributes, Kind.WITHHOLD_KEYS, When.AFTER)) {
            return withhold(r);
        }
        return context.response();
    }

    /** The answer with only the first item of each table; the others come back as unprocessed keys. */
    private static BatchGetItemResponse withhold(BatchGetItemResponse r) {
        Map<String, List<Map<String, AttributeValue>>> kept = new HashMap<>();
        Map<String, KeysAndAttributes> unprocessed = new HashMap<>(r.unprocessedKeys());
        r.responses().forEach((table, items) -> {
            kept.put(table, items.isEmpty() ? List.of() : List.of(items.get(0)));
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (var item : items.subList(Math.min(1, items.size()), items.size())) {
                keys.add(Map.of("pk", item.get("pk"), "sk", item.get("sk")));
            }
            if (!keys.isEmpty()) {
                unprocessed.put(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            }
        });
        return r.toBuilder().responses(kept).unprocessedKeys(unprocessed).build();
    }
}
