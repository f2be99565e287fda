package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxItems;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.SqsEventBridgeOutboxSender;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.reminders.ReminderLadder;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingResource;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.invoiceloyalty.snapstart.Priming.expect;
import static dev.invoiceloyalty.snapstart.PrimingSamples.ABSENT_ID;

/**
 * SnapStart priming of {@code ReminderSweepFunction}: the schedule's input parsed as the handler parses it, the
 * sweep's two index queries bounded at the epoch (nothing is due or pending before 1970) and its two GetItems on
 * ids that cannot exist, then in memory the ladder's step for a sample 60 days overdue (the step with the most
 * messages), its emails and events, its transaction and its batch sends built — none of them run.
 */
final class ReminderSweepPriming extends PrimingResource {
    private final ReminderSweep sweep;

    ReminderSweepPriming(ReminderSweep sweep) {
        super("reminder-sweep");
        this.sweep = sweep;
    }

    @Override
    protected void prime(Priming.Run run) {
        DynamoDbReminderStore store = sweep.store();
        run.step("schedule-event", () -> {
            var event = Json.mapper().readTree("{\"time\":\"2026-01-05T08:00:00Z\",\"kind\":\"daily\"}"
                    .getBytes(StandardCharsets.UTF_8));
            expect(ReminderSweepHandler.businessTime(event).equals(Instant.parse("2026-01-05T08:00:00Z")), "the time");
        });
        run.step("outbox-read", () -> expect(store.pendingOutbox(Instant.EPOCH, null).items().isEmpty(), "no messages"));
        run.step("due-invoices-read", () -> expect(store.dueInvoices(Instant.EPOCH, null).items().isEmpty(), "none due"));
        run.step("invoice-read", () -> expect(store.invoice(ABSENT_ID) == null, "no invoice"));
        run.step("customer-read", () -> expect(sweep.customers().find(ABSENT_ID) == null, "no customer"));

        ProgramConfig config = ProgramConfig.defaults();
        Invoice[] updated = new Invoice[1];
        Customer[] customer = new Customer[1];
        ProgramConfig.ReminderStep[] step = new ProgramConfig.ReminderStep[1];
        LocalDate[] today = new LocalDate[1];
        String at = "2026-04-06T08:00:00Z";
        run.step("ladder", () -> {
            Invoice inv = PrimingSamples.invoice(config);
            customer[0] = PrimingSamples.customer(config);
            today[0] = ReminderLadder.localDate(inv, Instant.parse(at));
            step[0] = sweep.ladder().dueStep(inv, today[0]);
            expect(step[0] != null, "a step due 60 days after the due date");
            List<Invoice.ReminderRecord> reminders = new ArrayList<>(inv.reminders());
            reminders.add(new Invoice.ReminderRecord(step[0].step(), at));
            Escalation escalation = ReminderStepMessages.escalationAfter(inv.escalation(), step[0]);
            updated[0] = inv.toBuilder().reminders(reminders).escalation(escalation).updatedAt(at).build();
        });
        List<OutboxMessage> outbox = new ArrayList<>();
        MailMessage[] reminder = new MailMessage[1];
        run.step("step-messages", () -> {
            reminder[0] = sweep.messages().reminder(updated[0], customer[0], step[0], today[0]);
            outbox.addAll(sweep.messages().of(updated[0], customer[0], step[0], today[0], at, reminder[0]));
            expect(outbox.size() >= 2, "the step's email and event");
        });
        run.step("step-transaction", () -> {
            TransactWriteItemsRequest request = stepTransaction(store.table(), updated[0], step[0].step(),
                    reminder[0].emailId(), outbox, at);
            expect(request.transactItems().size() == 2 + outbox.size(), "the step's items");
        });
        run.step("send-requests", () -> {
            List<SendMessageBatchRequestEntry> mail = new ArrayList<>();
            List<PutEventsRequestEntry> events = new ArrayList<>();
            for (OutboxMessage m : outbox) {
                if (m.kind() == OutboxMessage.Kind.EVENT) {
                    events.add(PutEventsRequestEntry.builder().source(SqsEventBridgeOutboxSender.SOURCE)
                            .detailType(m.detailType()).detail(m.body()).build());
                } else {
                    mail.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(mail.size()))
                            .messageBody(m.body()).build());
                }
            }
            SendMessageBatchRequest.builder().entries(mail).build();
            PutEventsRequest.builder().entries(events).build();
            expect(!mail.isEmpty() && !events.isEmpty(), "emails and events to send");
        });
        run.step("result", () -> expect(Json.write(new SweepResult(at, 1, 1, 0, 1, 0).toMap()).contains("\"sent\""),
                "the sweep's answer"));
    }

    /** The shape of {@link DynamoDbReminderStore#recordStep}'s transaction: step log, invoice, outbox. */
    private static TransactWriteItemsRequest stepTransaction(String table, Invoice updated, String step, String emailId,
                                                             List<OutboxMessage> outbox, String at) {
        String pk = Keys.invoicePk(updated.invoiceId());
        List<TransactWriteItem> writes = new ArrayList<>();
        Map<String, AttributeValue> logItem = new HashMap<>(Attr.key(pk, Keys.reminderSk(step)));
        logItem.put("emailId", Attr.s(emailId));
        logItem.put("skipped", Attr.bool(false));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(logItem)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        Map<String, AttributeValue> invoiceItem = DynamoDbInvoiceStore.encode(updated);
        invoiceItem.put("version", Attr.n(2));
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(invoiceItem)
                .conditionExpression("version = :expected")
                .expressionAttributeValues(Map.of(":expected", Attr.n(1))).build()).build());
        for (OutboxMessage m : outbox) {
            writes.add(OutboxItems.put(table, pk, m, at));
        }
        return TransactWriteItemsRequest.builder().transactItems(writes).clientRequestToken("snapstart-priming").build();
    }
}
