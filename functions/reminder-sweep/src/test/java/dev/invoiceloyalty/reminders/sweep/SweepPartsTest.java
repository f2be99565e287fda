package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep's pure parts, without a backend. */
class SweepPartsTest {
    private static final ProgramConfig CONFIG = ProgramConfig.defaults();
    /** Building a transaction needs no client. */
    private final DynamoDbReminderStore store = new DynamoDbReminderStore(null, "invoices", 0);

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
        assertTrue("2026-12-08T23:00:00Z#inv-2".compareTo(bound) <= 0);
        assertTrue("2026-12-09T23:00:01Z#inv-3".compareTo(bound) > 0);
    }

    @Test
    void GIVEN_a_sent_step_with_four_messages_WHEN_its_transaction_is_built_THEN_one_outbox_item_carries_them_all_for_the_relay() {
        Invoice inv = PrimingSamples.invoice(CONFIG);
        List<OutboxMessage> messages = List.of(OutboxMessage.mail("reminder#" + inv.invoiceId() + "#collections_60", "{}"),
                OutboxMessage.mail("escalation-collections#" + inv.invoiceId(), "{}"),
                OutboxMessage.event("InvoiceEscalated#" + inv.invoiceId(), "InvoiceEscalated", "{}"),
                OutboxMessage.event("ReminderSent#" + inv.invoiceId() + "#collections_60", "ReminderSent", "{}"));

        var request = store.stepTransaction(inv, 4, DynamoDbReminderStore.StepLog.sent("collections_60",
                "reminder#" + inv.invoiceId() + "#collections_60"), messages, "2026-04-06T08:00:00Z");

        List<TransactWriteItem> items = request.transactItems();
        assertEquals(3, items.size(), "log, invoice, one outbox item");
        assertEquals(Keys.reminderSk("collections_60"), items.get(0).put().item().get(Keys.SK).s());
        assertEquals("version = :expected", items.get(1).put().conditionExpression());
        assertEquals("5", items.get(1).put().item().get("version").n());
        var outbox = items.get(2).put();
        assertEquals(Keys.outboxSk(messages.get(0).messageId()), outbox.item().get(Keys.SK).s());
        assertEquals(Keys.invoicePk(inv.invoiceId()), outbox.item().get(Keys.PK).s());
        assertEquals("attribute_not_exists(pk)", outbox.conditionExpression());
        assertEquals(OutboxItems.RELAY_OUTBOX, outbox.item().get(OutboxItems.RELAY).s());
        assertEquals(messages, OutboxItems.messagesOf(outbox.item()));
        assertFalse(outbox.item().containsKey(Keys.GSI2_PK), "no index entry: the stream is the only way out");
    }

    @Test
    void GIVEN_a_skipped_step_WHEN_its_transaction_is_built_THEN_it_holds_no_outbox_item_and_its_own_request_token() {
        Invoice inv = PrimingSamples.invoice(CONFIG);
        String at = "2026-04-06T08:00:00Z";

        var skipped = store.stepTransaction(inv, 4, DynamoDbReminderStore.StepLog.skipped("collections_60", "autopay"),
                List.of(), at);
        var sent = store.stepTransaction(inv, 4, DynamoDbReminderStore.StepLog.sent("collections_60", "e"),
                List.of(OutboxMessage.mail("e", "{}")), at);
        var retried = store.stepTransaction(inv, 4, DynamoDbReminderStore.StepLog.sent("collections_60", "e"),
                List.of(OutboxMessage.mail("e", "{}")), at);

        assertEquals(2, skipped.transactItems().size(), "log and invoice: nothing for the relay");
        assertTrue(skipped.transactItems().get(0).put().item().get("skipped").bool());
        assertEquals("autopay", skipped.transactItems().get(0).put().item().get("reason").s());
        assertNotEquals(skipped.clientRequestToken(), sent.clientRequestToken(), "another decision, another token");
        assertEquals(sent.clientRequestToken(), retried.clientRequestToken(), "a retry of the same write, the same token");
    }

    /** A step of a copy of the sample invoice numbered {@code i}, sent with one message of {@code bodyBytes}. */
    private static DynamoDbReminderStore.Step sample(int i, boolean skipped, int bodyBytes) {
        Invoice inv = SweepHarness.newInvoice("inv-" + i, PrimingSamples.customer(CONFIG), SweepHarness.ISSUED, 30, i + 1);
        String emailId = "reminder#inv-" + i + "#due_today";
        return skipped
                ? new DynamoDbReminderStore.Step(inv, 1, DynamoDbReminderStore.StepLog.skipped("due_today", "autopay"),
                        List.of(), "2026-04-06T08:00:00Z", 1)
                : new DynamoDbReminderStore.Step(inv, 1, DynamoDbReminderStore.StepLog.sent("due_today", emailId),
                        List.of(OutboxMessage.mail(emailId, "x".repeat(bodyBytes))), "2026-04-06T08:00:00Z", 1);
    }

    @Test
    void GIVEN_100_sent_steps_WHEN_grouped_THEN_groups_of_33_steps_hold_at_most_100_items_each() {
        List<DynamoDbReminderStore.Step> steps = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> sample(i, false, 100)).toList();

        var groups = store.groups(steps);

        assertEquals(List.of(33, 33, 33, 1), groups.stream().map(List::size).toList());
        assertEquals(steps, groups.stream().flatMap(List::stream).toList(), "every step once, in order");
        for (var group : groups) {
            var request = store.stepTransaction(group);
            assertTrue(request.transactItems().size() <= DynamoDbReminderStore.MAX_TRANSACTION_ITEMS);
            assertEquals(group.size() * 3, request.transactItems().size(), "a step's three items in its group");
        }
    }

    @Test
    void GIVEN_sent_and_skipped_steps_WHEN_grouped_THEN_a_skipped_step_counts_its_two_items_and_no_step_is_split() {
        // 30 sent (90 items), then skipped steps of 2 items: 5 more fit (100), the 36th goes to the next group.
        List<DynamoDbReminderStore.Step> steps = java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> sample(i, i >= 30, 100)).toList();

        var groups = store.groups(steps);

        assertEquals(List.of(35, 5), groups.stream().map(List::size).toList());
        assertEquals(100, store.stepTransaction(groups.get(0)).transactItems().size());
    }

    @Test
    void GIVEN_steps_with_large_messages_WHEN_grouped_THEN_each_group_stays_under_the_byte_budget() {
        // About 300 KB per step: 12 fit under 3.5 MiB, far fewer than the 33 the item count allows.
        List<DynamoDbReminderStore.Step> steps = java.util.stream.IntStream.range(0, 25)
                .mapToObj(i -> sample(i, false, 300_000)).toList();

        var groups = store.groups(steps);

        assertEquals(List.of(12, 12, 1), groups.stream().map(List::size).toList());
        for (var group : groups) {
            long bytes = store.stepTransaction(group).transactItems().stream().mapToLong(ItemSize::of).sum();
            assertTrue(bytes <= DynamoDbReminderStore.MAX_TRANSACTION_BYTES, bytes + " bytes");
            assertTrue(bytes < 4L * 1024 * 1024, "under DynamoDB's 4 MB");
        }
    }

    @Test
    void GIVEN_an_item_WHEN_its_size_is_estimated_THEN_names_and_values_count_in_utf8_bytes() {
        var item = java.util.Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("é"),
                "n", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("123"),
                "b", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromBool(true));

        assertEquals(2 + 2 + 1 + 4 + 1 + 1, ItemSize.of(item), "pk + é (2 bytes), n + 3 digits (+1), b + 1");
    }

    @Test
    void GIVEN_two_groups_of_the_same_steps_but_another_attempt_WHEN_built_THEN_their_request_tokens_differ() {
        var first = sample(1, false, 10);
        var again = new DynamoDbReminderStore.Step(first.updated(), first.expectedVersion(), first.log(), first.outbox(),
                first.at(), 2);

        assertNotEquals(store.stepTransaction(List.of(first, sample(2, false, 10))).clientRequestToken(),
                store.stepTransaction(List.of(again, sample(2, false, 10))).clientRequestToken());
        assertEquals(store.stepTransaction(List.of(first, sample(2, false, 10))).clientRequestToken(),
                store.stepTransaction(List.of(first, sample(2, false, 10))).clientRequestToken());
    }
}
