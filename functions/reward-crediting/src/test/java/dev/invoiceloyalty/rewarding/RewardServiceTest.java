package dev.invoiceloyalty.rewarding;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.local.CapturedEvent;
import dev.invoiceloyalty.payments.PaymentMessage;
import dev.invoiceloyalty.rewards.RewardRules;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.invoiceloyalty.rewarding.RewardHarness.disputeLost;
import static dev.invoiceloyalty.rewarding.RewardHarness.num;
import static dev.invoiceloyalty.rewarding.RewardHarness.paid;
import static dev.invoiceloyalty.rewarding.RewardHarness.refund;
import static dev.invoiceloyalty.rewarding.RewardHarness.str;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RewardService} on DynamoDB Local, ElasticMQ and the EventBridge capture (SPEC §6): what a paid invoice
 * writes (ledger, lots, natural-key guards, cached balances), what it announces (thank-you, reward notice, tier change,
 * streak perk, {@code RewardCredited}: committed on the fact's marker and relayed from the table's stream), and that
 * redelivery, concurrency, reversal and expiry keep the ledger and the balances true.
 */
class RewardServiceTest {
    static final String ADA = "cus_ada";
    static final String BERLIN = "Europe/Berlin";
    static final String ISSUE = "2026-11-22";
    static final String DUE = "2026-12-22";
    /** 13:00 in Berlin on 2026-11-29: day 7 after the issue date. */
    static final String DAY_7 = "2026-11-29T12:00:00Z";
    /** Every lot of an invoice paid at {@link #DAY_7}: 12 months later in Berlin. */
    static final String DAY_7_EXPIRY = "2027-11-29T12:00:00Z";
    static final String ON_TIME_LOT = "POINTS#" + DAY_7_EXPIRY + "#inv_1#on-time";
    static final String CREDIT_LOT = "CREDIT#USD#" + DAY_7_EXPIRY + "#inv_1#early-payment";

    final RewardHarness h = new RewardHarness();

    /** 130.00 USD paid on day 7 in Berlin: 2 % credit (260) and 13 on-time points at BRONZE. */
    static PaymentMessage day7(String customerId, String invoiceId) {
        return paid(customerId, invoiceId, "USD", 13_000, ISSUE, DUE, BERLIN, DAY_7);
    }

    static PaymentMessage day7() {
        return day7(ADA, "inv_1");
    }

    @Nested
    class Crediting {
        @Test
        void givenAnInvoicePaidOnDay7WhenHandledThenTheCreditAndPointsAreLedgeredLottedGuardedAndCached() {
            h.createCustomer(ADA, BERLIN);

            String outcome = h.handle(day7());

            assertEquals("credited 13 points, 260 USD", outcome);
            assertEquals(List.of("EARNED_CREDIT inv_1#early-payment points=0 amount=260 USD",
                    "EARNED_POINTS inv_1#on-time points=13 amount=0"), h.ledger(ADA));
            assertEquals(List.of(ON_TIME_LOT + " remaining=13/13 expiring", CREDIT_LOT + " remaining=260/260 expiring"),
                    h.lots(ADA));
            var entry = h.customerItems(ADA, Keys.ledgerSk(DAY_7, "inv_1#on-time")).get(0);
            assertAll("the ledger entry records when, until when and under which configuration",
                    () -> assertEquals(DAY_7, str(entry, "createdAt")),
                    () -> assertEquals(DAY_7_EXPIRY, str(entry, "expiresAt")),
                    () -> assertEquals(RewardRules.ON_TIME, str(entry, "rule")),
                    () -> assertEquals("inv_1", str(entry, "invoiceId")),
                    () -> assertEquals(RewardHarness.CONFIG.version(), str(entry, "configVersion")));
            var early = h.guard("inv_1", RewardRules.EARLY_PAYMENT);
            var onTime = h.guard("inv_1", RewardRules.ON_TIME);
            assertAll("one guard per credited rule",
                    () -> assertEquals(260, num(early, "credit")),
                    () -> assertEquals(CREDIT_LOT, str(early, "lotSk")),
                    () -> assertEquals(13, num(onTime, "points")),
                    () -> assertEquals(ON_TIME_LOT, str(onTime, "lotSk")),
                    () -> assertNull(h.guard("inv_1", RewardRules.LARGE_INVOICE)),
                    () -> assertNull(h.guard("inv_1", RewardRules.STREAK)),
                    () -> assertNotNull(h.guard("inv_1", RewardService.PAID_MARKER), "the fact's marker"));
            Customer.Loyalty loyalty = h.customer(ADA).loyalty();
            assertEquals(new Customer.Loyalty("BRONZE", 13, Map.of("USD", 260L), 1, 1), loyalty);
            var paidRecord = h.customerItems(ADA, Keys.PAID_RECORD_PREFIX);
            assertEquals(1, paidRecord.size());
            assertTrue(paidRecord.get(0).get("onTime").bool());
        }

        @Test
        void givenAnInvoicePaidOnDay7WhenHandledThenTheRewardNoticeIsQueuedAndEachEntryIsAnnouncedOnTheBus() {
            h.createCustomer(ADA, BERLIN);

            h.handle(day7());

            List<JsonNode> mail = h.mailMessages();
            assertEquals(2, mail.size(), "the thank-you and one reward notice, no tier or streak email: " + mail);
            JsonNode thanks = mail.get(0);
            assertAll(() -> assertEquals("payment-received#inv_1", thanks.path("emailId").asText()),
                    () -> assertEquals("payment-received", thanks.path("template").asText()),
                    () -> assertEquals("ada@example.com", thanks.path("to").path(0).asText()),
                    () -> assertEquals("INV-inv_1", thanks.path("model").path("invoiceNumber").asText()),
                    () -> assertEquals("130.00", thanks.path("model").path("amountPaid").asText()),
                    () -> assertTrue(thanks.path("model").path("paidOnTime").asBoolean()));
            JsonNode notice = mail.get(1);
            assertAll(() -> assertEquals("reward-notice#inv_1", notice.path("emailId").asText()),
                    () -> assertEquals("reward-notice", notice.path("template").asText()),
                    () -> assertEquals("ada@example.com", notice.path("to").path(0).asText()),
                    () -> assertEquals(ADA, notice.path("customerId").asText()),
                    () -> assertEquals(2, notice.path("model").path("awards").size()),
                    () -> assertEquals("13", notice.path("model").path("pointsBalance").asText()),
                    () -> assertEquals("BRONZE", notice.path("model").path("tier").asText()));
            List<CapturedEvent> events = h.busEvents();
            assertEquals(List.of("inv_1#early-payment", "inv_1#on-time"), h.rewardCreditedEntryIds());
            for (CapturedEvent e : events) {
                JsonNode detail = RewardHarness.tree(e.detail());
                assertEquals("invoice-loyalty", e.source());
                assertEquals(ADA, detail.path("customerId").asText());
            }
            assertEquals(260, RewardHarness.tree(events.get(0).detail()).path("entry").path("amount").asLong());
        }

        @Test
        void givenPaidAt2330UtcOnDay7WhenTheCustomerIsInBerlinThenItIsAlreadyDay8AndTheCreditIsOnePercent() {
            h.createCustomer(ADA, BERLIN);
            h.createCustomer("cus_utc", "UTC");
            h.createCustomer("cus_berlin_default", BERLIN);
            String lateEvening = "2026-11-29T23:30:00Z";

            h.handle(paid(ADA, "inv_berlin", "USD", 13_000, ISSUE, DUE, BERLIN, lateEvening));
            h.handle(paid("cus_utc", "inv_utc", "USD", 13_000, ISSUE, DUE, "UTC", lateEvening));
            // No time zone on the message: the customer's own.
            h.handle(paid("cus_berlin_default", "inv_default", "USD", 13_000, ISSUE, DUE, null, lateEvening));

            assertEquals(130, num(h.guard("inv_berlin", RewardRules.EARLY_PAYMENT), "credit"));
            assertEquals(260, num(h.guard("inv_utc", RewardRules.EARLY_PAYMENT), "credit"));
            assertEquals(130, num(h.guard("inv_default", RewardRules.EARLY_PAYMENT), "credit"));
            assertEquals(Map.of("USD", 130L), h.customer(ADA).loyalty().credits());
            assertEquals(Map.of("USD", 260L), h.customer("cus_utc").loyalty().credits());
        }

        @Test
        void givenPaidOnDay10InBerlinThenOnePercentAndOnDay11ThenNoCredit() {
            h.createCustomer(ADA, BERLIN);

            h.handle(paid(ADA, "inv_d10", "USD", 13_000, ISSUE, DUE, BERLIN, "2026-12-02T22:59:59Z"));
            h.handle(paid(ADA, "inv_d11", "USD", 13_000, ISSUE, DUE, BERLIN, "2026-12-02T23:00:00Z"));

            assertEquals(130, num(h.guard("inv_d10", RewardRules.EARLY_PAYMENT), "credit"));
            assertNull(h.guard("inv_d11", RewardRules.EARLY_PAYMENT));
            assertNotNull(h.guard("inv_d11", RewardRules.ON_TIME));
        }

        @Test
        void givenPaidAtTheLastSecondOfTheDueDateInBerlinThenOnTimeAndASecondLaterLateWithTheStreakReset() {
            h.createCustomer(ADA, BERLIN);

            h.handle(paid(ADA, "inv_a", "USD", 13_000, ISSUE, DUE, BERLIN, "2026-12-22T22:59:59Z"));
            Customer.Loyalty afterOnTime = h.customer(ADA).loyalty();
            h.handle(paid(ADA, "inv_b", "USD", 13_000, ISSUE, DUE, BERLIN, "2026-12-22T23:00:00Z"));

            assertEquals(new Customer.Loyalty("BRONZE", 13, Map.of(), 1, 1), afterOnTime);
            assertEquals(new Customer.Loyalty("BRONZE", 13, Map.of(), 0, 2), h.customer(ADA).loyalty());
            assertEquals(List.of("EARNED_POINTS inv_a#on-time points=13 amount=0"), h.ledger(ADA));
            assertNull(h.guard("inv_b", RewardRules.ON_TIME));
            assertNotNull(h.guard("inv_b", RewardService.PAID_MARKER), "the late payment is recorded as processed");
            var paidRecords = h.customerItems(ADA, Keys.PAID_RECORD_PREFIX);
            assertEquals(List.of(true, false), paidRecords.stream().map(i -> i.get("onTime").bool()).toList());
            assertEquals(Set.of("payment-received#inv_a", "payment-received#inv_b", "reward-notice#inv_a"),
                    h.distinctEmailIds(), "both are thanked; nothing earned late, no notice");
        }

        @Test
        void givenTheLargeInvoiceThresholdsInUsdAndJpyWhenPaidOnTimeThenTheBonusStartsAtTenThousand() {
            h.createCustomer(ADA, BERLIN);
            String day20 = "2026-12-12T10:00:0";

            h.handle(paid(ADA, "inv_usd_below", "USD", 999_999, ISSUE, DUE, BERLIN, day20 + "1Z"));
            h.handle(paid(ADA, "inv_usd_at", "USD", 1_000_000, ISSUE, DUE, BERLIN, day20 + "2Z"));
            h.handle(paid(ADA, "inv_jpy_below", "JPY", 9_999, ISSUE, DUE, BERLIN, day20 + "3Z"));
            h.handle(paid(ADA, "inv_jpy_at", "JPY", 10_000, ISSUE, DUE, BERLIN, day20 + "4Z"));

            assertAll(() -> assertNull(h.guard("inv_usd_below", RewardRules.LARGE_INVOICE)),
                    () -> assertEquals(500, num(h.guard("inv_usd_at", RewardRules.LARGE_INVOICE), "points")),
                    () -> assertNull(h.guard("inv_jpy_below", RewardRules.LARGE_INVOICE)),
                    () -> assertEquals(500, num(h.guard("inv_jpy_at", RewardRules.LARGE_INVOICE), "points")),
                    () -> assertEquals(999, num(h.guard("inv_usd_below", RewardRules.ON_TIME), "points")),
                    () -> assertEquals(1_000, num(h.guard("inv_usd_at", RewardRules.ON_TIME), "points")),
                    () -> assertEquals(999, num(h.guard("inv_jpy_below", RewardRules.ON_TIME), "points")),
                    () -> assertEquals(1_000, num(h.guard("inv_jpy_at", RewardRules.ON_TIME), "points")),
                    () -> assertEquals(999 + 1_500 + 999 + 1_500, h.customer(ADA).loyalty().points()),
                    () -> assertEquals(Map.of(), h.customer(ADA).loyalty().credits(), "paid on day 20: no credit"));
        }

        @Test
        void givenSixInvoicesPaidOnTimeWhenHandledInTurnThenTheFifthMakesSilverAndTheSixthEarnsTheStreakPerk() {
            h.createCustomer(ADA, BERLIN);

            List<String> outcomes = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                String issue = "2026-0" + i + "-01";
                outcomes.add(h.handle(paid(ADA, "inv_" + i, "USD", 13_000, issue, "2026-0" + i + "-28", BERLIN,
                        "2026-0" + i + "-21T10:00:00Z")));
            }

            assertEquals("credited 13 points, 0 USD, tier SILVER", outcomes.get(4));
            assertEquals("credited 1016 points, 0 USD", outcomes.get(5), "13 × 1.25 = 16.25 → 16, plus the perk");
            assertEquals(new Customer.Loyalty("SILVER", 5 * 13 + 16 + 1_000, Map.of(), 6, 6), h.customer(ADA).loyalty());
            assertEquals(1_000, num(h.guard("inv_6", RewardRules.STREAK), "points"));
            assertTrue(h.ledger(ADA).contains("EARNED_POINTS inv_6#streak points=1000 amount=0"));
            Set<String> expected = new TreeSet<>(Set.of("tier-changed#cus_ada#inv_5", "streak-perk#cus_ada#inv_6"));
            for (int i = 1; i <= 6; i++) {
                expected.add("reward-notice#inv_" + i);
                expected.add("payment-received#inv_" + i);
            }
            assertEquals(expected, h.distinctEmailIds());
            JsonNode tierMail = h.mailMessages().stream()
                    .filter(m -> m.path("emailId").asText().startsWith("tier-changed")).findFirst().orElseThrow();
            assertEquals("BRONZE", tierMail.path("model").path("fromTier").asText());
            assertEquals("SILVER", tierMail.path("model").path("toTier").asText());
            assertTrue(h.rewardCreditedEntryIds().contains("inv_6#streak"));
        }

        @Test
        void givenTwoInvoicesPaidInTheSameSecondWhenTheSecondIsHandledThenTheFirstCountsInItsTierWindow() {
            h.createCustomer(ADA, BERLIN);
            for (int i = 1; i <= 3; i++) {
                h.handle(paid(ADA, "inv_" + i, "USD", 13_000, "2026-0" + i + "-01", "2026-0" + i + "-28", BERLIN,
                        "2026-0" + i + "-21T10:00:00Z"));
            }
            // The customer pays two open invoices in one checkout: the provider stamps both with the same second.
            String sameSecond = "2026-04-21T10:00:00Z";
            h.handle(paid(ADA, "inv_4", "USD", 13_000, "2026-04-01", "2026-04-28", BERLIN, sameSecond));

            h.handle(paid(ADA, "inv_5", "USD", 13_000, "2026-04-02", "2026-04-28", BERLIN, sameSecond));

            Customer.Loyalty loyalty = h.customer(ADA).loyalty();
            assertEquals(5, loyalty.paidInvoices());
            assertEquals(5, loyalty.onTimeStreak());
            assertEquals("SILVER", loyalty.tier(), "5 of 5 paid on time in the last 12 months");
        }
    }

    @Nested
    class Redelivery {
        @Test
        void givenAPaymentAlreadyCreditedWhenTheSameMessageIsRedeliveredThenNothingIsCreditedOrSentTwice() {
            h.createCustomer(ADA, BERLIN);
            h.handle(day7());
            var before = h.snapshot();
            int relayedFirst = h.relayedMessages();

            String outcome = h.handle(day7());

            assertEquals("duplicate", outcome);
            assertEquals(before, h.snapshot(), "the table is unchanged");
            assertEquals(new Customer.Loyalty("BRONZE", 13, Map.of("USD", 260L), 1, 1), h.customer(ADA).loyalty());
            assertEquals(4, relayedFirst, "two emails and two RewardCredited, relayed from the first commit");
            assertEquals(relayedFirst, h.relayedMessages(), "the redelivery committed nothing for the relay");
            assertEquals(List.of("payment-received#inv_1", "reward-notice#inv_1"),
                    h.mailMessages().stream().map(m -> m.path("emailId").asText()).toList(), "each email once");
            assertEquals(List.of("inv_1#early-payment", "inv_1#on-time"), h.rewardCreditedEntryIds(), "each event once");
        }

        @Test
        void givenARefundAlreadyReversedWhenItIsRedeliveredThenNothingIsReversedTwice() {
            h.createCustomer(ADA, BERLIN);
            var paid = day7();
            h.handle(paid);
            var refund = refund(paid, "re_1", 6_500, "2026-12-01T10:00:00Z");
            h.handle(refund);
            var before = h.snapshot();

            assertEquals("duplicate", h.handle(refund));

            assertEquals(before, h.snapshot());
            assertEquals(7, h.customer(ADA).loyalty().points());
        }
    }

    @Nested
    class Concurrency {
        @Test
        void givenTwoInvoicesOfOneCustomerWhenTheirPaymentsAreHandledAtTheSameMomentThenBothAreCreditedAndNoUpdateIsLost()
                throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 1; round <= 5; round++) {
                    String customer = "cus_concurrent_" + round;
                    h.createCustomer(customer, BERLIN);
                    var first = paid(customer, "inv_" + round + "_a", "USD", 13_000, ISSUE, DUE, BERLIN, DAY_7);
                    var second = paid(customer, "inv_" + round + "_b", "USD", 13_000, ISSUE, DUE, BERLIN,
                            "2026-11-29T12:05:00Z");
                    var barrier = new CyclicBarrier(2);
                    Future<String> a = pool.submit(() -> {
                        barrier.await();
                        return h.handle(first);
                    });
                    Future<String> b = pool.submit(() -> {
                        barrier.await();
                        return h.handle(second);
                    });

                    List<String> outcomes = List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS));

                    assertEquals(List.of("credited 13 points, 260 USD", "credited 13 points, 260 USD"), outcomes);
                    assertEquals(new Customer.Loyalty("BRONZE", 26, Map.of("USD", 520L), 2, 2),
                            h.customer(customer).loyalty(), "round " + round);
                    assertEquals(3, h.version(customer), "created at 1, one committed update per invoice");
                    assertEquals(4, h.ledger(customer).size());
                    assertEquals(2, h.customerItems(customer, Keys.PAID_RECORD_PREFIX).size());
                    long lotPoints = h.customerItems(customer, Keys.POINTS_LOT_PREFIX).stream()
                            .mapToLong(l -> num(l, "remaining")).sum();
                    assertEquals(26, lotPoints, "the cached balance equals the lots");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    class Reversal {
        @Test
        void givenARefundThatArrivesBeforeItsPaymentWhenHandledThenItIsRefusedUntilThePaymentIsCredited() {
            h.createCustomer(ADA, BERLIN);
            var paid = day7();
            var refund = refund(paid, "re_1", 13_000, "2026-12-01T10:00:00Z");
            var before = h.snapshot();

            assertThrows(RewardService.NotYetCredited.class, () -> h.handle(refund));
            assertEquals(before, h.snapshot(), "a refused refund writes nothing");

            h.handle(paid);
            String outcome = h.handle(refund);

            assertEquals("reversed 13 points, 260 USD", outcome);
            assertEquals(new Customer.Loyalty("BRONZE", 0, Map.of("USD", 0L), 1, 1), h.customer(ADA).loyalty());
        }

        @Test
        void givenHalfTheTotalRefundedThenHalfThePointsRoundedHalfEvenAndHalfTheCreditAreReversed() {
            h.createCustomer(ADA, BERLIN);
            var paid = day7();
            h.handle(paid);

            String outcome = h.handle(refund(paid, "re_1", 6_500, "2026-12-01T10:00:00Z"));

            assertEquals("reversed 6 points, 130 USD", outcome, "13 × ½ = 6.5 → 6 (half-even)");
            assertEquals(7, h.customer(ADA).loyalty().points());
            assertEquals(Map.of("USD", 130L), h.customer(ADA).loyalty().credits());
            assertTrue(h.ledger(ADA).containsAll(List.of(
                    "REVERSED inv_1#on-time#reversal#re_1 points=-6 amount=0",
                    "REVERSED inv_1#early-payment#reversal#re_1 points=0 amount=-130 USD")), h.ledger(ADA).toString());
            assertEquals(List.of(ON_TIME_LOT + " remaining=7/13 expiring", CREDIT_LOT + " remaining=130/260 expiring"),
                    h.lots(ADA));
            assertEquals(6, num(h.guard("inv_1", RewardRules.ON_TIME), "reversedPoints"));
            assertEquals(130, num(h.guard("inv_1", RewardRules.EARLY_PAYMENT), "reversedCredit"));
        }

        @Test
        void givenTwoRefundsOfHalfTheTotalWhenBothAreHandledThenTheWholeInvoiceIsRefundedAndEverythingIsReversed() {
            h.createCustomer(ADA, BERLIN);
            var paid = day7();
            h.handle(paid);

            h.handle(refund(paid, "re_1", 6_500, "2026-12-01T10:00:00Z"));
            h.handle(refund(paid, "re_2", 6_500, "2026-12-02T10:00:00Z"));

            assertEquals(new Customer.Loyalty("BRONZE", 0, Map.of("USD", 0L), 1, 1), h.customer(ADA).loyalty(),
                    "13 points: 6.5 → 6 then 6.5 → 6 leaves 1 point of a fully refunded invoice; ledger " + h.ledger(ADA));
            assertEquals(13, num(h.guard("inv_1", RewardRules.ON_TIME), "reversedPoints"));
        }

        @Test
        void givenTheWholeTotalRefundedThenEveryRewardIsReversedAndTheLotsLeaveTheExpiryIndex() {
            h.createCustomer(ADA, BERLIN);
            var paid = day7();
            h.handle(paid);

            String outcome = h.handle(refund(paid, "re_1", 13_000, "2026-12-01T10:00:00Z"));

            assertEquals("reversed 13 points, 260 USD", outcome);
            assertEquals(new Customer.Loyalty("BRONZE", 0, Map.of("USD", 0L), 1, 1), h.customer(ADA).loyalty());
            assertEquals(List.of(ON_TIME_LOT + " remaining=0/13", CREDIT_LOT + " remaining=0/260"), h.lots(ADA));
            assertEquals(List.of(), h.expiryIndex());
            assertEquals(List.of("EARNED_CREDIT inv_1#early-payment points=0 amount=260 USD",
                    "EARNED_POINTS inv_1#on-time points=13 amount=0",
                    "REVERSED inv_1#early-payment#reversal#re_1 points=0 amount=-260 USD",
                    "REVERSED inv_1#on-time#reversal#re_1 points=-13 amount=0"), h.ledger(ADA));
        }

        @Test
        void givenTheCreditWasSpentOnTheNextInvoiceWhenTheInvoiceIsRefundedThenAClawbackIsRecordedAndCreditsStayAtZero() {
            h.createCustomer(ADA, BERLIN);
            var paid = day7();
            h.handle(paid);
            h.spendCredit(ADA, CREDIT_LOT, "USD", 260);

            String outcome = h.handle(refund(paid, "re_1", 13_000, "2026-12-01T10:00:00Z"));

            assertEquals("reversed 13 points, 0 USD", outcome);
            assertTrue(h.ledger(ADA).contains(
                    "CLAWBACK inv_1#early-payment#reversal#re_1#clawback points=0 amount=-260 USD"), h.ledger(ADA).toString());
            assertEquals(Map.of("USD", 0L), h.customer(ADA).loyalty().credits(), "never negative");
            assertEquals(0, h.customer(ADA).loyalty().points());
            assertEquals(260, num(h.guard("inv_1", RewardRules.EARLY_PAYMENT), "reversedCredit"));
        }

        @Test
        void givenPartOfTheCreditWasSpentWhenRefundedThenTheRestIsReversedAndTheSpentPartClawedBack() {
            h.createCustomer(ADA, BERLIN);
            var paid = day7();
            h.handle(paid);
            h.spendCredit(ADA, CREDIT_LOT, "USD", 160);

            h.handle(refund(paid, "re_1", 13_000, "2026-12-01T10:00:00Z"));

            List<String> ledger = h.ledger(ADA);
            assertTrue(ledger.contains("REVERSED inv_1#early-payment#reversal#re_1 points=0 amount=-100 USD"), ledger.toString());
            assertTrue(ledger.contains("CLAWBACK inv_1#early-payment#reversal#re_1#clawback points=0 amount=-160 USD"),
                    ledger.toString());
            assertEquals(Map.of("USD", 0L), h.customer(ADA).loyalty().credits());
            assertEquals(0, num(h.lot(ADA, CREDIT_LOT), "remaining"));
        }

        @Test
        void givenMostPointsWereRedeemedWhenTheInvoiceIsRefundedThenPointsGoToZeroAndNotBelow() {
            h.createCustomer(ADA, BERLIN);
            var paid = day7();
            h.handle(paid);
            h.redeemPoints(ADA, ON_TIME_LOT, 9);

            String outcome = h.handle(refund(paid, "re_1", 13_000, "2026-12-01T10:00:00Z"));

            assertEquals("reversed 4 points, 260 USD", outcome);
            assertEquals(0, h.customer(ADA).loyalty().points());
            assertTrue(h.ledger(ADA).contains("REVERSED inv_1#on-time#reversal#re_1 points=-4 amount=0"));
            assertEquals(13, num(h.guard("inv_1", RewardRules.ON_TIME), "reversedPoints"),
                    "the reward counts as reversed: a later refund takes nothing more");
        }

        @Test
        void givenTheInvoicesOwnPointsWereRedeemedWhenItIsRefundedThenItsPointsComeFromTheOtherLotsDownToZero() {
            h.createCustomer(ADA, BERLIN);
            // Two 10,000.00 USD invoices on time: 1,000 + 500 points each, A's lots expire first.
            var a = paid(ADA, "inv_a", "USD", 1_000_000, ISSUE, DUE, BERLIN, "2026-12-12T10:00:00Z");
            var b = paid(ADA, "inv_b", "USD", 1_000_000, ISSUE, DUE, BERLIN, "2026-12-13T10:00:00Z");
            h.handle(a);
            h.handle(b);
            // Redeem 1,600 points oldest-expiring first, as the redemption route does: all of A's, 100 of B's.
            h.redeemPoints(ADA, "POINTS#2027-12-12T10:00:00Z#inv_a#large-invoice", 500);
            h.redeemPoints(ADA, "POINTS#2027-12-12T10:00:00Z#inv_a#on-time", 1_000);
            h.redeemPoints(ADA, "POINTS#2027-12-13T10:00:00Z#inv_b#large-invoice", 100);
            assertEquals(1_400, h.customer(ADA).loyalty().points());

            h.handle(refund(a, "re_a", 1_000_000, "2026-12-20T10:00:00Z"));

            long lotPoints = h.customerItems(ADA, Keys.POINTS_LOT_PREFIX).stream().mapToLong(l -> num(l, "remaining")).sum();
            assertAll(() -> assertEquals(0, h.customer(ADA).loyalty().points(),
                            "1,500 points to reverse, 1,400 held: all of them go; ledger " + h.ledger(ADA)),
                    () -> assertEquals(0, lotPoints, "lots " + h.lots(ADA)));
        }

        @Test
        void givenALostDisputeOfTheWholeTotalThenEveryRewardIsReversedLikeAFullRefund() {
            h.createCustomer(ADA, BERLIN);
            var paid = day7();
            h.handle(paid);

            String outcome = h.handle(disputeLost(paid, "dp_1", 13_000, "2026-12-10T10:00:00Z"));

            assertEquals("reversed 13 points, 260 USD", outcome);
            assertEquals(new Customer.Loyalty("BRONZE", 0, Map.of("USD", 0L), 1, 1), h.customer(ADA).loyalty());
            assertTrue(h.ledger(ADA).containsAll(List.of(
                    "REVERSED inv_1#early-payment#reversal#dp_1 points=0 amount=-260 USD",
                    "REVERSED inv_1#on-time#reversal#dp_1 points=-13 amount=0")), h.ledger(ADA).toString());
        }

        @Test
        void givenAFullRefundAfterAHalfRefundThenOnlyWhatIsLeftIsReversed() {
            h.createCustomer(ADA, BERLIN);
            var paid = day7();
            h.handle(paid);
            h.handle(refund(paid, "re_1", 6_500, "2026-12-01T10:00:00Z"));

            // A lost dispute over the whole payment after part of it was refunded.
            h.handle(disputeLost(paid, "dp_1", 13_000, "2026-12-10T10:00:00Z"));

            assertEquals(new Customer.Loyalty("BRONZE", 0, Map.of("USD", 0L), 1, 1), h.customer(ADA).loyalty());
            assertEquals(13, num(h.guard("inv_1", RewardRules.ON_TIME), "reversedPoints"));
            assertEquals(260, num(h.guard("inv_1", RewardRules.EARLY_PAYMENT), "reversedCredit"));
            assertFalse(h.ledger(ADA).stream().anyMatch(e -> e.startsWith("CLAWBACK")), h.ledger(ADA).toString());
        }
    }

    @Nested
    class Expiry {
        @Test
        void givenLotsThatExpireAtTheirTimeWhenTheRunIsOneSecondEarlyThenNothingExpires() {
            h.createCustomer(ADA, BERLIN);
            h.handle(day7());
            var before = h.snapshot();

            int expired = h.expire(Instant.parse(DAY_7_EXPIRY).minusSeconds(1));

            assertEquals(0, expired);
            assertEquals(before, h.snapshot());
        }

        @Test
        void givenLotsThatExpireAtTheirTimeWhenTheRunIsAtThatInstantThenTheyExpireWithLedgerEntriesAndLeaveTheBalance() {
            h.createCustomer(ADA, BERLIN);
            h.handle(day7());

            int expired = h.expire(Instant.parse(DAY_7_EXPIRY));

            assertEquals(2, expired);
            assertEquals(List.of("EARNED_CREDIT inv_1#early-payment points=0 amount=260 USD",
                    "EARNED_POINTS inv_1#on-time points=13 amount=0",
                    "EXPIRED expired#inv_1#early-payment points=0 amount=-260 USD",
                    "EXPIRED expired#inv_1#on-time points=-13 amount=0"), h.ledger(ADA));
            assertEquals(List.of(ON_TIME_LOT + " remaining=0/13", CREDIT_LOT + " remaining=0/260"), h.lots(ADA));
            assertEquals(List.of(), h.expiryIndex());
            Customer.Loyalty loyalty = h.customer(ADA).loyalty();
            assertEquals(0, loyalty.points());
            assertEquals(Map.of("USD", 0L), loyalty.credits());
        }

        @Test
        void givenLotsAlreadyExpiredWhenTheRunIsRepeatedThenNothingMoreExpires() {
            h.createCustomer(ADA, BERLIN);
            h.handle(day7());
            h.expire(Instant.parse(DAY_7_EXPIRY));
            var before = h.snapshot();

            assertEquals(0, h.expire(Instant.parse(DAY_7_EXPIRY)));
            assertEquals(0, h.expire(Instant.parse(DAY_7_EXPIRY).plusSeconds(86_400)));

            assertEquals(before, h.snapshot());
        }

        @Test
        void givenAPartlyRedeemedLotWhenItExpiresThenOnlyWhatIsLeftExpires() {
            h.createCustomer(ADA, BERLIN);
            h.handle(day7());
            h.redeemPoints(ADA, ON_TIME_LOT, 9);

            h.expire(Instant.parse(DAY_7_EXPIRY));

            assertTrue(h.ledger(ADA).contains("EXPIRED expired#inv_1#on-time points=-4 amount=0"), h.ledger(ADA).toString());
            assertEquals(0, h.customer(ADA).loyalty().points());
        }

        @Test
        void givenLotsOfTwoInvoicesWhenTheFirstOnesTimeComesThenOnlyItsLotsExpire() {
            h.createCustomer(ADA, BERLIN);
            h.handle(day7());
            h.handle(paid(ADA, "inv_2", "USD", 13_000, "2027-01-04", "2027-02-03", BERLIN, "2027-01-20T10:00:00Z"));

            int expired = h.expire(Instant.parse(DAY_7_EXPIRY));

            assertEquals(2, expired);
            assertEquals(List.of("POINTS#2028-01-20T10:00:00Z#inv_2#on-time"), h.expiryIndex());
            assertEquals(13, h.customer(ADA).loyalty().points());
        }
    }
}
