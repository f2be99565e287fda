package dev.invoiceloyalty.rewarding;

import dev.invoiceloyalty.local.SdkCalls;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.payments.PaymentMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * CONVENTIONS "faults are tested on purpose": for every SDK call k that the fault-free handling of a message makes, and
 * for a failure before the call reaches the service and after the service did it, a fresh table gets the message with
 * call k failing, SQS redelivers it while the handler reports it failed, and the end state must equal the fault-free
 * run's: the customer's balances, tier and streak, the ledger, the lots, the guards (the whole table but for the
 * processing times), and what the mailer and the bus subscribers keep after deduplication.
 */
class RewardFaultTest {
    private static final String CUSTOMER = "cus_fault";
    private static final String BERLIN = "Europe/Berlin";
    private static final int MAX_REDELIVERIES = 3;

    /**
     * The 10th invoice, 10,000.00 USD paid on day 7, after 2 on time, 2 late and 5 on time: it earns every reward at
     * once — 2 % credit, on-time points, the large-invoice bonus, the streak perk (6 in a row) — and makes the customer
     * SILVER (8 of 10 on time), so its handling makes every kind of write and sends every kind of message.
     */
    private static final PaymentMessage TENTH = paid(CUSTOMER, "inv_10", "USD", 1_000_000, "2026-11-02", "2026-12-02",
            BERLIN, "2026-11-09T10:00:00Z");

    private static List<Map<String, AttributeValue>> historyItems;

    /**
     * The table after the customer's first nine invoices, made once by the production code and copied into each run's
     * fresh table: the runs differ only in the message under test.
     */
    private static synchronized List<Map<String, AttributeValue>> history() {
        if (historyItems == null) {
            var h = new RewardHarness();
            h.createCustomer(CUSTOMER, BERLIN);
            historyMessages().forEach(h.service::handle);
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
            h.service.handle(TENTH);
            h.spendCredit(CUSTOMER, "CREDIT#USD#2027-11-09T10:00:00Z#inv_10#early-payment", "USD", 15_000);
        }, refund(TENTH, "re_fault", 500_000, "2026-11-20T10:00:00Z"));

        final Consumer<RewardHarness> before;
        final PaymentMessage message;

        Scenario(Consumer<RewardHarness> before, PaymentMessage message) {
            this.before = before;
            this.message = message;
        }
    }

    /** Everything the end state is compared on. */
    record EndState(Customer.Loyalty loyalty, long customerVersion, List<String> ledger, List<String> lots,
                    Set<String> emailIds, Set<String> rewardCredited, List<Map<String, AttributeValue>> table) {
    }

    record Run(SdkCalls calls, List<List<String>> failuresPerDelivery, EndState end) {
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

    private static Run run(Scenario scenario, SdkCalls calls) {
        var h = new RewardHarness(List.of(calls));
        h.restore(history());
        scenario.before.accept(h);
        int mailBefore = h.mailMessages().size();
        int eventsBefore = h.busEvents().size();
        String event = sqsEvent(scenario.message);

        calls.arm();
        List<List<String>> failures = new ArrayList<>();
        failures.add(failures(h.invoke(event)));
        for (int i = 0; i < MAX_REDELIVERIES && !failures.get(failures.size() - 1).isEmpty(); i++) {
            failures.add(failures(h.invoke(event)));
        }
        calls.disarm();

        Set<String> emailIds = new TreeSet<>();
        var mail = h.mailMessages();
        mail.subList(mailBefore, mail.size()).forEach(m -> emailIds.add(m.path("emailId").asText()));
        Set<String> credited = new TreeSet<>();
        h.busEvents().subList(eventsBefore, h.busEvents().size()).forEach(e ->
                credited.add(e.detailType() + " " + RewardHarness.tree(e.detail()).path("entry").path("entryId").asText()));
        var end = new EndState(h.customer(CUSTOMER).loyalty(), h.version(CUSTOMER), h.ledger(CUSTOMER), h.lots(CUSTOMER),
                emailIds, credited, withoutProcessingTimes(h.snapshot()));
        return new Run(calls, failures, end);
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
    void givenNoFaultThePaymentReadsTwiceCommitsOnceAndSendsFourEventsAndFourEmailsInOneCallEach() {
        Run r = baseline(Scenario.PAYMENT_RECORDED);

        assertEquals(List.of(List.of()), r.failuresPerDelivery());
        assertEquals(List.of("DynamoDb:GetItem", "DynamoDb:Query", "DynamoDb:TransactWriteItems",
                "Sqs:SendMessageBatch", "EventBridge:PutEvents"), r.calls().calls());
        assertEquals(new Customer.Loyalty("SILVER", 7 * 13 + 1_000 + 500 + 1_000, Map.of("USD", 20_000L), 6, 10),
                r.end().loyalty());
        assertEquals(Set.of("payment-received#inv_10", "reward-notice#inv_10", "tier-changed#cus_fault#inv_10",
                        "streak-perk#cus_fault#inv_10"),
                r.end().emailIds());
        assertEquals(Set.of("RewardCredited inv_10#early-payment", "RewardCredited inv_10#on-time",
                "RewardCredited inv_10#large-invoice", "RewardCredited inv_10#streak"), r.end().rewardCredited());
    }

    @Test
    void givenNoFaultTheRefundOfASpentCreditReversesHalfAndClawsBackWhatWasSpent() {
        Run r = baseline(Scenario.REFUND_AFTER_CREDIT_SPENT);

        assertEquals(List.of(List.of()), r.failuresPerDelivery());
        // Half of 2,500 points; half of the 20,000 credit: 5,000 still in the lot, 5,000 clawed back.
        assertEquals(new Customer.Loyalty("SILVER", 7 * 13 + 1_250, Map.of("USD", 0L), 6, 10), r.end().loyalty());
        assertTrue(r.end().ledger().contains(
                "CLAWBACK inv_10#early-payment#reversal#re_fault#clawback points=0 amount=-5000 USD"), r.end().ledger().toString());
    }

    @ParameterizedTest(name = "GIVEN {0} WHEN call {1} ({2}) fails {3} it AND SQS redelivers THEN the end state equals the fault-free run")
    @MethodSource("matrix")
    void givenAFaultAtAnySdkCallWhenSqsRedeliversThenTheEndStateEqualsTheFaultFreeRun(
            Scenario scenario, int k, String call, SdkCalls.When when) {
        EndState expected = baseline(scenario).end();

        Run r = run(scenario, SdkCalls.failing(k, when));

        EndState actual = r.end();
        List<List<String>> failures = r.failuresPerDelivery();
        assertAll(
                () -> assertTrue(r.calls().fired(), "the fault at call " + k + " fired; calls " + r.calls().calls()),
                () -> assertEquals(call, r.calls().calls().get(k - 1), "call " + k + " is the same as without a fault"),
                () -> assertFalse(failures.get(0).isEmpty(), "the failed delivery is reported, not swallowed"),
                () -> assertTrue(failures.get(failures.size() - 1).isEmpty(), "converged: " + failures),
                () -> assertEquals(expected.loyalty(), actual.loyalty(), "customer balances, tier, streak"),
                () -> assertEquals(expected.customerVersion(), actual.customerVersion(), "customer version"),
                () -> assertEquals(expected.ledger(), actual.ledger(), "ledger"),
                () -> assertEquals(expected.lots(), actual.lots(), "lots"),
                () -> assertEquals(expected.emailIds(), actual.emailIds(), "MailQueue after dedup"),
                () -> assertEquals(expected.rewardCredited(), actual.rewardCredited(), "RewardCredited after dedup"),
                () -> assertEquals(expected.table(), actual.table(), "the whole table but processing times"));
    }
}
