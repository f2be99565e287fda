package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.local.LocalBackends;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record that makes a statement go out once: claim under a lease, mark sent under its token, release. */
class SentStatementLogTest {
    private static final String ID = "weekly-finance#2026-11-23";
    private static final Instant NOW = Instant.parse("2026-11-23T06:00:05Z");

    private final LocalBackends backends = LocalBackends.shared();
    private final String table = backends.createTable();
    private final DynamoDbClient ddb = AwsClients.configure(DynamoDbClient.builder(),
            AwsClients.Settings.forEndpoint(backends.dynamoDb().endpoint())).build();
    private final SentStatementLog log = new SentStatementLog(ddb, table, Duration.ofMinutes(5));

    @Test
    void aClaimHoldsTheStatementUntilItsLeaseEnds() {
        String token = log.claim(ID, NOW);
        assertNotNull(token);
        assertNull(log.claim(ID, NOW.plusSeconds(60)), "held by the first run");
        Map<String, AttributeValue> item = item();
        assertEquals("SENDING", item.get("status").s());
        assertEquals(token, item.get("leaseToken").s());
        // A run that died holding it is taken over once the lease has passed.
        String takeover = log.claim(ID, NOW.plus(Duration.ofMinutes(6)));
        assertNotNull(takeover);
        assertNotEquals(token, takeover);
    }

    @Test
    void markingSentKeepsTheSesIdDropsTheLeaseAndEndsEveryLaterClaim() {
        String token = log.claim(ID, NOW);
        log.markSent(ID, token, "ses-0001", NOW.plusSeconds(2));

        Map<String, AttributeValue> item = item();
        assertEquals("SENT", item.get("status").s());
        assertEquals("ses-0001", item.get("sesMessageId").s());
        assertEquals(NOW.plusSeconds(2).toString(), item.get("sentAt").s());
        assertEquals(ID, item.get("emailId").s());
        assertEquals("EMAIL", item.get("type").s());
        assertFalse(item.containsKey("leaseToken"));
        assertFalse(item.containsKey("leaseUntil"));
        long ttl = Long.parseLong(item.get(Keys.TTL).n());
        assertEquals(NOW.plusSeconds(2).plus(SentStatementLog.KEEP).getEpochSecond(), ttl);
        assertNull(log.claim(ID, NOW.plus(Duration.ofDays(30))), "sent: never again, lease or not");
    }

    @Test
    void onlyTheLeaseHolderMarksItSentOrReleasesIt() {
        String first = log.claim(ID, NOW);
        String second = log.claim(ID, NOW.plus(Duration.ofMinutes(6)));
        // The first run woke up after its lease: its mark and its release are refused, the second run's claim stands.
        assertThrows(ConditionalCheckFailedException.class, () -> log.markSent(ID, first, "ses-late", NOW.plusSeconds(400)));
        log.release(ID, first);
        assertEquals(second, item().get("leaseToken").s());
        assertEquals("SENDING", item().get("status").s());
        // The holder's release gives it back at once.
        log.release(ID, second);
        assertTrue(ddb.getItem(b -> b.tableName(table).key(key()).consistentRead(true)).item().isEmpty());
        assertNotNull(log.claim(ID, NOW.plus(Duration.ofMinutes(7))));
    }

    @Test
    void aReleaseAfterTheStatementWasSentLeavesTheRecord() {
        String token = log.claim(ID, NOW);
        log.markSent(ID, token, "ses-0002", NOW.plusSeconds(1));
        log.release(ID, token);
        assertEquals("SENT", item().get("status").s());
    }

    private Map<String, AttributeValue> item() {
        return ddb.getItem(b -> b.tableName(table).key(key()).consistentRead(true)).item();
    }

    private static Map<String, AttributeValue> key() {
        return Attr.key(Keys.emailPk(ID), Keys.EMAIL_SK);
    }
}
