package dev.invoiceloyalty.rewarding;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbRewardStore;
import dev.invoiceloyalty.adapters.DynamoDbRewardStore.LedgerEntry;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.mail.MailMessage;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.rewards.RewardRules;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingResource;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.invoiceloyalty.snapstart.Priming.expect;
import static dev.invoiceloyalty.snapstart.PrimingSamples.ABSENT_ID;

/**
 * SnapStart priming of {@code RewardCreditingFunction}: a PaymentsQueue batch parsed as the handler parses it, the
 * reads of crediting, reversal and expiry on keys that cannot exist (GetItem, Query, BatchGetItem), the reward rules
 * on a paid sample, its emails and events, its transaction built with them on its marker (not run), the batch answer.
 * The function sends nothing itself: {@code OutboxRelayFunction} relays the marker's messages from the table's stream.
 */
final class RewardCreditingPriming extends PrimingResource {
    private final DynamoDbRewardStore rewards;
    private final DynamoDbCustomerStore customers;
    private final Emails emails;
    private final ProgramConfig config;

    /** With the function's own DynamoDB client, table, configuration and business name. */
    RewardCreditingPriming(DynamoDbClient ddb, String table, ProgramConfig config, String businessName) {
        super("reward-crediting");
        this.rewards = new DynamoDbRewardStore(ddb, table);
        this.customers = new DynamoDbCustomerStore(ddb, table);
        this.emails = new Emails(config, businessName);
        this.config = config;
    }

    @Override
    protected void prime(Priming.Run run) {
        PaymentMessage[] message = new PaymentMessage[1];
        run.step("sqs-batch", () -> {
            String body = Json.write(PaymentMessage.paymentRecorded(PrimingSamples.paidInvoice(config)));
            String batch = Json.write(Map.of("Records", List.of(Map.of("messageId", "snapstart-priming",
                    "body", body, "eventSource", "aws:sqs"))));
            JsonNode event = Json.tree(batch.getBytes(StandardCharsets.UTF_8));
            for (JsonNode record : event.get("Records")) {
                message[0] = Json.read(record.path("body").asText(), PaymentMessage.class);
            }
            expect(message[0].paidAt() != null, "a PaymentRecorded of a paid invoice");
        });
        run.step("customer-read", () -> expect(customers.find(ABSENT_ID) == null, "no customer"));
        run.step("paid-window-read", () -> {
            int[] window = rewards.paidWindow(ABSENT_ID, PrimingSamples.NOW.minusSeconds(86_400).toString(),
                    PrimingSamples.NOW.toString(), ABSENT_ID);
            expect(window[0] == 0, "no paid invoices");
        });
        run.step("reversal-guards-read", () -> {
            List<String> rules = new ArrayList<>(RewardService.RULES);
            rules.add(RewardService.PAID_MARKER);
            expect(rewards.guards(ABSENT_ID, rules).isEmpty(), "no reward guards");
        });
        // The daily expiry's index query, bounded at the epoch: no lot expires before 1970.
        run.step("expiry-read", () -> expect(rewards.expiring(Instant.EPOCH.toString(), null).lots().isEmpty(), "no lots"));

        Customer customer = PrimingSamples.customer(config);
        RewardRules.Evaluation[] evaluation = new RewardRules.Evaluation[1];
        run.step("reward-rules", () -> {
            PaymentMessage m = message[0];
            ZoneId zone = ZoneId.of(m.timeZone());
            Instant paidAt = Instant.parse(m.paidAt());
            evaluation[0] = new RewardRules(config).evaluate(new RewardRules.PaidInvoice(m.invoiceId(), m.currency(),
                    m.total(), LocalDate.parse(m.issueDate()), LocalDate.parse(m.dueDate()), LocalDate.ofInstant(paidAt, zone)),
                    new RewardRules.Standing(customer.loyalty().tier(), 0, 0, 0));
            expect(!evaluation[0].awards().isEmpty(), "rewards for an early payment");
        });
        List<OutboxMessage> messages = new ArrayList<>();
        List<LedgerEntry> entries = new ArrayList<>();
        run.step("reward-messages", () -> {
            PaymentMessage m = message[0];
            RewardRules.Evaluation eval = evaluation[0];
            for (var a : eval.awards()) {
                entries.add(new LedgerEntry(m.invoiceId() + "#" + a.rule(), a.credit() > 0 ? "EARNED_CREDIT" : "EARNED_POINTS",
                        a.rule(), m.invoiceId(), a.points(), a.credit(), a.credit() > 0 ? m.currency() : null, m.paidAt(),
                        m.paidAt(), config.version()));
            }
            for (LedgerEntry e : entries) {
                messages.add(OutboxMessage.event("RewardCredited#" + e.entryId(), "RewardCredited",
                        Json.write(Map.of("customerId", customer.customerId(), "entry", e))));
            }
            List<MailMessage> mails = List.of(emails.paymentReceived(m, customer),
                    emails.rewardNotice(customer, m.invoiceId(), m.invoiceNumber(), m.currency(), eval.awards(),
                            eval.points(), Map.of(m.currency(), eval.credit()), eval.tier()),
                    emails.tierChanged(customer, customer.loyalty().tier(), eval.tier(), m.invoiceId()),
                    emails.streakPerk(customer, config.rewards().streak().length(), config.rewards().streak().points(),
                            m.invoiceId()));
            for (MailMessage mail : mails) {
                messages.add(OutboxMessage.mail(mail.emailId(), Json.write(mail)));
            }
        });
        run.step("reward-transaction", () -> {
            PaymentMessage m = message[0];
            RewardRules.Evaluation eval = evaluation[0];
            // Built as crediting builds it, the messages encoded on the marker for the relay; run() is what would
            // write, and it is never called here.
            var commit = rewards.commit(Keys.rewardGuardPk(m.invoiceId(), RewardService.PAID_MARKER), messages,
                    PrimingSamples.NOW, 3600);
            for (LedgerEntry e : entries) {
                String lotSk = e.amount() > 0 ? Keys.creditLotSk(m.currency(), e.expiresAt(), e.entryId())
                        : Keys.pointsLotSk(e.expiresAt(), e.entryId());
                commit.guard(m.invoiceId(), customer.customerId(), e.rule(), e.points(), e.amount(), m.currency(), lotSk)
                        .ledger(customer.customerId(), e)
                        .newLot(customer.customerId(), lotSk, e.entryId(), e.amount() > 0 ? e.amount() : e.points(),
                                e.currency(), e.expiresAt());
            }
            commit.customer(customer.customerId(), 1, eval.points(), Map.of(m.currency(), eval.credit()),
                            Map.of("tier", Attr.s(eval.tier()), "onTimeStreak", Attr.n(eval.onTimeStreak())))
                    .paidRecord(customer.customerId(), m.paidAt(), m.invoiceId(), eval.onTime());
            expect(commit.size() == 3 + 3 * entries.size(), "the fact's items");
        });
        run.step("batch-response", () -> expect(Json.write(Map.of("batchItemFailures", List.of()))
                .getBytes(StandardCharsets.UTF_8).length > 0, "an answer"));
    }
}
