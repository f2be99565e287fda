package dev.invoiceloyalty.mailer;

import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.mail.MailMessage;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The sent-email record in the single table.
 *
 * <p>Access pattern (the only one): by email id, strongly consistent.
 * <pre>
 *   pk = "EMAIL#" + emailId    sk = "EMAIL"
 *   status      S  SENDING | SENT | CANCELLED
 *   leaseToken  S  random id of the claim (SENDING only)
 *   leaseUntil  N  epoch milliseconds until which the claim is live (SENDING only)
 *   claimedAt   S  ISO-8601 instant of the latest claim
 *   sentAt      S  ISO-8601 instant (SENT only)
 *   messageId   S  SES message id (SENT only)
 *   cancelledAt, reason  S  when and why an onlyIfCollectible email was not sent (CANCELLED only)
 *   template, customerId, invoiceId   S  ids, for support; never addresses or names
 *   ttl         N  epoch seconds: 30 days after the send (or after the claim, for an abandoned claim)
 * </pre>
 *
 * <p>Algorithm, per email: (1) {@link #claim} with a conditional put, (2) the caller sends, (3)
 * {@link #markSent}. If the send fails the caller {@link #release}s the claim. The comment in {@link #claim}
 * explains what happens when the function dies between (2) and (3).
 */
public final class DynamoDbSentEmailLog implements SentEmailLog {
    /** Long enough for one SES call with its SDK retries; short enough to be over before SQS redelivers. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);
    /** Longer than SQS can keep or redeliver a message (14 days at most). */
    public static final Duration RETENTION = Duration.ofDays(30);

    static final String SENDING = "SENDING";
    static final String SENT = "SENT";
    static final String CANCELLED = "CANCELLED";

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Duration lease;

    private DynamoDbSentEmailLog(DynamoDbClient dynamoDb, String tableName, Duration lease) {
        if (tableName == null || tableName.isBlank()) {
            throw new IllegalArgumentException("a table name is required");
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the lease must be positive");
        }
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.lease = lease;
    }

    public static DynamoDbSentEmailLog create(DynamoDbClient dynamoDb, String tableName) {
        return new DynamoDbSentEmailLog(dynamoDb, tableName, DEFAULT_LEASE);
    }

    public static DynamoDbSentEmailLog create(DynamoDbClient dynamoDb, String tableName, Duration lease) {
        return new DynamoDbSentEmailLog(dynamoDb, tableName, lease);
    }

    /** The container's DynamoDB client. */
    public static DynamoDbClient client(AwsClients.Settings settings) {
        return AwsClients.configure(DynamoDbClient.builder(), settings, "DYNAMODB").build();
    }

    /** The table key of an email's record. */
    public static Map<String, AttributeValue> key(String emailId) {
        return Map.of("pk", s("EMAIL#" + emailId), "sk", s("EMAIL"));
    }

    @Override
    public ClaimResult claim(MailMessage message, Instant now) {
        String token = UUID.randomUUID().toString();
        Instant leaseUntil = now.plus(lease);
        Map<String, AttributeValue> item = new HashMap<>(key(message.emailId()));
        item.put("status", s(SENDING));
        item.put("leaseToken", s(token));
        item.put("leaseUntil", n(leaseUntil.toEpochMilli()));
        item.put("claimedAt", s(now.toString()));
        item.put("template", s(message.template()));
        if (message.customerId() != null) {
            item.put("customerId", s(message.customerId()));
        }
        if (message.invoiceId() != null) {
            item.put("invoiceId", s(message.invoiceId()));
        }
        item.put("ttl", n(now.plus(RETENTION).getEpochSecond()));

        // Guard: claim only an email that has no record, or whose SENDING claim has expired. A SENT record is
        // never overwritten, and a live claim (another consumer between its claim and its send) is respected,
        // so two concurrent deliveries of one message cannot both send.
        //
        // Why a lease and not "SENT or nothing": SES SendEmail has no idempotency token, so no write order
        // can make "send" and "record" one atomic step. If this function dies after SES accepted the email
        // and before markSent, the item stays SENDING; once its lease expires, the redelivery of the SQS
        // message claims it again and sends the email again. That is one possible duplicate, never a lost
        // email: a lost invoice or payment reminder costs more than a rare second copy. The lease (2 minutes,
        // shorter than the queue's visibility timeout) keeps concurrent redeliveries from sending while the
        // first attempt may still be in flight.
        // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
        try {
            dynamoDb.putItem(PutItemRequest.builder()
                    .tableName(tableName)
                    .item(item)
                    .conditionExpression("attribute_not_exists(pk) OR (#status = :sending AND #leaseUntil < :now)")
                    .expressionAttributeNames(Map.of("#status", "status", "#leaseUntil", "leaseUntil"))
                    .expressionAttributeValues(Map.of(":sending", s(SENDING), ":now", n(now.toEpochMilli())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return new Claimed(message.emailId(), token, leaseUntil);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> current = e.hasItem() ? e.item() : currentRecord(message.emailId());
            return existing(message.emailId(), current, now);
        }
    }

    private static ClaimResult existing(String emailId, Map<String, AttributeValue> current, Instant now) {
        if (current != null && current.containsKey("status") && SENT.equals(current.get("status").s())) {
            AttributeValue messageId = current.get("messageId");
            return new AlreadySent(emailId, messageId == null ? null : messageId.s());
        }
        if (current != null && current.containsKey("status") && CANCELLED.equals(current.get("status").s())) {
            AttributeValue reason = current.get("reason");
            return new Cancelled(emailId, reason == null ? null : reason.s());
        }
        // A live SENDING claim; or a record that changed between the put and our read (released, or its
        // lease just expired). Either way the answer is "not now": SQS redelivers after the visibility timeout.
        AttributeValue leaseUntil = current == null ? null : current.get("leaseUntil");
        return new HeldByAnother(emailId, leaseUntil == null ? now : Instant.ofEpochMilli(Long.parseLong(leaseUntil.n())));
    }

    private Map<String, AttributeValue> currentRecord(String emailId) {
        var response = dynamoDb.getItem(GetItemRequest.builder()
                .tableName(tableName).key(key(emailId)).consistentRead(true).build());
        return response.hasItem() ? response.item() : null;
    }

    /**
     * Unconditional on purpose: once SES accepted the email, recording it as sent is always right, even if our
     * lease ran out meanwhile and another consumer holds a newer claim (it then finds SENT or overwrites SENT
     * with SENT). The lease attributes go, so a stale {@link #release} can no longer match.
     */
    @Override
    public void markSent(Claimed claim, String messageId, Instant now) {
        dynamoDb.updateItem(UpdateItemRequest.builder()
                .tableName(tableName)
                .key(key(claim.emailId()))
                .updateExpression("SET #status = :sent, #sentAt = :sentAt, #messageId = :messageId, #ttl = :ttl"
                        + " REMOVE #leaseToken, #leaseUntil")
                .expressionAttributeNames(Map.of("#status", "status", "#sentAt", "sentAt", "#messageId", "messageId",
                        "#ttl", "ttl", "#leaseToken", "leaseToken", "#leaseUntil", "leaseUntil"))
                .expressionAttributeValues(Map.of(
                        ":sent", s(SENT),
                        ":sentAt", s(now.toString()),
                        ":messageId", s(messageId == null ? "" : messageId),
                        ":ttl", n(now.plus(RETENTION).getEpochSecond())))
                .build());
    }

    @Override
    public void release(Claimed claim) {
        // Guard: delete only our own claim, still SENDING: never a SENT record, never a newer consumer's claim.
        try {
            dynamoDb.deleteItem(DeleteItemRequest.builder()
                    .tableName(tableName)
                    .key(key(claim.emailId()))
                    .conditionExpression("#leaseToken = :token AND #status = :sending")
                    .expressionAttributeNames(Map.of("#leaseToken", "leaseToken", "#status", "status"))
                    .expressionAttributeValues(Map.of(":token", s(claim.leaseToken()), ":sending", s(SENDING)))
                    .build());
        } catch (ConditionalCheckFailedException notOursAnyMore) {
            // Someone else's claim or a SENT record: leave it.
        }
    }

    /**
     * Guard: our own claim, still {@code SENDING} (as {@link #release}): a cancellation never overwrites a record that
     * another consumer has since claimed or sent. The lease goes, and the record is kept as long as a sent one.
     */
    @Override
    public void markCancelled(Claimed claim, String reason, Instant now) {
        try {
            dynamoDb.updateItem(UpdateItemRequest.builder()
                    .tableName(tableName)
                    .key(key(claim.emailId()))
                    .updateExpression("SET #status = :cancelled, #cancelledAt = :at, #reason = :reason, #ttl = :ttl"
                            + " REMOVE #leaseToken, #leaseUntil")
                    .conditionExpression("#leaseToken = :token AND #status = :sending")
                    .expressionAttributeNames(Map.of("#status", "status", "#cancelledAt", "cancelledAt",
                            "#reason", "reason", "#ttl", "ttl", "#leaseToken", "leaseToken", "#leaseUntil", "leaseUntil"))
                    .expressionAttributeValues(Map.of(
                            ":cancelled", s(CANCELLED),
                            ":at", s(now.toString()),
                            ":reason", s(reason == null ? "" : reason),
                            ":ttl", n(now.plus(RETENTION).getEpochSecond()),
                            ":token", s(claim.leaseToken()),
                            ":sending", s(SENDING)))
                    .build());
        } catch (ConditionalCheckFailedException notOursAnyMore) {
            // Another consumer's claim or record: leave it.
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
