package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Once-only sending of a statement, on the mailer's {@code EMAIL#<emailId>} item (shared-model README, pattern 18).
 * SES has no idempotency key for {@code SendEmail}, so the statement id is claimed first:
 * <ol>
 *   <li>claim: put {@code status = SENDING}, a lease token and {@code leaseUntil}, guarded by
 *       {@code attribute_not_exists(pk) OR (status = SENDING AND leaseUntil < :now)} — a second run of the same
 *       schedule time finds the item and sends nothing; a run that died mid-send is taken over after the lease;</li>
 *   <li>send through SES;</li>
 *   <li>mark {@code SENT}, guarded by {@code leaseToken = :token}.</li>
 * </ol>
 * The one window for a duplicate is a crash between SES accepting and step 3 (then a retry after the lease sends
 * again): at-least-once there, never lost. The lease clock is the wall clock (an operational timeout, not a
 * business date).
 */
public final class SentStatementLog {
    /** Statements are replayable for a long time; the record outlives any sensible replay. */
    static final Duration KEEP = Duration.ofDays(400);
    private final DynamoDbClient ddb;
    private final String table;
    private final Duration lease;

    public SentStatementLog(DynamoDbClient ddb, String table, Duration lease) {
        this.ddb = ddb;
        this.table = table;
        this.lease = lease;
    }

    /** The lease token to send under, or null when the statement was sent (or is being sent) already. */
    public String claim(String emailId, Instant now) {
        String token = UUID.randomUUID().toString();
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = record(emailId, "SENDING", now);
        item.put("leaseToken", Attr.s(token));
        item.put("leaseUntil", Attr.n(now.plus(lease).toEpochMilli()));
        try {
            ddb.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR (#status = :sending AND #leaseUntil < :now)")
                    .expressionAttributeNames(Map.of("#status", "status", "#leaseUntil", "leaseUntil"))
                    .expressionAttributeValues(Map.of(":sending", Attr.s("SENDING"), ":now", Attr.n(now.toEpochMilli()))));
            return token;
        } catch (ConditionalCheckFailedException e) {
            return null;
        }
    }

    /**
     * Replaces the claim with the sent record (no lease), guarded by this run's token. A whole-item put like the
     * claim rather than an update: one DynamoDB operation's classes on the cold path instead of two.
     */
    public void markSent(String emailId, String token, String sesMessageId, Instant now) {
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = record(emailId, "SENT", now);
        item.put("sesMessageId", Attr.s(sesMessageId));
        item.put("sentAt", Attr.s(now.toString()));
        ddb.putItem(b -> b.tableName(table).item(item)
                .conditionExpression("leaseToken = :token")
                .expressionAttributeValues(Map.of(":token", Attr.s(token))));
    }

    /** The statement's record without lease; kept {@link #KEEP} from {@code now}. */
    private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> record(String emailId,
                                                                                                 String status,
                                                                                                 Instant now) {
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item =
                new HashMap<>(Attr.key(Keys.emailPk(emailId), Keys.EMAIL_SK));
        item.put("type", Attr.s("EMAIL"));
        item.put("emailId", Attr.s(emailId));
        item.put("status", Attr.s(status));
        item.put(Keys.TTL, Attr.n(now.plus(KEEP).getEpochSecond()));
        return item;
    }

    /** Gives the claim back after a failed send, so the retry need not wait for the lease. */
    public void release(String emailId, String token) {
        try {
            ddb.deleteItem(b -> b.tableName(table).key(Attr.key(Keys.emailPk(emailId), Keys.EMAIL_SK))
                    .conditionExpression("leaseToken = :token AND #status = :sending")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":token", Attr.s(token), ":sending", Attr.s("SENDING"))));
        } catch (ConditionalCheckFailedException e) {
            // someone else took it over after our lease: theirs now
        }
    }
}
