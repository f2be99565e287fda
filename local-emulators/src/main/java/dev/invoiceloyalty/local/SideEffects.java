package dev.invoiceloyalty.local;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a function can change outside itself on the emulators — the table's items, the depth of each queue,
 * the events on the EventBridge capture, the emails on the SES capture — observed at one moment. Two observations
 * around a call are equal exactly when the call wrote, sent and published nothing: the oracle of the SnapStart
 * priming tests.
 *
 * @param queueDepths logical queue id → messages visible, in flight and delayed
 * @param events      events captured so far, on every bus
 * @param emails      emails captured so far
 */
public record SideEffects(List<Map<String, AttributeValue>> items, Map<String, Integer> queueDepths, int events,
                          int emails) {

    /** @param queues logical id → URL of the queues to watch (may be empty) */
    public static SideEffects observe(LocalBackends backends, String table, Map<String, String> queues) {
        Map<String, Integer> depths = new TreeMap<>();
        queues.forEach((id, url) -> depths.put(id, depth(backends, url)));
        return new SideEffects(TableSnapshot.of(backends.dynamoDb().client(), table), depths,
                backends.eventBridge().events().size(), backends.ses().emails().size());
    }

    private static int depth(LocalBackends backends, String queueUrl) {
        var attributes = backends.sqs().client().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }
}
