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
}
