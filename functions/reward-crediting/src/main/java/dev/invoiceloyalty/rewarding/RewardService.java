package dev.invoiceloyalty.rewarding;

import dev.invoiceloyalty.adapters.WriteConflict;
import dev.invoiceloyalty.adapters.AlreadyProcessed;
import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbRewardStore;
import dev.invoiceloyalty.adapters.DynamoDbRewardStore.LedgerEntry;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.adapters.OutboxMessage;
import dev.invoiceloyalty.adapters.Versioned;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.mail.Emails;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.rewards.RewardRules;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Applies the reward rules to paid invoices, reverses them on refunds and lost disputes, and expires lots.
 * Every fact is one transaction guarded by a marker item and by the natural keys {@code invoiceId#rule}, so no
 * redelivery, retry or concurrent delivery credits anything twice. The fact's messages (emails, integration events)
 * ride on its marker and {@code OutboxRelayFunction} sends them from the table's stream: nothing is sent here, and a
 * redelivery that finds the marker has nothing to send.
 */
public final class RewardService {
    static final List<String> RULES = List.of(RewardRules.EARLY_PAYMENT, RewardRules.ON_TIME,
            RewardRules.LARGE_INVOICE, RewardRules.STREAK);
    static final String PAID_MARKER = "paid";
    private static final int MAX_ATTEMPTS = 30;
    /** Markers of processed facts are kept a year: longer than any redelivery, and they document the fact. */
    private static final long MARKER_TTL_SECONDS = 400L * 24 * 3600;

    /** A reversal arrived before its invoice's rewards were credited: retry it later (unordered queue). */
    public static final class NotYetCredited extends RuntimeException {
        NotYetCredited(String invoiceId) {
            super("rewards of " + invoiceId + " are not credited yet");
        }
    }

    private final DynamoDbRewardStore rewards;
    private final DynamoDbCustomerStore customers;
    private final Emails emails;
    private final ProgramConfig config;
    private final RewardRules rules;

    public RewardService(DynamoDbRewardStore rewards, DynamoDbCustomerStore customers, Emails emails,
                         ProgramConfig config) {
        this.rewards = rewards;
        this.customers = customers;
        this.emails = emails;
        this.config = config;
        this.rules = new RewardRules(config);
    }

    /** Handles one PaymentsQueue message; returns what it did, for the log. */
    public String handle(PaymentMessage m) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                String outcome = switch (m.type()) {
                    case PaymentMessage.PAYMENT_RECORDED -> credit(m);
                    case PaymentMessage.REFUND_RECORDED, PaymentMessage.DISPUTE_LOST -> reverse(m);
                    default -> throw new IllegalArgumentException("unknown payment message type " + m.type());
                };
                Log.event("reward_fact", "messageId", m.messageId(), "invoiceId", m.invoiceId(),
                        "customerId", m.customerId(), "outcome", outcome, "attempts", attempt);
                return outcome;
            } catch (AlreadyProcessed d) {
                // Its messages were committed with its marker and are the relay's to send: nothing to resend.
                Log.event("reward_duplicate", "messageId", m.messageId(), "invoiceId", m.invoiceId(),
                        "committedMessages", d.messages().size());
                return "duplicate";
            } catch (WriteConflict e) {
                backOff(attempt);
            }
        }
        throw new IllegalStateException("customer " + m.customerId() + " kept changing; the message will be retried");
    }

    // --- crediting -------------------------------------------------------------------------------------------

    private String credit(PaymentMessage m) {
        Versioned<Customer> found = customers.find(m.customerId());
        if (found == null) {
            throw new IllegalStateException("customer " + m.customerId() + " of invoice " + m.invoiceId() + " does not exist");
        }
        Customer c = found.value();
        ZoneId zone = ZoneId.of(m.timeZone() != null ? m.timeZone() : c.timeZone());
        Instant paidAt = Instant.parse(m.paidAt());
        Instant windowStart = paidAt.atZone(zone).minusMonths(config.rewards().tierWindowMonths()).toInstant();
        int[] window = rewards.paidWindow(c.customerId(), windowStart.toString(), paidAt.toString(), m.invoiceId());
        var standing = new RewardRules.Standing(c.loyalty().tier(), c.loyalty().onTimeStreak(), window[0], window[1]);
        var paid = new RewardRules.PaidInvoice(m.invoiceId(), m.currency(), m.total(), LocalDate.parse(m.issueDate()),
                LocalDate.parse(m.dueDate()), LocalDate.ofInstant(paidAt, zone));
        RewardRules.Evaluation eval = rules.evaluate(paid, standing);

        String at = paidAt.toString(); // rewards are earned when the invoice was paid: the provider's time
        long points = eval.points();
        long credit = eval.credit();
        Map<String, Long> credits = new LinkedHashMap<>(c.loyalty().credits());
        credits.merge(m.currency(), credit, Long::sum);
        List<OutboxMessage> messages = new ArrayList<>();
        // The thank-you for the payment rides with the reward facts on the marker below: the webhook announces only
        // PaymentRecorded, and this email is committed, and relayed, exactly when the rewards are.
        var thanks = emails.paymentReceived(m, c);
        messages.add(OutboxMessage.mail(thanks.emailId(), Json.write(thanks)));
        List<LedgerEntry> entries = new ArrayList<>();
        for (var a : eval.awards()) {
            String entryId = m.invoiceId() + "#" + a.rule();
            boolean isCredit = a.credit() > 0;
            String expiresAt = paidAt.atZone(zone).plusMonths(isCredit ? config.rewards().expiry().creditMonths()
                    : config.rewards().expiry().pointsMonths()).toInstant().toString();
            entries.add(new LedgerEntry(entryId, isCredit ? "EARNED_CREDIT" : "EARNED_POINTS", a.rule(), m.invoiceId(),
                    a.points(), a.credit(), isCredit ? m.currency() : null, at, expiresAt, config.version()));
        }
        for (LedgerEntry e : entries) {
            messages.add(OutboxMessage.event("RewardCredited#" + e.entryId(), "RewardCredited",
                    Json.write(Map.of("customerId", c.customerId(), "entry", e))));
        }
        String invoiceNumber = m.invoiceNumber() != null ? m.invoiceNumber() : m.invoiceId();
        if (!eval.awards().isEmpty()) {
            var mail = emails.rewardNotice(c, m.invoiceId(), invoiceNumber, m.currency(), eval.awards(),
                    c.loyalty().points() + points, credits, eval.tier());
            messages.add(OutboxMessage.mail(mail.emailId(), Json.write(mail)));
        }
        if (eval.tierChanged()) {
            var mail = emails.tierChanged(c, c.loyalty().tier(), eval.tier(), m.invoiceId());
            messages.add(OutboxMessage.mail(mail.emailId(), Json.write(mail)));
        }
        if (eval.streakPerk()) {
            var mail = emails.streakPerk(c, eval.onTimeStreak(), config.rewards().streak().points(), m.invoiceId());
            messages.add(OutboxMessage.mail(mail.emailId(), Json.write(mail)));
        }

        var commit = rewards.commit(Keys.rewardGuardPk(m.invoiceId(), PAID_MARKER), messages, Instant.now(), MARKER_TTL_SECONDS);
        for (LedgerEntry e : entries) {
            boolean isCredit = e.amount() > 0;
            String lotSk = isCredit ? Keys.creditLotSk(m.currency(), e.expiresAt(), e.entryId())
                    : Keys.pointsLotSk(e.expiresAt(), e.entryId());
            commit.guard(m.invoiceId(), c.customerId(), e.rule(), e.points(), e.amount(), m.currency(), lotSk)
                    .ledger(c.customerId(), e)
                    .newLot(c.customerId(), lotSk, e.entryId(), isCredit ? e.amount() : e.points(),
                            isCredit ? m.currency() : null, e.expiresAt());
        }
        Map<String, AttributeValue> set = new HashMap<>();
        set.put("tier", Attr.s(eval.tier()));
        set.put("onTimeStreak", Attr.n(eval.onTimeStreak()));
        set.put("paidInvoices", Attr.n(c.loyalty().paidInvoices() + 1L));
        commit.customer(c.customerId(), found.version(), points, credit > 0 ? Map.of(m.currency(), credit) : Map.of(), set)
                .paidRecord(c.customerId(), at, m.invoiceId(), eval.onTime());
        commit.run();
        return "credited " + points + " points, " + credit + " " + m.currency() + (eval.tierChanged() ? ", tier " + eval.tier() : "");
    }

    // --- reversal ----------------------------------------------------------------------------------------------

    private String reverse(PaymentMessage m) {
        List<String> lookup = new ArrayList<>(RULES);
        lookup.add(PAID_MARKER);
        Map<String, DynamoDbRewardStore.Guard> guards = rewards.guards(m.invoiceId(), lookup);
        if (!guards.containsKey(null)) {
            // The paid marker (it has no rule attribute) is missing: PaymentRecorded is still on its way.
            throw new NotYetCredited(m.invoiceId());
        }
        guards.remove(null);
        Versioned<Customer> found = customers.find(m.customerId());
        Customer c = found.value();
        String at = m.occurredAt() != null ? m.occurredAt() : Instant.now().toString();
        var commit = rewards.commit(Keys.rewardGuardPk(m.invoiceId(), "reversal#" + m.messageId()), List.of(),
                Instant.now(), MARKER_TTL_SECONDS);
        long pointsTaken = 0;
        long creditTaken = 0;
        long pointsLeft = c.loyalty().points();
        LotPlan plan = new LotPlan(c.customerId());
        for (var g : guards.values()) {
            // Cumulative: the reward share of everything refunded so far, less what was reversed before, so two
            // half refunds reverse exactly what one full refund would (no rounding residue).
            long wantPoints = share(g.points(), g.reversedBasis() + m.amount(), m.total()) - g.reversedPoints();
            long wantCredit = share(g.credit(), g.reversedBasis() + m.amount(), m.total()) - g.reversedCredit();
            wantPoints = Math.max(0, wantPoints);
            wantCredit = Math.max(0, wantCredit);
            if (wantPoints == 0 && wantCredit == 0) {
                commit.guardReversed(m.invoiceId(), g, 0, 0, m.amount());
                continue;
            }
            String entryBase = m.invoiceId() + "#" + g.rule() + "#reversal#" + m.reference();
            if (wantPoints > 0) {
                // Points go to zero at most: take from this reward's lot, then from the oldest other lots.
                long take = Math.min(wantPoints, pointsLeft);
                long rest = take - plan.take(g.lotSk(), take);
                if (rest > 0) {
                    for (var lot : plan.otherPointsLots()) {
                        if (rest == 0) {
                            break;
                        }
                        rest -= plan.take(lot.sk(), rest);
                    }
                }
                long reversed = take - rest;
                pointsLeft -= reversed;
                pointsTaken += reversed;
                commit.ledger(c.customerId(), new LedgerEntry(entryBase, "REVERSED", g.rule(), m.invoiceId(),
                        -reversed, 0, null, at, null, config.version()));
            }
            long creditReversed = 0;
            if (wantCredit > 0) {
                long fromLot = plan.take(g.lotSk(), wantCredit);
                creditReversed = fromLot;
                creditTaken += fromLot;
                commit.ledger(c.customerId(), new LedgerEntry(entryBase, "REVERSED", g.rule(), m.invoiceId(),
                        0, -fromLot, g.currency(), at, null, config.version()));
                long spent = wantCredit - fromLot;
                if (spent > 0) {
                    // Already spent on an invoice: recorded as a clawback the business may collect.
                    commit.ledger(c.customerId(), new LedgerEntry(entryBase + "#clawback", "CLAWBACK", g.rule(),
                            m.invoiceId(), 0, -spent, g.currency(), at, null, config.version()));
                    creditReversed += spent;
                }
            }
            commit.guardReversed(m.invoiceId(), g, wantPoints, creditReversed, m.amount());
        }
        plan.writeTo(commit);
        String currency = guards.values().stream().map(DynamoDbRewardStore.Guard::currency).filter(x -> x != null)
                .findFirst().orElse(m.currency());
        commit.customer(c.customerId(), found.version(), -pointsTaken,
                creditTaken > 0 ? Map.of(currency, -creditTaken) : Map.of(), Map.of());
        commit.run();
        return "reversed " + pointsTaken + " points, " + creditTaken + " " + currency;
    }

    /**
     * What one reversal takes from each lot. A transaction may change an item once, so takes from the same lot
     * (this reward's own, then the oldest others) add up here and are written once, guarded by the value read.
     */
    private final class LotPlan {
        private final String customerId;
        private final Map<String, long[]> lots = new LinkedHashMap<>(); // sk -> {read, planned}
        private List<DynamoDbRewardStore.Lot> others;

        LotPlan(String customerId) {
            this.customerId = customerId;
        }

        long take(String sk, long amount) {
            if (amount <= 0 || sk == null) {
                return 0;
            }
            long[] state = lots.get(sk);
            if (state == null) {
                var lot = rewards.lot(customerId, sk);
                state = new long[]{lot == null ? 0 : lot.remaining(), lot == null ? 0 : lot.remaining()};
                lots.put(sk, state);
            }
            long take = Math.min(amount, state[1]);
            state[1] -= take;
            return take;
        }

        List<DynamoDbRewardStore.Lot> otherPointsLots() {
            if (others == null) {
                others = rewards.pointsLots(customerId);
            }
            return others;
        }

        void writeTo(DynamoDbRewardStore.Commit commit) {
            lots.forEach((sk, state) -> {
                if (state[1] != state[0]) {
                    commit.lotRemaining(customerId, sk, state[0], state[1]);
                }
            });
        }
    }

    /** The part of {@code original} that {@code basis} of {@code total} stands for, half-even, at most all of it. */
    static long share(long original, long basis, long total) {
        if (original <= 0 || basis <= 0) {
            return 0;
        }
        if (total <= 0 || basis >= total) {
            return original;
        }
        return BigDecimal.valueOf(original).multiply(BigDecimal.valueOf(basis))
                .divide(BigDecimal.valueOf(total), 0, RoundingMode.HALF_EVEN).longValueExact();
    }

    // --- expiry ----------------------------------------------------------------------------------------------

    /** Expires every lot whose time has come by {@code businessTime}; returns how many lots expired. */
    public int expire(Instant businessTime) {
        int expired = 0;
        Map<String, AttributeValue> start = null;
        do {
            var page = rewards.expiring(businessTime.toString(), start);
            for (var item : page.lots()) {
                if (expireLot(item, businessTime)) {
                    expired++;
                }
            }
            start = page.next();
        } while (start != null);
        Log.event("rewards_expired", "businessTime", businessTime.toString(), "lots", expired);
        return expired;
    }

    private boolean expireLot(Map<String, AttributeValue> indexed, Instant businessTime) {
        String customerId = Attr.str(indexed, "customerId");
        String sk = Attr.str(indexed, Keys.SK);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            var lot = rewards.lot(customerId, sk);
            if (lot == null) {
                return false;
            }
            Versioned<Customer> found = customers.find(customerId);
            if (found == null) {
                return false;
            }
            boolean credit = lot.currency() != null;
            var commit = rewards.commit("EXPIRY#" + customerId + "#" + lot.entryId(), List.of(), businessTime, MARKER_TTL_SECONDS)
                    .lotRemaining(customerId, sk, lot.remaining(), 0);
            if (lot.remaining() > 0) {
                commit.ledger(customerId, new LedgerEntry("expired#" + lot.entryId(), "EXPIRED", "expiry", null,
                        credit ? 0 : -lot.remaining(), credit ? -lot.remaining() : 0, lot.currency(),
                        lot.expiresAt(), lot.expiresAt(), config.version()));
                commit.customer(customerId, found.version(), credit ? 0 : -lot.remaining(),
                        credit ? Map.of(lot.currency(), -lot.remaining()) : Map.of(), Map.of());
            }
            try {
                commit.run();
                return lot.remaining() > 0;
            } catch (AlreadyProcessed d) {
                return false;
            } catch (WriteConflict e) {
                backOff(attempt);
            }
        }
        throw new IllegalStateException("lot " + sk + " of " + customerId + " kept changing");
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(2, 10 + Math.min(attempt, 20) * 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
