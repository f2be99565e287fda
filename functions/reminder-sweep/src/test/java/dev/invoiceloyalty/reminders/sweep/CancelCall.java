package dev.invoiceloyalty.reminders.sweep;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Put on the function's DynamoDB client: answers the {@code k}-th {@code TransactWriteItems} as DynamoDB answers a
 * transaction it cancelled because another transaction was writing one of its items, before it is sent (so nothing
 * of it is written): reason {@code code} on the item at {@code itemIndex}, {@code None} on every other one; or, with a
 * null {@code code}, no reasons at all.
 */
final class CancelCall implements ExecutionInterceptor {
    private final int k;
    private final int itemIndex;
    private final String code;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicBoolean fired = new AtomicBoolean();

    CancelCall(int k, int itemIndex, String code) {
        this.k = k;
        this.itemIndex = itemIndex;
        this.code = code;
    }

    boolean fired() {
        return fired.get();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!"TransactWriteItems".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                || seen.incrementAndGet() != k) {
            return;
        }
        fired.set(true);
        // As the SDK builds it from the service's 400 answer: the retry strategy reads its error details.
        var builder = TransactionCanceledException.builder().message("injected: transaction cancelled").statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException")
                        .errorMessage("injected: transaction cancelled").serviceName("DynamoDb").build());
        if (code != null) {
            int items = ((TransactWriteItemsRequest) context.request()).transactItems().size();
            List<CancellationReason> reasons = new ArrayList<>(items);
            for (int i = 0; i < items; i++) {
                reasons.add(CancellationReason.builder().code(i == itemIndex ? code : "None").build());
            }
            builder.cancellationReasons(reasons);
        }
        throw builder.build();
    }
}
