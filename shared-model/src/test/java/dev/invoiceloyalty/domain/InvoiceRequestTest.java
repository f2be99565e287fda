package dev.invoiceloyalty.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

import static dev.invoiceloyalty.domain.Fixtures.fields;
import static dev.invoiceloyalty.domain.Fixtures.json;
import static dev.invoiceloyalty.domain.Fixtures.problem;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvoiceRequestTest {
    private static final int MAX_LINES = 100;

    private static final String VALID = """
            {
              "customerId": "cust-1",
              "currency": "USD",
              "issueDate": "2026-11-01",
              "netDays": 14,
              "lineItems": [
                {"description": "Consulting", "quantity": "1.5", "unitAmount": 333, "taxRate": "8.25"},
                {"description": "Hosting", "quantity": "2", "unitAmount": 1000}
              ],
              "externalReference": "PO-77",
              "earlyPaymentDiscount": {"percent": "2.5", "withinDays": 10},
              "paymentUrl": "https://pay.example.com/i/77"
            }
            """;

    private static final String MINIMAL = """
            {"customerId": "cust-1", "currency": "JPY",
             "lineItems": [{"description": "Tea", "quantity": "3", "unitAmount": 500}]}
            """;

    private static InvoiceRequest parse(JsonNode body) {
        return InvoiceRequest.parse(body, MAX_LINES);
    }

    /** The valid body with one change; the problem it raises. */
    private static ProblemException rejected(Consumer<ObjectNode> edit) {
        return problem(() -> parse(json(VALID, edit)));
    }

    private static ObjectNode line(ObjectNode body, int i) {
        return (ObjectNode) body.get("lineItems").get(i);
    }

    private static ObjectNode early(ObjectNode body) {
        return (ObjectNode) body.get("earlyPaymentDiscount");
    }

    private static void assertOnlyError(ProblemException e, String field) {
        assertAll(
                () -> assertEquals(400, e.status()),
                () -> assertEquals("validation-error", e.type()),
                () -> assertEquals(List.of(field), fields(e), () -> e.errors().toString()));
    }

    @Nested
    class ValidBodies {
        @Test
        void validBodyParsesIntoTypedFields() {
            InvoiceRequest r = parse(json(VALID));

            assertAll(
                    () -> assertEquals("cust-1", r.customerId()),
                    () -> assertEquals("USD", r.currency()),
                    () -> assertEquals(LocalDate.of(2026, 11, 1), r.issueDate()),
                    () -> assertNull(r.dueDate()),
                    () -> assertEquals(14, r.netDays()),
                    () -> assertEquals(2, r.lineItems().size()),
                    () -> assertEquals("Consulting", r.lineItems().get(0).description()),
                    () -> assertEquals(0, new BigDecimal("1.5").compareTo(r.lineItems().get(0).quantity())),
                    () -> assertEquals(333, r.lineItems().get(0).unitAmount()),
                    () -> assertEquals(0, new BigDecimal("8.25").compareTo(r.lineItems().get(0).taxRate())),
                    () -> assertEquals("PO-77", r.externalReference()),
                    () -> assertEquals(0, new BigDecimal("2.5").compareTo(r.earlyPaymentDiscount().percent())),
                    () -> assertEquals(10, r.earlyPaymentDiscount().withinDays()),
                    () -> assertEquals("https://pay.example.com/i/77", r.paymentUrl()));
        }

        @Test
        void omittedOptionalFieldsAreNullForTheFactoryToDefault() {
            InvoiceRequest r = parse(json(MINIMAL));

            assertAll(
                    () -> assertNull(r.issueDate()),
                    () -> assertNull(r.dueDate()),
                    () -> assertNull(r.netDays()),
                    () -> assertNull(r.externalReference()),
                    () -> assertNull(r.earlyPaymentDiscount()),
                    () -> assertNull(r.paymentUrl()));
        }

        @Test
        void omittedTaxRateMeansZeroTax() {
            InvoiceRequest r = parse(json(MINIMAL));

            assertEquals(0, BigDecimal.ZERO.compareTo(r.lineItems().get(0).taxRate()));
        }

        @Test
        void dueDateOnTheIssueDateIsAccepted() {
            InvoiceRequest r = parse(json(VALID, b -> {
                b.remove("netDays");
                b.put("dueDate", "2026-11-01");
            }));

            assertEquals(LocalDate.of(2026, 11, 1), r.dueDate());
        }

        @Test
        void exactlyTheMaximumNumberOfLineItemsIsAccepted() {
            InvoiceRequest r = parse(json(VALID, b -> fillLines(b, MAX_LINES)));

            assertEquals(MAX_LINES, r.lineItems().size());
        }

        @Test
        void plainHttpPaymentUrlIsAccepted() {
            InvoiceRequest r = parse(json(VALID, b -> b.put("paymentUrl", "http://pay.example.com/i/77")));

            assertEquals("http://pay.example.com/i/77", r.paymentUrl());
        }
    }

    @Nested
    class CollectedErrors {
        @Test
        void everyFieldErrorIsCollectedInOneProblemWithPathsToTheField() {
            JsonNode body = json("""
                    {"currency": "usd", "netDays": 400, "lineItems": [
                       {"quantity": "1", "unitAmount": 100},
                       {"description": "B", "quantity": 2, "unitAmount": -5, "taxRate": "101"}],
                     "paymentUrl": "ftp://files.example.com/x"}
                    """);

            ProblemException e = problem(() -> parse(body));

            assertAll(
                    () -> assertEquals(400, e.status()),
                    () -> assertEquals("validation-error", e.type()),
                    () -> assertEquals(List.of("customerId", "currency", "netDays", "lineItems[0].description",
                                    "lineItems[1].quantity", "lineItems[1].unitAmount", "lineItems[1].taxRate",
                                    "paymentUrl").stream().sorted().toList(),
                            fields(e).stream().sorted().toList()),
                    () -> assertEquals("8 fields are invalid", e.detail()));
        }

        @Test
        void oneBadFieldIsNamedInTheDetail() {
            ProblemException e = rejected(b -> b.put("currency", "usd"));

            assertOnlyError(e, "currency");
            assertTrue(e.detail().startsWith("currency: "), e.detail());
        }

        @Test
        void bodyThatIsNotAnObjectIsMalformed() {
            ProblemException e = problem(() -> parse(json("[1, 2]")));

            assertEquals(400, e.status());
            assertEquals("malformed-request", e.type());
        }

        @Test
        void unknownTopLevelFieldIsAnError() {
            assertOnlyError(rejected(b -> b.put("discountCode", "SAVE10")), "discountCode");
        }

        @Test
        void unknownLineFieldIsAnErrorAtItsPath() {
            assertOnlyError(rejected(b -> line(b, 1).put("sku", "H-1")), "lineItems[1].sku");
        }

        @Test
        void missingCustomerIdIsRequired() {
            ProblemException e = rejected(b -> b.remove("customerId"));

            assertOnlyError(e, "customerId");
            assertEquals("is required", e.errors().get(0).message());
        }

        @Test
        void customerIdWithSpacesIsRejected() {
            assertOnlyError(rejected(b -> b.put("customerId", "cust 1")), "customerId");
        }
    }

    @Nested
    class Currency {
        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"usd", "XXX", "ABC", "US", "DOLLAR"})
        void unsupportedCurrencyIsRejected(String currency) {
            assertOnlyError(rejected(b -> b.put("currency", currency)), "currency");
        }

        @Test
        void currencyAsANumberIsRejected() {
            assertOnlyError(rejected(b -> b.put("currency", 840)), "currency");
        }

        @Test
        void missingCurrencyIsRequired() {
            assertOnlyError(rejected(b -> b.remove("currency")), "currency");
        }
    }

    @Nested
    class Dates {
        @Test
        void dueDateAndNetDaysTogetherAreRefused() {
            ProblemException e = rejected(b -> b.put("dueDate", "2026-12-01"));

            assertOnlyError(e, "netDays");
            assertTrue(e.errors().get(0).message().contains("not both"), e.errors().get(0).message());
        }

        @Test
        void dueDateBeforeIssueDateIsRefused() {
            assertOnlyError(rejected(b -> {
                b.remove("netDays");
                b.put("dueDate", "2026-10-31");
            }), "dueDate");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"2026-1-5", "2026-02-30", "01/11/2026", "2026-11-01T00:00:00Z", ""})
        void issueDateThatIsNotAnIsoCalendarDateIsRefused(String date) {
            assertOnlyError(rejected(b -> b.put("issueDate", date)), "issueDate");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {-1, 366})
        void netDaysOutsideZeroToAYearIsRefused(int netDays) {
            assertOnlyError(rejected(b -> b.put("netDays", netDays)), "netDays");
        }

        @Test
        void netDaysAsAStringIsRefused() {
            assertOnlyError(rejected(b -> b.put("netDays", "14")), "netDays");
        }
    }

    @Nested
    class LineItems {
        @Test
        void zeroLineItemsAreRefused() {
            assertOnlyError(rejected(b -> fillLines(b, 0)), "lineItems");
        }

        @Test
        void oneMoreThanTheMaximumNumberOfLineItemsIsRefused() {
            assertOnlyError(rejected(b -> fillLines(b, MAX_LINES + 1)), "lineItems");
        }

        @Test
        void theMaximumComesFromTheCaller() {
            ProblemException e = problem(() -> InvoiceRequest.parse(json(VALID), 1));

            assertOnlyError(e, "lineItems");
            assertTrue(e.errors().get(0).message().contains("between 1 and 1"), e.errors().get(0).message());
        }

        @Test
        void missingLineItemsAreRequired() {
            assertOnlyError(rejected(b -> b.remove("lineItems")), "lineItems");
        }

        @Test
        void lineItemsThatAreNotAnArrayAreRefused() {
            assertOnlyError(rejected(b -> b.put("lineItems", "Consulting")), "lineItems");
        }

        @Test
        void lineThatIsNotAnObjectIsRefusedAtItsIndex() {
            assertOnlyError(rejected(b -> ((ArrayNode) b.get("lineItems")).set(1, "Hosting")), "lineItems[1]");
        }

        @Test
        void quantityGivenAsAJsonNumberIsRefusedBecauseItMustBeADecimalString() {
            ProblemException e = rejected(b -> line(b, 1).put("quantity", 2));

            assertOnlyError(e, "lineItems[1].quantity");
            assertTrue(e.errors().get(0).message().contains("decimal string"), e.errors().get(0).message());
        }

        @Test
        void quantityGivenAsAJsonFractionIsRefusedToo() {
            assertOnlyError(rejected(b -> line(b, 0).put("quantity", new BigDecimal("1.5"))), "lineItems[0].quantity");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"0", "-1", "0.0000001", "1000000000.5", "abc", ""})
        void quantityThatIsNotPositiveOrHasTooManyDecimalsIsRefused(String quantity) {
            assertOnlyError(rejected(b -> line(b, 0).put("quantity", quantity)), "lineItems[0].quantity");
        }

        @Test
        void missingQuantityIsRequired() {
            assertOnlyError(rejected(b -> line(b, 0).remove("quantity")), "lineItems[0].quantity");
        }

        @Test
        void negativeUnitAmountIsRefused() {
            assertOnlyError(rejected(b -> line(b, 0).put("unitAmount", -1)), "lineItems[0].unitAmount");
        }

        @Test
        void fractionalUnitAmountIsRefusedBecauseAmountsAreWholeMinorUnits() {
            assertOnlyError(rejected(b -> line(b, 0).put("unitAmount", new BigDecimal("333.5"))),
                    "lineItems[0].unitAmount");
        }

        @Test
        void unitAmountWithAZeroFractionIsStillRefused() {
            assertOnlyError(rejected(b -> line(b, 0).put("unitAmount", new BigDecimal("333.0"))),
                    "lineItems[0].unitAmount");
        }

        @Test
        void unitAmountAsAStringIsRefused() {
            assertOnlyError(rejected(b -> line(b, 0).put("unitAmount", "333")), "lineItems[0].unitAmount");
        }

        @Test
        void zeroUnitAmountIsAllowedForFreeItems() {
            InvoiceRequest r = parse(json(VALID, b -> line(b, 0).put("unitAmount", 0)));

            assertEquals(0, r.lineItems().get(0).unitAmount());
        }

        @Test
        void taxRateAboveOneHundredPercentIsRefused() {
            assertOnlyError(rejected(b -> line(b, 0).put("taxRate", "100.01")), "lineItems[0].taxRate");
        }

        @Test
        void taxRateOfExactlyOneHundredPercentIsAccepted() {
            InvoiceRequest r = parse(json(VALID, b -> line(b, 0).put("taxRate", "100")));

            assertEquals(0, new BigDecimal("100").compareTo(r.lineItems().get(0).taxRate()));
        }

        @Test
        void taxRateWithMoreThanFourDecimalsIsRefused() {
            ProblemException e = rejected(b -> line(b, 0).put("taxRate", "8.12345"));

            assertOnlyError(e, "lineItems[0].taxRate");
            assertTrue(e.errors().get(0).message().contains("4 decimal places"), e.errors().get(0).message());
        }

        @Test
        void taxRateWithFourDecimalsIsAccepted() {
            InvoiceRequest r = parse(json(VALID, b -> line(b, 0).put("taxRate", "8.1234")));

            assertEquals(new BigDecimal("8.1234"), r.lineItems().get(0).taxRate());
        }

        @Test
        void negativeTaxRateIsRefused() {
            assertOnlyError(rejected(b -> line(b, 0).put("taxRate", "-1")), "lineItems[0].taxRate");
        }

        @Test
        void taxRateAsAJsonNumberIsRefused() {
            assertOnlyError(rejected(b -> line(b, 0).put("taxRate", new BigDecimal("8.25"))), "lineItems[0].taxRate");
        }

        @Test
        void missingDescriptionIsRequired() {
            assertOnlyError(rejected(b -> line(b, 1).remove("description")), "lineItems[1].description");
        }

        @Test
        void blankDescriptionIsRefused() {
            assertOnlyError(rejected(b -> line(b, 1).put("description", "   ")), "lineItems[1].description");
        }
    }

    @Nested
    class EarlyPaymentDiscount {
        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"0", "-1", "100", "99.991", "2.12345", "two"})
        void percentOutsideAboveZeroToBelowOneHundredIsRefused(String percent) {
            assertOnlyError(rejected(b -> early(b).put("percent", percent)), "earlyPaymentDiscount.percent");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"0.0001", "2", "99.99"})
        void percentWithinBoundsIsAccepted(String percent) {
            InvoiceRequest r = parse(json(VALID, b -> early(b).put("percent", percent)));

            assertEquals(new BigDecimal(percent), r.earlyPaymentDiscount().percent());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {0, -3, 366})
        void withinDaysOutsideOneToAYearIsRefused(int days) {
            assertOnlyError(rejected(b -> early(b).put("withinDays", days)), "earlyPaymentDiscount.withinDays");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(ints = {1, 365})
        void withinDaysAtTheBoundsIsAccepted(int days) {
            InvoiceRequest r = parse(json(VALID, b -> early(b).put("withinDays", days)));

            assertEquals(days, r.earlyPaymentDiscount().withinDays());
        }

        @Test
        void missingPercentIsRequired() {
            assertOnlyError(rejected(b -> early(b).remove("percent")), "earlyPaymentDiscount.percent");
        }

        @Test
        void discountThatIsNotAnObjectIsRefused() {
            assertOnlyError(rejected(b -> b.put("earlyPaymentDiscount", "2%")), "earlyPaymentDiscount");
        }
    }

    @Nested
    class PaymentUrl {
        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"ftp://pay.example.com/i/77", "pay.example.com/i/77", "/i/77", "https://",
                "javascript:alert(1)", "https://pay example.com/"})
        void paymentUrlThatIsNotAnAbsoluteWebUrlIsRefused(String url) {
            assertOnlyError(rejected(b -> b.put("paymentUrl", url)), "paymentUrl");
        }
    }

    private static void fillLines(ObjectNode body, int count) {
        ArrayNode lines = body.putArray("lineItems");
        for (int i = 0; i < count; i++) {
            lines.addObject().put("description", "Item " + i).put("quantity", "1").put("unitAmount", 100);
        }
    }
}
