package dev.invoiceloyalty.mail;

import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.AppliedCredit;
import dev.invoiceloyalty.domain.CreditLot;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Fixtures;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceFactory;
import dev.invoiceloyalty.domain.InvoiceRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmailsTest {
    private static final String BUSINESS = "Northwind Supplies";
    private static final Instant NOW = Instant.parse("2026-11-01T09:00:00Z");

    private final ProgramConfig config = ProgramConfig.defaults();
    private final Emails emails = new Emails(config, BUSINESS);
    private final Customer ada = Fixtures.customer("cust-42", "en", "Europe/London", "BRONZE");
    private final Customer jonas = Fixtures.customer("cust-43", "de-AT", "Europe/Vienna", "BRONZE");

    private static String spaces(String s) {
        return s.replace('\u00a0', ' ').replace('\u202f', ' ');
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    /** An invoice of 2 × 1,000.00 USD at 10% tax (2,200.00), optionally with credit and cash-discount terms. */
    private Invoice invoice(Customer customer, List<CreditLot> lots, InvoiceRequest.EarlyDiscount early,
                           String paymentUrl) {
        var request = new InvoiceRequest(customer.customerId(), "USD", LocalDate.of(2026, 11, 1), null, null,
                List.of(new InvoiceRequest.Line("Consulting", new BigDecimal("2"), 100_000, new BigDecimal("10"))),
                null, early, paymentUrl);
        var factory = new InvoiceFactory(config);
        var issue = request.issueDate();
        var lines = InvoiceFactory.lines(request);
        var credits = AppliedCredit.apply(lots, InvoiceFactory.gross(lines));
        return factory.create("inv-7", "INV-2026-000007", request, customer, issue, factory.dueDate(request, issue),
                lines, credits, NOW);
    }

    private Invoice plainInvoice(Customer customer) {
        return invoice(customer, List.of(), null, null);
    }

    @Nested
    class Welcome {
        @Test
        void welcomeHasAStableIdPerCustomer() {
            assertEquals("welcome#cust-42", emails.welcome(ada).emailId());
            assertEquals(emails.welcome(ada).emailId(), emails.welcome(ada).emailId());
        }

        @Test
        void welcomeGoesToTheCustomerInTheirLanguage() {
            MailMessage m = emails.welcome(jonas);

            assertAll(
                    () -> assertEquals("welcome", m.template()),
                    () -> assertEquals(List.of("ada@example.com"), m.to()),
                    () -> assertTrue(m.cc().isEmpty()),
                    () -> assertEquals("de-AT", m.language()),
                    () -> assertEquals("cust-43", m.customerId()));
        }

        @Test
        void welcomeModelHoldsTheKeysTheTemplateUses() {
            Map<String, Object> model = emails.welcome(ada).model();

            assertAll(
                    () -> assertEquals("Ada Lovelace", model.get("customerName")),
                    () -> assertEquals(BUSINESS, model.get("businessName")),
                    () -> assertEquals(30, model.get("paymentTermsDays")),
                    () -> assertTrue(model.get("rewards") instanceof Map, "rewards section"));
        }

        @Test
        void welcomeStatesTheRewardProgramFromTheConfiguration() {
            Map<String, Object> rewards = map(emails.welcome(ada).model().get("rewards"));

            assertAll(
                    () -> assertEquals(List.of(Map.of("withinDays", 7, "percent", "2"),
                            Map.of("withinDays", 10, "percent", "1")), rewards.get("earlyPaymentTiers")),
                    () -> assertEquals(10, rewards.get("pointsPerMajorUnits")),
                    () -> assertEquals("10,000.00", rewards.get("largeInvoiceThreshold")),
                    () -> assertEquals(500, rewards.get("largeInvoiceBonusPoints")),
                    () -> assertEquals(6, rewards.get("streakLength")),
                    () -> assertEquals(1000, rewards.get("streakBonusPoints")),
                    () -> assertEquals(100, rewards.get("redemptionPoints")));
        }

        @Test
        void welcomeThresholdIsFormattedInTheCustomersLanguage() {
            Customer greta = Fixtures.customer("cust-44", "de", "Europe/Berlin", "BRONZE");

            Map<String, Object> rewards = map(emails.welcome(greta).model().get("rewards"));

            assertEquals("10.000,00", spaces((String) rewards.get("largeInvoiceThreshold")));
        }
    }

    @Nested
    class InvoiceIssued {
        @Test
        void invoiceIssuedHasAStableIdPerInvoice() {
            MailMessage m = emails.invoiceIssued(plainInvoice(ada), ada);

            assertEquals("invoice-issued#inv-7", m.emailId());
            assertEquals("invoice-issued", m.template());
            assertEquals("inv-7", m.invoiceId());
        }

        @Test
        void invoiceIssuedGoesToTheCustomerInTheirLanguage() {
            MailMessage m = emails.invoiceIssued(plainInvoice(jonas), jonas);

            assertEquals(List.of("ada@example.com"), m.to());
            assertEquals("de-AT", m.language());
            assertEquals("cust-43", m.customerId());
        }

        @Test
        void invoiceIssuedModelHoldsFormattedAmountsAndDates() {
            Map<String, Object> model = emails.invoiceIssued(plainInvoice(ada), ada).model();

            assertAll(
                    () -> assertEquals("Ada Lovelace", model.get("customerName")),
                    () -> assertEquals(BUSINESS, model.get("businessName")),
                    () -> assertEquals("INV-2026-000007", model.get("invoiceNumber")),
                    () -> assertEquals("Nov 1, 2026", spaces((String) model.get("issueDate"))),
                    () -> assertEquals("Dec 1, 2026", spaces((String) model.get("dueDate"))),
                    () -> assertEquals("USD", model.get("currency")),
                    () -> assertEquals("2,000.00", model.get("subtotal")),
                    () -> assertEquals("200.00", model.get("tax")),
                    () -> assertEquals("2,200.00", model.get("total")),
                    () -> assertEquals("2,200.00", model.get("amountDue")));
        }

        @Test
        void invoiceIssuedFormatsForTheCustomersLanguage() {
            Map<String, Object> model = emails.invoiceIssued(plainInvoice(jonas), jonas).model();

            // Austrian German groups thousands with a (no-break) space, as CLDR prescribes for de-AT.
            assertEquals("01.11.2026", spaces((String) model.get("issueDate")));
            assertTrue(spaces((String) model.get("total")).equals("2 200,00"), (String) model.get("total"));
        }

        @Test
        void invoiceIssuedListsLineItemsWithTheKeysTheTemplateUses() {
            List<Map<String, Object>> lines = list(emails.invoiceIssued(plainInvoice(ada), ada).model().get("lineItems"));

            assertEquals(List.of(Map.of("description", "Consulting", "quantity", "2", "unitAmount", "1,000.00",
                    "amount", "2,000.00")), lines);
        }

        @Test
        void invoiceWithoutCreditsHasNoDiscountsSectionAndNoOptionalSections() {
            Map<String, Object> model = emails.invoiceIssued(plainInvoice(ada), ada).model();

            assertEquals(false, model.get("hasDiscounts"));
            assertEquals(List.of(), model.get("discounts"));
            assertFalse(model.containsKey("paymentUrl"));
            assertFalse(model.containsKey("earlyPaymentDiscount"));
        }

        @Test
        void appliedCreditsAreListedAsDiscounts() {
            var lot = new CreditLot("ledger-1", "USD", 5_000, "2027-06-01T00:00:00Z");
            Invoice inv = invoice(ada, List.of(lot), null, null);

            Map<String, Object> model = emails.invoiceIssued(inv, ada).model();

            assertEquals(true, model.get("hasDiscounts"));
            assertEquals(List.of(Map.of("description", "Reward credit", "amount", "50.00")), model.get("discounts"));
            assertEquals("2,150.00", model.get("total"));
        }

        @Test
        void paymentLinkIsPassedWhenTheInvoiceHasOne() {
            Invoice inv = invoice(ada, List.of(), null, "https://pay.example.com/i/7");

            assertEquals("https://pay.example.com/i/7",
                    emails.invoiceIssued(inv, ada).model().get("paymentUrl"));
        }

        @Test
        void cashDiscountTermsTellTheMinimumPaymentAndTheDate() {
            Invoice inv = invoice(ada, List.of(), new InvoiceRequest.EarlyDiscount(new BigDecimal("2.5"), 10), null);

            Map<String, Object> terms = map(emails.invoiceIssued(inv, ada).model().get("earlyPaymentDiscount"));

            assertAll(
                    () -> assertEquals("2.5", terms.get("percent")),
                    () -> assertEquals(10, terms.get("withinDays")),
                    () -> assertEquals("Nov 11, 2026", spaces((String) terms.get("payByDate"))),
                    () -> assertEquals("2,145.00", terms.get("amount")));
        }

        @Test
        void rewardOfferStatesWhatPayingEarlyOrOnTimeEarns() {
            Map<String, Object> offer = map(emails.invoiceIssued(plainInvoice(ada), ada).model().get("rewardOffer"));

            assertAll(
                    () -> assertEquals(List.of(
                            Map.of("payByDate", "Nov 8, 2026", "percent", "2", "amount", "44.00"),
                            Map.of("payByDate", "Nov 11, 2026", "percent", "1", "amount", "22.00")),
                            offer.get("earlyCredits")),
                    () -> assertEquals(220L, offer.get("onTimePoints")),
                    () -> assertEquals("Dec 1, 2026", spaces((String) offer.get("onTimeByDate"))),
                    () -> assertEquals(0, offer.get("largeInvoiceBonusPoints")));
        }
    }
}
