package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.reminders.ReminderLadder;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingResource;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static dev.invoiceloyalty.snapstart.Priming.expect;
import static dev.invoiceloyalty.snapstart.PrimingSamples.ABSENT_ID;

/**
 * SnapStart priming of {@code ReminderSweepFunction}: the schedule's input parsed as the handler parses it, the
 * sweep's reads on keys that cannot match (the index query bounded at the epoch, when nothing is due; the GetItem of a
 * cancelled step's re-read and the customers' BatchGetItem on an id that cannot exist), then in memory the ladder's
 * step for a sample 60 days overdue (the step with the most messages), its emails and events, and the group
 * of steps it falls in and that group's transaction as {@link DynamoDbReminderStore#stepTransaction} builds it —
 * built, not run.
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
            var event = Json.tree("{\"time\":\"2026-01-05T08:00:00Z\",\"kind\":\"daily\"}"
                    .getBytes(StandardCharsets.UTF_8));
            expect(ReminderSweepHandler.businessTime(event).equals(Instant.parse("2026-01-05T08:00:00Z")), "the time");
        });
        run.step("due-invoices-read", () -> expect(store.dueInvoices(Instant.EPOCH, null).items().isEmpty(), "none due"));
        run.step("invoice-read", () -> expect(store.invoice(ABSENT_ID) == null, "no invoice"));
        run.step("customers-read", () -> expect(store.customers(List.of(ABSENT_ID)).isEmpty(), "no customer"));

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
            var decided = new DynamoDbReminderStore.Step(updated[0], 1,
                    DynamoDbReminderStore.StepLog.sent(step[0].step(), reminder[0].emailId()), outbox, at, 1);
            var groups = store.groups(List.of(decided));
            expect(groups.size() == 1, "one group");
            TransactWriteItemsRequest request = store.stepTransaction(groups.get(0));
            expect(request.transactItems().size() == 3, "the step's log, invoice and outbox item");
        });
        run.step("result", () -> expect(Json.write(new SweepResult(at, 1, 1, 0, 1).toMap()).contains("\"sent\""),
                "the sweep's answer"));
    }
}
