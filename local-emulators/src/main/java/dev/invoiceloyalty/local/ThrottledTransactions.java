package dev.invoiceloyalty.local;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throttles every {@code TransactWriteItems} of the client it is put on while switched on: the call fails with
 * {@code ProvisionedThroughputExceededException} before it reaches DynamoDB, as the SDK hands it back once its own
 * retries are used up, so nothing of the transaction is written.
 *
 * @see <a href="https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#API_TransactWriteItems_Errors">TransactWriteItems errors</a>
 */
public final class ThrottledTransactions implements ExecutionInterceptor {
    private volatile boolean on;
    private final AtomicInteger throttled = new AtomicInteger();

    public void on() {
        on = true;
    }

    public void off() {
        on = false;
    }

    /** How many calls were throttled. */
    public int throttled() {
        return throttled.get();
    }

    /** Before execution, that is outside the SDK's retry loop: the caller gets the throttling error at once. */
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (on && context.request() instanceof TransactWriteItemsRequest) {
            throttled.incrementAndGet();
            throw ProvisionedThroughputExceededException.builder().statusCode(400)
                    .message("Throughput exceeds the current capacity of your table or index (injected)")
                    .awsErrorDetails(AwsErrorDetails.builder().serviceName("DynamoDb")
                            .errorCode("ProvisionedThroughputExceededException").build())
                    .build();
        }
    }
}
