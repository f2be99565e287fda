package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.OutboxBatches;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Escalation;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep's pure parts, without a backend. */
class SweepPartsTest {

    private static PendingMessage message(int i, int bytes) {
        return new PendingMessage("INVOICE#" + i, OutboxMessage.mail("m" + i, "x".repeat(bytes)));
    }

    @Test
    void GIVEN_25_small_messages_WHEN_batched_THEN_batches_hold_at_most_10() {
        List<PendingMessage> messages = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            messages.add(message(i, 100));
        }

        var batches = OutboxBatches.of(messages, m -> m.message().body().length());

        assertEquals(List.of(10, 10, 5), batches.stream().map(List::size).toList());
    }

    @Test
    void GIVEN_large_messages_WHEN_batched_THEN_no_batch_passes_the_request_size_limit() {
        List<PendingMessage> messages = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            messages.add(message(i, 90 * 1024));
        }

        var batches = OutboxBatches.of(messages, m -> m.message().body().length());

        assertEquals(List.of(2, 2, 2), batches.stream().map(List::size).toList());
        batches.forEach(b -> assertTrue(b.stream().mapToInt(m -> m.message().body().length()).sum()
                <= OutboxBatches.MAX_BATCH_BYTES));
    }

    @Test
    void GIVEN_steps_with_and_without_escalation_WHEN_applied_THEN_the_escalation_only_rises() {
        var plain = new ProgramConfig.ReminderStep("overdue_7", 7, "firm", null);
        var ar = new ProgramConfig.ReminderStep("overdue_30", 30, "formal", "AR_TEAM");
        var collections = new ProgramConfig.ReminderStep("collections_60", 60, "final", "COLLECTIONS");

        assertEquals(Escalation.NONE, ReminderStepMessages.escalationAfter(Escalation.NONE, plain));
        assertEquals(Escalation.AR_TEAM, ReminderStepMessages.escalationAfter(Escalation.NONE, ar));
        assertEquals(Escalation.COLLECTIONS, ReminderStepMessages.escalationAfter(Escalation.AR_TEAM, collections));
        assertEquals(Escalation.COLLECTIONS, ReminderStepMessages.escalationAfter(Escalation.COLLECTIONS, ar));
    }

    @Test
    void GIVEN_a_business_time_WHEN_bounding_the_index_THEN_every_key_of_that_second_or_earlier_is_in_and_later_ones_out() {
        String bound = DynamoDbReminderStore.upTo(Instant.parse("2026-12-09T23:00:00.750Z"));

        assertEquals("2026-12-09T23:00:00Z~", bound);
        assertTrue("2026-12-09T23:00:00Z#inv-1".compareTo(bound) <= 0);
        assertTrue("2026-12-09T23:00:00Z#INVOICE#inv-1#mail#reminder#inv-1#pre_due".compareTo(bound) <= 0);
        assertTrue("2026-12-08T23:00:00Z#inv-2".compareTo(bound) <= 0);
        assertTrue("2026-12-09T23:00:01Z#inv-3".compareTo(bound) > 0);
    }
}
