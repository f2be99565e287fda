package dev.invoiceloyalty.rewarding;

import dev.invoiceloyalty.local.ThrottledTransactions;
import dev.invoiceloyalty.local.SdkCalls;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.payments.PaymentMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.invoiceloyalty.rewarding.RewardHarness.failures;
import static dev.invoiceloyalty.rewarding.RewardHarness.paid;
import static dev.invoiceloyalty.rewarding.RewardHarness.refund;
import static dev.invoiceloyalty.rewarding.RewardHarness.sqsEvent;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CONVENTIONS "faults are tested on purpose". The function's work on a message is a few reads and one
 * TransactWriteItems whose marker carries the fact's emails and events; {@code OutboxRelayFunction} sends them from the
 * table's stream (the harness relays after every invocation, as it would). For every SDK call k of the fault-free
 * handling, failed before the call reaches DynamoDB and after DynamoDB did it, a fresh table gets the message, SQS
 * redelivers it while the handler reports it failed, and the end state must equal the fault-free run's: the customer's
 * balances, tier and streak, the ledger, the lots, the guards (the whole table but for the processing times), and
 * what reached MailQueue and the bus, every copy counted: each message exactly once, with no consumer dedup needed.
 */
class RewardFaultTest {
    private static final String CUSTOMER = "cus_fault";
    private static final String BERLIN = "Europe/Berlin";
    private static final int MAX_REDELIVERIES = 3;

    /**
     * The 10th invoice, 10,000.00 USD paid on day 7, after 2 on time, 2 late and 5 on time: it earns every reward at
     * once — 2 % credit, on-time points, the large-invoice bonus, the streak perk (6 in a row) — and makes the customer
     * SILVER (8 of 10 on time), so its handling makes every kind of write and announces every kind of message.
     */
    private static final PaymentMessage TENTH = paid(CUSTOMER, "inv_10", "USD", 1_000_000, "2026-11-02", "2026-12-02",
            BERLIN, "2026-11-09T10:00:00Z");
    /** The emails and events the 10th invoice announces. */
    private static final List<String> TENTH_EMAILS = List.of("payment-received#inv_10", "reward-notice#inv_10",
            "streak-perk#cus_fault#inv_10", "tier-changed#cus_fault#inv_10");
    private static final List<String> TENTH_EVENTS = List.of("RewardCredited inv_10#early-payment",
            "RewardCredited inv_10#large-invoice", "RewardCredited inv_10#on-time", "RewardCredited inv_10#streak");

    private static List<Map<String, AttributeValue>> historyItems;

    /**
     * The table after the customer's first nine invoices, made once by the production code and copied into each run's
     * fresh table: the runs differ only in the message under test.
     */
    private static synchronized List<Map<String, AttributeValue>> history() {
        if (historyItems == null) {
            var h = new RewardHarness();
            h.createCustomer(CUSTOMER, BERLIN);
            historyMessages().forEach(h::handle);
            historyItems = h.snapshot();
        }
        return historyItems;
    }

    private static List<PaymentMessage> historyMessages() {
        List<PaymentMessage> out = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            boolean late = i == 3 || i == 4;
            String paidAt = late ? "2026-0" + (i + 1) + "-05T10:00:00Z" : "2026-0" + i + "-21T10:00:00Z";
            out.add(paid(CUSTOMER, "inv_0" + i, "USD", 13_000, "2026-0" + i + "-01", "2026-0" + i + "-28", BERLIN, paidAt));
        }
        return out;
    }

    /** What happened before the message under test, and the message. */
    enum Scenario {
        /** PaymentRecorded that earns every reward and changes the tier. */
        PAYMENT_RECORDED(h -> { }, TENTH),
        /** RefundRecorded of half the 10th invoice after its credit was spent: reversals, a clawback, lot updates. */
        REFUND_AFTER_CREDIT_SPENT(h -> {
            h.handle(TENTH);
            h.spendCredit(CUSTOMER, "CREDIT#USD#2027-11-09T10:00:00Z#inv_10#early-payment", "USD", 15_000);
        }, refund(TENTH, "re_fault", 500_000, "2026-11-20T10:00:00Z"));

        final Consumer<RewardHarness> before;
        final PaymentMessage message;

        Scenario(Consumer<RewardHarness> before, PaymentMessage message) {
            this.before = before;
            this.message = message;
        }
    }

    /**
     * Everything the end state is compared on. The emails and events are those that reached MailQueue and the bus
     * for the message under test, every copy counted (sorted, so only the order of arrival is ignored).
     */
    record EndState(Customer.Loyalty loyalty, long customerVersion, List<String> ledger, List<String> lots,
                    List<String> emails, List<String> events, List<Map<String, AttributeValue>> table) {
    }

    /** One SQS delivery: the records the handler reported failed, and how many messages the relay sent after it. */
    record Delivery(List<String> failures, int relayed) {
    }

    record Run(SdkCalls calls, List<Delivery> deliveries, EndState end) {
    }

    /** Processing times differ between runs by nature (the clock); everything else must not. */
    private static List<Map<String, AttributeValue>> withoutProcessingTimes(List<Map<String, AttributeValue>> items) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (var item : items) {
            var copy = new HashMap<>(item);
            String type = copy.containsKey("type") ? copy.get("type").s() : "";
            if (type.equals("REWARD_FACT")) {
                copy.remove("processedAt");
                copy.remove("ttl");
            } else if (type.equals("REWARD")) {
                copy.remove("createdAt");
            }
            out.add(copy);
        }
        return out;
    }

    /** A fresh table with the history and the scenario's prelude, its function's client under {@code interceptors}. */
    private static RewardHarness harness(Scenario scenario, ExecutionInterceptor... interceptors) {
        var h = new RewardHarness(List.of(interceptors));
        h.restore(history());
        scenario.before.accept(h);
        return h;
    }

    private static Delivery deliver(RewardHarness h, Scenario scenario) {
        int relayedBefore = h.relayedMessages();
        List<String> failed = failures(h.invoke(sqsEvent(scenario.message)));
        return new Delivery(failed, h.relayedMessages() - relayedBefore);
    }

    /** SQS's behaviour: redeliver while the handler reports the record failed. */
    private static List<Delivery> untilDeleted(RewardHarness h, Scenario scenario) {
        List<Delivery> deliveries = new ArrayList<>();
        deliveries.add(deliver(h, scenario));
        for (int i = 0; i < MAX_REDELIVERIES && !deliveries.get(deliveries.size() - 1).failures().isEmpty(); i++) {
            deliveries.add(deliver(h, scenario));
        }
        return deliveries;
    }

    /** The end state; {@code mailBefore} and {@code eventsBefore} are how many arrived before the message under test. */
    private static EndState endState(RewardHarness h, int mailBefore, int eventsBefore) {
        var mail = h.mailMessages();
        List<String> emails = mail.subList(mailBefore, mail.size()).stream()
                .map(m -> m.path("emailId").asText()).sorted().toList();
        var bus = h.busEvents();
        List<String> events = bus.subList(eventsBefore, bus.size()).stream()
                .map(e -> e.detailType() + " " + RewardHarness.tree(e.detail()).path("entry").path("entryId").asText())
                .sorted().toList();
        return new EndState(h.customer(CUSTOMER).loyalty(), h.version(CUSTOMER), h.ledger(CUSTOMER), h.lots(CUSTOMER),
                emails, events, withoutProcessingTimes(h.snapshot()));
    }

    private static Run run(Scenario scenario, SdkCalls calls) {
        var h = harness(scenario, calls);
        int mailBefore = h.mailMessages().size();
        int eventsBefore = h.busEvents().size();

        calls.arm();
        List<Delivery> deliveries = untilDeleted(h, scenario);
        calls.disarm();

        return new Run(calls, deliveries, endState(h, mailBefore, eventsBefore));
    }

    private static final Map<Scenario, Run> BASELINES = new EnumMap<>(Scenario.class);

    private static synchronized Run baseline(Scenario scenario) {
        return BASELINES.computeIfAbsent(scenario, s -> {
            Run r = run(s, SdkCalls.recording());
            System.out.println("fault-free " + s + ": " + r.calls().calls().size() + " SDK calls " + r.calls().calls());
            return r;
        });
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Scenario s : Scenario.values()) {
            List<String> calls = baseline(s).calls().calls();
            for (int k = 1; k <= calls.size(); k++) {
                for (SdkCalls.When when : SdkCalls.When.values()) {
                    out.add(Arguments.of(s, k, calls.get(k - 1), when));
                }
            }
        }
        System.out.println("reward fault matrix: " + out.size() + " runs (each scenario's calls x {BEFORE, AFTER})");
        return out.stream();
    }

    @Test
    void givenNoFaultThePaymentReadsTwiceCommitsOnceAndTheRelayDeliversFourEmailsAndFourEventsOnce() {
        Run r = baseline(Scenario.PAYMENT_RECORDED);

        assertEquals(List.of(new Delivery(List.of(), 8)), r.deliveries());
        assertEquals(List.of("DynamoDb:GetItem", "DynamoDb:Query", "DynamoDb:TransactWriteItems"), r.calls().calls(),
                "the function sends nothing itself");
        assertEquals(new Customer.Loyalty("SILVER", 7 * 13 + 1_000 + 500 + 1_000, Map.of("USD", 20_000L), 6, 10),
                r.end().loyalty());
        assertEquals(TENTH_EMAILS, r.end().emails());
        assertEquals(TENTH_EVENTS, r.end().events());
    }

    @Test
    void givenNoFaultTheRefundOfASpentCreditReversesHalfAndClawsBackWhatWasSpent() {
        Run r = baseline(Scenario.REFUND_AFTER_CREDIT_SPENT);

        assertEquals(List.of(new Delivery(List.of(), 0)), r.deliveries(), "a reversal announces nothing");
        // Half of 2,500 points; half of the 20,000 credit: 5,000 still in the lot, 5,000 clawed back.
        assertEquals(new Customer.Loyalty("SILVER", 7 * 13 + 1_250, Map.of("USD", 0L), 6, 10), r.end().loyalty());
        assertTrue(r.end().ledger().contains(
                "CLAWBACK inv_10#early-payment#reversal#re_fault#clawback points=0 amount=-5000 USD"), r.end().ledger().toString());
    }

    @Test
    void givenTheFunctionDiesRightAfterTheTransactionCommitsWhenSqsRedeliversThenItIsADuplicateAndEachMessageIsRelayedOnce() {
        EndState expected = baseline(Scenario.PAYMENT_RECORDED).end();

        // Call 3 is the TransactWriteItems: DynamoDB commits it, then the function fails before it can answer.
        Run r = run(Scenario.PAYMENT_RECORDED, SdkCalls.failing(3, SdkCalls.When.AFTER));

        assertAll(
                () -> assertEquals(List.of("DynamoDb:GetItem", "DynamoDb:Query", "DynamoDb:TransactWriteItems",
                        "DynamoDb:GetItem", "DynamoDb:Query", "DynamoDb:TransactWriteItems"), r.calls().calls()),
                () -> assertEquals(List.of(new Delivery(List.of("sqs-1"), 8), new Delivery(List.of(), 0)), r.deliveries(),
                        "the relay sent the committed messages although the function died; the redelivery sends nothing"),
                () -> assertEquals(TENTH_EMAILS, r.end().emails(), "each email once, not re-sent"),
                () -> assertEquals(TENTH_EVENTS, r.end().events(), "each event once"),
                () -> assertEquals(expected, r.end(), "the same end state as without the fault"));
    }

    @Test
    void givenTransactWriteItemsIsThrottledWhenThePaymentArrivesThenNothingIsWrittenOrRelayedAndTheRedeliverySucceedsOnce() {
        EndState expected = baseline(Scenario.PAYMENT_RECORDED).end();
        var throttle = new ThrottledTransactions();
        var h = harness(Scenario.PAYMENT_RECORDED, throttle);
        int mailBefore = h.mailMessages().size();
        int eventsBefore = h.busEvents().size();
        var before = h.snapshot();

        throttle.on();
        var throttled = deliver(h, Scenario.PAYMENT_RECORDED);
        throttle.off();
        var afterThrottle = h.snapshot();
        int mailAfterThrottle = h.mailMessages().size();
        int eventsAfterThrottle = h.busEvents().size();
        var redelivery = deliver(h, Scenario.PAYMENT_RECORDED);

        EndState end = endState(h, mailBefore, eventsBefore);
        assertAll(
                () -> assertEquals(1, throttle.throttled(), "the one transaction was refused"),
                () -> assertEquals(new Delivery(List.of("sqs-1"), 0), throttled, "reported failed, so SQS redelivers it"),
                () -> assertEquals(before, afterThrottle, "nothing written"),
                () -> assertEquals(mailBefore, mailAfterThrottle, "nothing relayed to MailQueue"),
                () -> assertEquals(eventsBefore, eventsAfterThrottle, "nothing relayed to the bus"),
                () -> assertEquals(new Delivery(List.of(), 8), redelivery, "the redelivery credits the invoice"),
                () -> assertEquals(TENTH_EMAILS, end.emails(), "each email once"),
                () -> assertEquals(TENTH_EVENTS, end.events(), "each event once"),
                () -> assertEquals(expected, end));
    }

    @ParameterizedTest(name = "GIVEN {0} WHEN call {1} ({2}) fails {3} it AND SQS redelivers THEN the end state equals the fault-free run")
    @MethodSource("matrix")
    void givenAFaultAtAnySdkCallWhenSqsRedeliversThenTheEndStateEqualsTheFaultFreeRun(
            Scenario scenario, int k, String call, SdkCalls.When when) {
        EndState expected = baseline(scenario).end();

        Run r = run(scenario, SdkCalls.failing(k, when));

        EndState actual = r.end();
        List<Delivery> deliveries = r.deliveries();
        assertAll(
                () -> assertTrue(r.calls().fired(), "the fault at call " + k + " fired; calls " + r.calls().calls()),
                () -> assertEquals(call, r.calls().calls().get(k - 1), "call " + k + " is the same as without a fault"),
                () -> assertFalse(deliveries.get(0).failures().isEmpty(), "the failed delivery is reported, not swallowed"),
                () -> assertTrue(deliveries.get(deliveries.size() - 1).failures().isEmpty(), "converged: " + deliveries),
                () -> assertEquals(expected.loyalty(), actual.loyalty(), "customer balances, tier, streak"),
                () -> assertEquals(expected.customerVersion(), actual.customerVersion(), "customer version"),
                () -> assertEquals(expected.ledger(), actual.ledger(), "ledger"),
                () -> assertEquals(expected.lots(), actual.lots(), "lots"),
                () -> assertEquals(expected.emails(), actual.emails(), "MailQueue, every copy"),
                () -> assertEquals(expected.events(), actual.events(), "RewardCredited, every copy"),
                () -> assertEquals(expected.table(), actual.table(), "the whole table but processing times"));
    }
}
