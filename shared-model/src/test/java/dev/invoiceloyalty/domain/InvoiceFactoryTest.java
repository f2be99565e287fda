package dev.invoiceloyalty.domain;

import dev.invoiceloyalty.config.ProgramConfig;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static dev.invoiceloyalty.domain.Fixtures.customer;
import static dev.invoiceloyalty.domain.Fixtures.json;
import static dev.invoiceloyalty.domain.Fixtures.problem;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvoiceFactoryTest {
    private static final Instant NOW = Instant.parse("2026-11-01T09:00:00Z");
    private static final LocalDate ISSUE = LocalDate.of(2026, 11, 1);

    private final ProgramConfig config = ProgramConfig.defaults();
    private final InvoiceFactory factory = new InvoiceFactory(config);
    private final Customer bronze = customer("BRONZE");

    private static InvoiceRequest.Line line(String quantity, long unitAmount, String taxRate) {
        return new InvoiceRequest.Line("Item", new BigDecimal(quantity), unitAmount, new BigDecimal(taxRate));
    }

    private static InvoiceRequest request(String currency, InvoiceRequest.Line... lines) {
        return new InvoiceRequest("cust-1", currency, ISSUE, null, null, List.of(lines), null, null, null);
    }

    private static InvoiceRequest withEarlyDiscount(InvoiceRequest r, String percent, int withinDays) {
        return new InvoiceRequest(r.customerId(), r.currency(), r.issueDate(), r.dueDate(), r.netDays(), r.lineItems(),
                r.externalReference(), new InvoiceRequest.EarlyDiscount(new BigDecimal(percent), withinDays),
                r.paymentUrl());
    }

    private static InvoiceRequest withDates(InvoiceRequest r, LocalDate issueDate, LocalDate dueDate, Integer netDays) {
        return new InvoiceRequest(r.customerId(), r.currency(), issueDate, dueDate, netDays, r.lineItems(),
                r.externalReference(), r.earlyPaymentDiscount(), r.paymentUrl());
    }

    /** Runs the creation steps in the order the API does: dates, lines, credits, then the invoice. */
    private Invoice create(InvoiceRequest r, Customer customer, List<CreditLot> lots) {
        LocalDate issue = InvoiceFactory.issueDate(r, customer, NOW);
        LocalDate due = factory.dueDate(r, issue);
        var lines = InvoiceFactory.lines(r);
        var credits = AppliedCredit.apply(lots, InvoiceFactory.gross(lines));
        return factory.create("inv-1", InvoiceFactory.number(issue.getYear(), 1), r, customer, issue, due, lines,
                credits, NOW);
    }

    private Invoice create(InvoiceRequest r) {
        return create(r, bronze, List.of());
    }

    private static Invoice.LineItem onlyLine(InvoiceRequest r) {
        return InvoiceFactory.lines(r).get(0);
    }

    @Nested
    class LineArithmetic {
        @ParameterizedTest(name = "{0} × {1} = {2}")
        @CsvSource({
                "1.5, 333, 500",  // 499.5 → 500, the even neighbour
                "0.5, 5, 2",      // 2.5 → 2
                "0.5, 7, 4",      // 3.5 → 4
                "0.125, 100, 12", // 12.5 → 12
                "0.125, 1, 0",    // an eighth of a cent → 0
                "3, 199, 597",
                "10, 333, 3330"})
        void lineAmountIsQuantityTimesUnitAmountRoundedHalfEvenToTheMinorUnit(String quantity, long unit, long amount) {
            assertEquals(amount, onlyLine(request("USD", line(quantity, unit, "0"))).amount());
        }

        @ParameterizedTest(name = "{1}% of {0} = {2}")
        @CsvSource({
                "1000, 8.25, 82",   // 82.5 → 82
                "1400, 8.25, 116",  // 115.5 → 116
                "500, 8.25, 41",    // 41.25 → 41
                "597, 19, 113",     // 113.43 → 113
                "1000, 0, 0",
                "1000, 100, 1000"})
        void lineTaxIsAmountTimesRateOverOneHundredRoundedHalfEven(long amount, String rate, long tax) {
            assertEquals(tax, onlyLine(request("USD", line("1", amount, rate))).tax());
        }

        @Test
        void lineTaxIsComputedFromTheRoundedLineAmount() {
            // 0.5 × 101 = 50.5 → amount 50; 1% of 50 = 0.5 → 0 (1% of the unrounded 50.5 would round to 1)
            Invoice.LineItem l = onlyLine(request("USD", line("0.5", 101, "1")));

            assertEquals(50, l.amount());
            assertEquals(0, l.tax());
        }

        @Test
        void lineKeepsQuantityAndRateAsPlainDecimalStrings() {
            Invoice.LineItem l = onlyLine(request("USD",
                    new InvoiceRequest.Line("Hosting", new BigDecimal("2.000").stripTrailingZeros(), 1000,
                            new BigDecimal("8.2500"))));

            assertAll(
                    () -> assertEquals("Hosting", l.description()),
                    () -> assertEquals("2", l.quantity()),
                    () -> assertEquals(1000, l.unitAmount()),
                    () -> assertEquals("8.25", l.taxRate()));
        }

        @Test
        void quantityParsedFromTheBodyShowsWithoutExponent() {
            InvoiceRequest r = InvoiceRequest.parse(json("""
                    {"customerId": "c", "currency": "USD",
                     "lineItems": [{"description": "Seats", "quantity": "10", "unitAmount": 333}]}
                    """), 100);

            Invoice.LineItem l = onlyLine(r);

            assertEquals("10", l.quantity());
            assertEquals(3330, l.amount());
        }
    }

    @Nested
    class Totals {
        private final InvoiceRequest usd = request("USD",
                line("1.5", 333, "8.25"),  // 500 + 41
                line("2", 1000, "0"),      // 2000 + 0
                line("3", 199, "19"));     // 597 + 113

        @Test
        void subtotalIsTheSumOfLineAmounts() {
            assertEquals(3097, create(usd).subtotal());
        }

        @Test
        void taxIsTheSumOfLineTaxes() {
            assertEquals(154, create(usd).tax());
        }

        @Test
        void totalIsSubtotalPlusTaxWhenNoCreditApplies() {
            Invoice inv = create(usd);

            assertEquals(3251, inv.total());
            assertEquals(3251, InvoiceFactory.gross(inv.lineItems()));
            assertTrue(inv.discounts().isEmpty());
        }

        @Test
        void jpyInvoiceHasNoMinorUnitsToRoundTo() {
            // 3 × ¥500 = ¥1500, 10% = ¥150; 1 × ¥999 at 8% = ¥79.92 → ¥80
            Invoice inv = create(request("JPY", line("3", 500, "10"), line("1", 999, "8")));

            assertAll(
                    () -> assertEquals("JPY", inv.currency()),
                    () -> assertEquals(2499, inv.subtotal()),
                    () -> assertEquals(230, inv.tax()),
                    () -> assertEquals(2729, inv.total()));
        }

        @Test
        void kwdInvoiceRoundsToTheFils() {
            // 1.5 × 1.235 KWD = 1.8525 → 1.852 (1852.5 fils, half-even); 5% of 1852 fils = 92.6 → 93
            Invoice inv = create(request("KWD", line("1.5", 1235, "5")));

            assertAll(
                    () -> assertEquals(1852, inv.subtotal()),
                    () -> assertEquals(93, inv.tax()),
                    () -> assertEquals(1945, inv.total()));
        }

        @Test
        void invoiceOverTheLargestSupportedAmountIsRefusedAsInvalid() {
            // 1,000,000 × 1,000,000,000.00 USD fits a long but exceeds MoneyMath.MAX_AMOUNT
            var lines = InvoiceFactory.lines(request("USD", line("1000000", 100_000_000_000L, "0")));

            ProblemException e = problem(() -> InvoiceFactory.gross(lines));

            assertEquals(400, e.status());
            assertEquals("lineItems", e.errors().get(0).field());
        }

        @Test
        void lineAtTheLargestAcceptedQuantityAndUnitAmountIsRefusedAsInvalidNotAsAnArithmeticFailure() {
            // Both values pass InvoiceRequest's per-field bounds; their product (10^20 minor units) is not a long.
            var body = json("""
                    {"customerId": "c", "currency": "USD",
                     "lineItems": [{"description": "Big", "quantity": "1000000000", "unitAmount": 100000000000}]}
                    """);

            ProblemException e = problem(() -> {
                InvoiceRequest r = InvoiceRequest.parse(body, 100);
                InvoiceFactory.gross(InvoiceFactory.lines(r));
            });

            assertEquals(400, e.status());
        }

        @Test
        void lineWhoseAmountPlusTaxOverflowsALongIsRefusedAsInvalidNotAsAnArithmeticFailure() {
            // 5 × 10^18 minor units fits a long; with 100% tax the gross does not.
            var body = json("""
                    {"customerId": "c", "currency": "USD",
                     "lineItems": [{"description": "Big", "quantity": "50000000", "unitAmount": 100000000000,
                                    "taxRate": "100"}]}
                    """);

            ProblemException e = problem(() -> {
                InvoiceRequest r = InvoiceRequest.parse(body, 100);
                InvoiceFactory.gross(InvoiceFactory.lines(r));
            });

            assertEquals(400, e.status());
        }
    }

    @Nested
    class NumberAndDates {
        @ParameterizedTest(name = "{0}/{1} → {2}")
        @CsvSource({"2026, 1, INV-2026-000001", "2026, 42, INV-2026-000042", "2027, 999999, INV-2027-999999"})
        void numberIsTheYearAndASixDigitSequence(int year, long sequence, String number) {
            assertEquals(number, InvoiceFactory.number(year, sequence));
        }

        @Test
        void numberGrowsPastSixDigitsRatherThanWrapping() {
            assertEquals("INV-2026-1000000", InvoiceFactory.number(2026, 1_000_000));
        }

        @Test
        void invoiceCarriesTheNumberItIsGiven() {
            assertEquals("INV-2026-000001", create(request("USD", line("1", 100, "0"))).number());
        }

        @Test
        void dueDateDefaultsToTheConfiguredThirtyNetDays() {
            assertEquals(30, config.invoice().defaultNetDays());
            assertEquals(LocalDate.of(2026, 12, 1), factory.dueDate(request("USD", line("1", 100, "0")), ISSUE));
        }

        @Test
        void dueDateIsIssueDatePlusRequestedNetDays() {
            InvoiceRequest r = withDates(request("USD", line("1", 100, "0")), ISSUE, null, 14);

            assertEquals(LocalDate.of(2026, 11, 15), factory.dueDate(r, ISSUE));
        }

        @Test
        void zeroNetDaysMakesTheInvoiceDueOnIssue() {
            InvoiceRequest r = withDates(request("USD", line("1", 100, "0")), ISSUE, null, 0);

            assertEquals(ISSUE, factory.dueDate(r, ISSUE));
        }

        @Test
        void requestedDueDateIsKept() {
            InvoiceRequest r = withDates(request("USD", line("1", 100, "0")), ISSUE, LocalDate.of(2026, 11, 20), null);

            assertEquals(LocalDate.of(2026, 11, 20), factory.dueDate(r, ISSUE));
        }

        @Test
        void requestedDueDateBeforeTheDefaultedIssueDateIsRefused() {
            InvoiceRequest r = withDates(request("USD", line("1", 100, "0")), null, LocalDate.of(2026, 10, 31), null);

            ProblemException e = problem(() -> factory.dueDate(r, ISSUE));

            assertEquals(400, e.status());
            assertEquals("dueDate", e.errors().get(0).field());
        }

        @Test
        void issueDateDefaultsToTodayInTheCustomersTimeZone() {
            InvoiceRequest r = withDates(request("USD", line("1", 100, "0")), null, null, null);
            Instant lateEveningUtc = Instant.parse("2026-11-22T23:30:00Z");

            assertEquals(LocalDate.of(2026, 11, 23), InvoiceFactory.issueDate(r,
                    customer("c", "en", "Pacific/Auckland", "BRONZE"), lateEveningUtc));
            assertEquals(LocalDate.of(2026, 11, 22), InvoiceFactory.issueDate(r,
                    customer("c", "en", "America/New_York", "BRONZE"), lateEveningUtc));
        }

        @Test
        void requestedIssueDateWinsOverToday() {
            InvoiceRequest r = withDates(request("USD", line("1", 100, "0")), LocalDate.of(2025, 3, 1), null, null);

            assertEquals(LocalDate.of(2025, 3, 1), InvoiceFactory.issueDate(r, bronze, NOW));
        }
    }

    @Nested
    class NewInvoice {
        @Test
        void newInvoiceIsOpenWithEverythingStillDue() {
            Invoice inv = create(request("USD", line("2", 1000, "10")));

            assertAll(
                    () -> assertEquals("inv-1", inv.invoiceId()),
                    () -> assertEquals("cust-1", inv.customerId()),
                    () -> assertEquals(InvoiceStatus.OPEN, inv.status()),
                    () -> assertEquals("2026-11-01", inv.issueDate()),
                    () -> assertEquals("2026-12-01", inv.dueDate()),
                    () -> assertEquals(2200, inv.total()),
                    () -> assertEquals(0, inv.amountPaid()),
                    () -> assertEquals(2200, inv.amountDue()),
                    () -> assertEquals(0, inv.amountRefunded()),
                    () -> assertTrue(inv.payments().isEmpty()),
                    () -> assertTrue(inv.refunds().isEmpty()),
                    () -> assertTrue(inv.reminders().isEmpty()),
                    () -> assertFalse(inv.disputed()),
                    () -> assertEquals(Escalation.NONE, inv.escalation()),
                    () -> assertNull(inv.remindersPausedUntil()),
                    () -> assertNull(inv.earlyPaymentDiscount()),
                    () -> assertNull(inv.closedAt()),
                    () -> assertEquals(NOW.toString(), inv.createdAt()),
                    () -> assertEquals(NOW.toString(), inv.updatedAt()));
        }

        @Test
        void paymentUrlAndExternalReferenceAreCarriedOver() {
            InvoiceRequest base = request("USD", line("1", 100, "0"));
            InvoiceRequest r = new InvoiceRequest(base.customerId(), "USD", ISSUE, null, null, base.lineItems(), "PO-77",
                    null, "https://pay.example.com/i/1");

            Invoice inv = create(r);

            assertEquals("PO-77", inv.externalReference());
            assertEquals("https://pay.example.com/i/1", inv.paymentUrl());
        }

        @Test
        void appliedCreditReducesTheTotalAndShowsAsADiscount() {
            InvoiceRequest r = request("USD", line("1", 3000, "10")); // gross 3300
            var lot = new CreditLot("ledger-1", "USD", 1000, "2027-06-01T00:00:00Z");

            Invoice inv = create(r, bronze, List.of(lot));

            assertAll(
                    () -> assertEquals(3000, inv.subtotal()),
                    () -> assertEquals(300, inv.tax()),
                    () -> assertEquals(List.of(new Invoice.Discount("Reward credit", 1000, "ledger-1")), inv.discounts()),
                    () -> assertEquals(2300, inv.total()),
                    () -> assertEquals(2300, inv.amountDue()));
        }

        @Test
        void creditsLargerThanTheInvoiceBringTheTotalToZeroNotBelow() {
            InvoiceRequest r = request("USD", line("1", 3000, "10")); // gross 3300
            var older = new CreditLot("ledger-1", "USD", 2000, "2027-01-01T00:00:00Z");
            var newer = new CreditLot("ledger-2", "USD", 5000, "2027-06-01T00:00:00Z");

            Invoice inv = create(r, bronze, List.of(newer, older));

            assertEquals(List.of(new Invoice.Discount("Reward credit", 2000, "ledger-1"),
                    new Invoice.Discount("Reward credit", 1300, "ledger-2")), inv.discounts());
            assertEquals(0, inv.total());
            assertEquals(0, inv.amountDue());
        }

        @Test
        void rewardOfferIsComputedOnTheTotalAfterCredits() {
            InvoiceRequest r = request("USD", line("1", 3251, "0"));
            var lot = new CreditLot("ledger-1", "USD", 1000, "2027-06-01T00:00:00Z");

            Invoice inv = create(r, bronze, List.of(lot));

            // 2% of 2251 = 45.02 → 45; 1% = 22.51 → 23
            assertEquals(List.of(45L, 23L),
                    inv.rewardOffer().earlyPayment().stream().map(RewardOffer.EarlyCredit::credit).toList());
        }
    }

    @Nested
    class EarlyPaymentDiscountTerms {
        @Test
        void minimumPaymentIsTotalTimesOneMinusPercentRoundedHalfEven() {
            // 1030 × 0.95 = 978.5 → 978
            Invoice inv = create(withEarlyDiscount(request("USD", line("1", 1030, "0")), "5", 10));

            assertEquals(978, inv.earlyPaymentDiscount().minimumPayment());
        }

        @Test
        void minimumPaymentRoundsHalfToTheEvenNeighbourUpwardsToo() {
            // 1050 × 0.95 = 997.5 → 998
            Invoice inv = create(withEarlyDiscount(request("USD", line("1", 1050, "0")), "5", 10));

            assertEquals(998, inv.earlyPaymentDiscount().minimumPayment());
            assertEquals(52, inv.earlyPaymentDiscount().discountAmount());
        }

        @Test
        void discountAmountIsTotalMinusMinimumPayment() {
            // 3251 × 0.975 = 3169.725 → 3170; saves 81
            Invoice inv = create(withEarlyDiscount(request("USD", line("1", 3251, "0")), "2.5", 10));
            var terms = inv.earlyPaymentDiscount();

            assertEquals(3170, terms.minimumPayment());
            assertEquals(81, terms.discountAmount());
            assertEquals(inv.total(), terms.minimumPayment() + terms.discountAmount());
        }

        @Test
        void payByIsIssueDatePlusWithinDaysAndPercentIsShownPlainly() {
            Invoice inv = create(withEarlyDiscount(request("USD", line("1", 1000, "0")), "2.50", 10));
            var terms = inv.earlyPaymentDiscount();

            assertEquals("2026-11-11", terms.payBy());
            assertEquals(10, terms.withinDays());
            assertEquals("2.5", terms.percent());
        }

        @Test
        void cashDiscountAppliesToTheTotalAfterCredits() {
            InvoiceRequest r = withEarlyDiscount(request("USD", line("1", 3000, "0")), "10", 10);
            var lot = new CreditLot("ledger-1", "USD", 1000, "2027-06-01T00:00:00Z");

            Invoice inv = create(r, bronze, List.of(lot));

            assertEquals(2000, inv.total());
            assertEquals(1800, inv.earlyPaymentDiscount().minimumPayment());
            assertEquals(200, inv.earlyPaymentDiscount().discountAmount());
        }
    }

    @Nested
    class RewardOfferTerms {
        private RewardOffer offer(long total, String currency, Customer customer) {
            return factory.rewardOffer(total, currency, ISSUE, LocalDate.of(2026, 12, 1), customer);
        }

        @Test
        void earlyCreditsAreTwoPercentWithinSevenDaysAndOnePercentWithinTen() {
            RewardOffer o = offer(100_000, "USD", bronze);

            assertEquals(List.of(new RewardOffer.EarlyCredit("2026-11-08", "2", 2000),
                    new RewardOffer.EarlyCredit("2026-11-11", "1", 1000)), o.earlyPayment());
        }

        @ParameterizedTest(name = "total {0} → {1} and {2}")
        @CsvSource({
                "1025, 20, 10",  // 20.5 → 20, 10.25 → 10
                "1075, 22, 11",  // 21.5 → 22, 10.75 → 11
                "1150, 23, 12",  // 23, 11.5 → 12
                "1050, 21, 10"}) // 21, 10.5 → 10
        void earlyCreditsRoundHalfEven(long total, long twoPercent, long onePercent) {
            RewardOffer o = offer(total, "USD", bronze);

            assertEquals(twoPercent, o.earlyPayment().get(0).credit());
            assertEquals(onePercent, o.earlyPayment().get(1).credit());
        }

        @ParameterizedTest(name = "{0} minor {1} → {2} points")
        @CsvSource({
                "2999, USD, 2",      // 29.99 → floor(2.999)
                "1000, USD, 1",
                "999, USD, 1",       // 9.99 → 0, raised to the minimum of 1
                "0, USD, 1",
                "1000000, USD, 1000",
                "2999, JPY, 299",
                "29999, KWD, 2"})
        void onTimePointsAreOnePerTenWholeMajorUnitsWithAMinimumOfOne(long total, String currency, long points) {
            RewardOffer.OnTime onTime = offer(total, currency, bronze).onTime();

            assertEquals(points, onTime.points());
            assertEquals("BRONZE", onTime.tier());
        }

        @Test
        void onTimeOfferIsPayableUntilTheDueDate() {
            assertEquals("2026-12-01", offer(10_000, "USD", bronze).onTime().payBy());
        }

        @ParameterizedTest(name = "{0}: {1} → {2}")
        @CsvSource({
                "BRONZE, 3000, 3",
                "SILVER, 3000, 4",   // 3 × 1.25 = 3.75 → 4
                "SILVER, 2000, 2",   // 2 × 1.25 = 2.5 → 2
                "GOLD, 5000, 8",     // 5 × 1.5 = 7.5 → 8
                "GOLD, 7000, 10"})   // 7 × 1.5 = 10.5 → 10
        void onTimePointsAreMultipliedByTheTierMultiplierRoundedHalfEven(String tier, long total, long points) {
            RewardOffer.OnTime onTime = offer(total, "USD", customer(tier)).onTime();

            assertEquals(points, onTime.points());
            assertEquals(tier, onTime.tier());
        }

        @Test
        void unknownTierEarnsAsTheBaseTier() {
            RewardOffer.OnTime onTime = offer(3000, "USD", customer("PLATINUM")).onTime();

            assertEquals(3, onTime.points());
            assertEquals("BRONZE", onTime.tier());
        }

        @ParameterizedTest(name = "{0} minor {1} → {2} bonus points")
        @CsvSource({
                "1000000, USD, 500",   // exactly 10,000.00
                "999999, USD, 0",      // 9,999.99
                "10000, JPY, 500",
                "9999, JPY, 0",
                "10000000, KWD, 500",  // 10,000.000
                "9999999, KWD, 0"})
        void largeInvoiceBonusStartsAtTenThousandMajorUnitsInTheInvoiceCurrency(long total, String currency,
                                                                               int bonus) {
            assertEquals(bonus, offer(total, currency, bronze).largeInvoiceBonusPoints());
        }

        @Test
        void createdInvoiceCarriesTheLargeInvoiceBonusAtExactlyTheThreshold() {
            Invoice inv = create(request("USD", line("1", 1_000_000, "0")));

            assertEquals(500, inv.rewardOffer().largeInvoiceBonusPoints());
            assertEquals(1000, inv.rewardOffer().onTime().points());
        }
    }
}
