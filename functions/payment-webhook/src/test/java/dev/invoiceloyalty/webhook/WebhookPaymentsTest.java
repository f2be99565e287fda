package dev.invoiceloyalty.webhook;

import dev.invoiceloyalty.adapters.DynamoDbPaymentStore;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.mail.MoneyFormat;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.invoiceloyalty.webhook.WebhookHarness.NOW;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC §5 money rules: partial payments, overpayment → credit, the cash discount, unapplied payments, late payments. */
class WebhookPaymentsTest {
    private static final String INV = "inv_pay";
    private WebhookHarness h;

    @BeforeEach
    void customer() {
        h = new WebhookHarness();
        h.createCustomer();
    }

    private WebhookHarness.Response pay(String eventId, String pi, long amount, Instant at) {
        return pay(eventId, pi, amount, "EUR", INV, at);
    }

    private WebhookHarness.Response pay(String eventId, String pi, long amount, String currency, String invoiceId,
                                        Instant at) {
        var r = h.stripe(WebhookHarness.stripePayment(eventId, pi, amount, currency, invoiceId, at));
        assertEquals(200, r.status(), r.body());
        return r;
    }

    // --- partial payments ----------------------------------------------------------------------------------------

    @Test
    void givenAnOpenInvoiceWhenLessThanTheTotalIsPaidThenItIsPartiallyPaidWithTheRestDue() {
        h.createInvoice(INV);

        var r = pay("evt_p1", "pi_p1", 4000, NOW);

        Invoice inv = h.invoice(INV);
        assertAll(
                () -> assertEquals("partially_paid", r.outcome()),
                () -> assertEquals(InvoiceStatus.PARTIALLY_PAID, inv.status()),
                () -> assertEquals(4000, inv.amountPaid()),
                () -> assertEquals(7000, inv.amountDue()),
                () -> assertNull(inv.closedAt()),
                () -> assertEquals("payment-recorded", h.dedup("stripe", "evt_p1").get("outcome").s()));
    }

    @Test
    void givenAnOpenInvoiceWhenLessThanTheTotalIsPaidThenNeitherPaymentRecordedNorTheThankYouEmailIsSent() {
        h.createInvoice(INV);

        pay("evt_p1", "pi_p1", 4000, NOW);

        assertEquals(List.of(), h.paymentMessages());
        assertEquals(List.of(), h.mailMessages());
        assertEquals(Set.of("PaymentRecorded " + INV), h.distinctBusEvents(), "the integration event of each payment");
    }

    @Test
    void givenAPartiallyPaidInvoiceWhenTheRestIsPaidThenItIsPaidAndClosedAtTheLaterProviderTime() {
        h.createInvoice(INV);
        Instant later = Instant.parse("2026-11-22T08:30:00Z");
        Instant earlier = Instant.parse("2026-11-22T08:00:00Z");
        pay("evt_p1", "pi_p1", 4000, later);

        // the second delivery carries the earlier provider time: events arrive in any order
        var r = pay("evt_p2", "pi_p2", 7000, earlier);

        Invoice inv = h.invoice(INV);
        assertAll(
                () -> assertEquals("paid", r.outcome()),
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(11000, inv.amountPaid()),
                () -> assertEquals(0, inv.amountDue()),
                () -> assertEquals(later.toString(), inv.closedAt()),
                () -> assertEquals(2, inv.payments().size()),
                () -> assertEquals(Set.of("PaymentRecorded#" + INV), h.distinctPaymentMessageIds()),
                () -> assertEquals(later.toString(), h.paymentMessages().get(0).path("paidAt").asText()),
                () -> assertEquals(Set.of("payment-received#" + INV), h.distinctThankYouIds()));
    }

    // --- overpayment -----------------------------------------------------------------------------------------------

    @Test
    void givenAnOpenInvoiceWhenMoreThanTheTotalIsPaidThenItIsPaidAndTheExcessIsCredited() {
        h.createInvoice(INV);

        pay("evt_over", "pi_over", 11500, NOW);

        Invoice inv = h.invoice(INV);
        assertAll(
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(11500, inv.amountPaid()),
                () -> assertEquals(0, inv.amountDue()),
                () -> assertEquals(500, inv.amountCredited()));
    }

    @Test
    void givenAnOverpaymentThenTheCustomerGetsACreditLotALedgerEntryAndTheCachedBalance() {
        h.createInvoice(INV);

        pay("evt_over", "pi_over", 11500, NOW);

        String entryId = "overpayment#" + INV + "#pi_over";
        List<Map<String, AttributeValue>> lots = h.customerItems(Keys.creditLotPrefix("EUR"));
        List<Map<String, AttributeValue>> ledger = h.customerItems(Keys.LEDGER_PREFIX);
        assertAll(
                () -> assertEquals(1, lots.size()),
                () -> assertEquals(entryId, lots.get(0).get("entryId").s()),
                () -> assertEquals("500", lots.get(0).get("amount").n()),
                () -> assertEquals("500", lots.get(0).get("remaining").n()),
                () -> assertEquals(1, ledger.size()),
                () -> assertEquals("OVERPAYMENT_CREDIT", ledger.get(0).get("entryType").s()),
                () -> assertEquals(entryId, ledger.get(0).get("entryId").s()),
                () -> assertEquals("500", ledger.get(0).get("amount").n()),
                () -> assertEquals("EUR", ledger.get(0).get("currency").s()),
                () -> assertEquals(INV, ledger.get(0).get("invoiceId").s()),
                () -> assertEquals(Map.of("EUR", 500L), h.customer().loyalty().credits()),
                () -> assertEquals(List.of(entryId), h.customers.openCreditLots(WebhookHarness.CUSTOMER, "EUR", WebhookHarness.NOW).stream()
                        .map(l -> l.entryId()).toList(), "the next invoice can spend it"));
    }

    @Test
    void givenAnOverpaymentThenTheThankYouEmailMentionsTheCredit() {
        h.createInvoice(INV);

        pay("evt_over", "pi_over", 11500, NOW);

        var thanks = h.thankYouEmails();
        assertEquals(1, thanks.size());
        assertEquals(MoneyFormat.money(500, "EUR", h.customer().language()), thanks.get(0).model().get("credited"),
                thanks.get(0).toString());
        assertEquals(500, h.paymentMessages().get(0).path("credited").asLong(), "PaymentRecorded carries the credit");
    }

    @Test
    void givenAPaidInvoiceWhenALatePaymentArrivesThenItStaysPaidAndTheWholePaymentIsCredit() {
        h.createInvoice(INV);
        pay("evt_first", "pi_first", 11000, NOW.minusSeconds(600));
        String closedAt = h.invoice(INV).closedAt();

        pay("evt_late", "pi_late", 5000, NOW);

        Invoice inv = h.invoice(INV);
        assertAll(
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(16000, inv.amountPaid()),
                () -> assertEquals(0, inv.amountDue()),
                () -> assertEquals(5000, inv.amountCredited()),
                () -> assertEquals(closedAt, inv.closedAt()),
                () -> assertEquals(Map.of("EUR", 5000L), h.customer().loyalty().credits()),
                () -> assertEquals(Set.of("PaymentRecorded#" + INV), h.distinctPaymentMessageIds(), "paid once"),
                () -> assertEquals(1, h.thankYouEmails().size(), "thanked once"));
    }

    // --- cash discount ---------------------------------------------------------------------------------------------

    private static final String TWO_PERCENT_10_DAYS = ",\"earlyPaymentDiscount\":{\"percent\":\"2\",\"withinDays\":10}";

    @Test
    void givenA2PercentCashDiscountWhenTheMinimumIsPaidInsideTheWindowThenTheInvoiceIsPaidWithTheDiscountTaken() {
        Invoice created = h.createInvoice(INV, "EUR", LocalDate.parse("2026-11-20"), TWO_PERCENT_10_DAYS);
        assertEquals(10780, created.earlyPaymentDiscount().minimumPayment());

        pay("evt_cd", "pi_cd", 10780, NOW);

        Invoice inv = h.invoice(INV);
        assertAll(
                () -> assertEquals(InvoiceStatus.PAID, inv.status()),
                () -> assertEquals(10780, inv.amountPaid()),
                () -> assertEquals(0, inv.amountDue()),
                () -> assertEquals(220, inv.cashDiscountTaken()),
                () -> assertEquals(0, inv.amountCredited()),
                () -> assertEquals(Set.of("PaymentRecorded#" + INV), h.distinctPaymentMessageIds()),
                () -> assertEquals(220, h.paymentMessages().get(0).path("cashDiscount").asLong()),
                () -> assertEquals(MoneyFormat.money(220, "EUR", h.customer().language()),
                        h.thankYouEmails().get(0).model().get("cashDiscount")));
    }

    @Test
    void givenA2PercentCashDiscountWhenTheMinimumIsPaidAfterTheWindowThenTheInvoiceIsOnlyPartiallyPaid() {
        h.createInvoice(INV, "EUR", LocalDate.parse("2026-11-01"), TWO_PERCENT_10_DAYS); // pay by 2026-11-11

        pay("evt_cd", "pi_cd", 10780, NOW);

        Invoice inv = h.invoice(INV);
        assertAll(
                () -> assertEquals(InvoiceStatus.PARTIALLY_PAID, inv.status()),
                () -> assertEquals(220, inv.amountDue()),
                () -> assertEquals(0, inv.cashDiscountTaken()),
                () -> assertEquals(List.of(), h.paymentMessages()));
    }

    @ParameterizedTest(name = "GIVEN pay-by 2026-11-11 (Europe/Berlin) WHEN paid at {0} THEN {1}")
    @CsvSource({
            "2026-11-11T22:59:59Z, PAID",            // 23:59:59 in Berlin, the last day
            "2026-11-11T23:00:00Z, PARTIALLY_PAID"   // 00:00 on the 12th in Berlin, though still the 11th in UTC
    })
    void givenACashDiscountWindowThenItsLastDayIsTheCustomersLocalDate(String paidAt, InvoiceStatus expected) {
        h.createInvoice(INV, "EUR", LocalDate.parse("2026-11-01"), TWO_PERCENT_10_DAYS);

        pay("evt_cd", "pi_cd", 10780, Instant.parse(paidAt));

        assertEquals(expected, h.invoice(INV).status());
    }

    @Test
    void givenA2PercentCashDiscountWhenTwoPaymentsInsideTheWindowReachTheMinimumThenTheInvoiceIsPaid() {
        h.createInvoice(INV, "EUR", LocalDate.parse("2026-11-20"), TWO_PERCENT_10_DAYS);
        pay("evt_cd1", "pi_cd1", 5000, NOW);

        pay("evt_cd2", "pi_cd2", 5780, NOW);

        Invoice inv = h.invoice(INV);
        assertEquals(InvoiceStatus.PAID, inv.status());
        assertEquals(220, inv.cashDiscountTaken());
    }

    // --- unapplied payments ----------------------------------------------------------------------------------------

    enum Unapplied { UNKNOWN_INVOICE, NO_INVOICE, CURRENCY_MISMATCH, INVOICE_VOID }

    @ParameterizedTest(name = "GIVEN a payment with {0} THEN it is kept as an unapplied payment")
    @EnumSource(Unapplied.class)
    void givenAPaymentThatMatchesNoOpenInvoiceOfItsCurrencyThenItIsKeptUnappliedAndTheInvoiceIsUnchanged(Unapplied why) {
        h.createInvoice(INV);
        if (why == Unapplied.INVOICE_VOID) {
            h.voidInvoice(INV);
        }
        var invoiceBefore = h.item(Keys.invoicePk(INV), Keys.INVOICE_SK);
        String invoiceId = switch (why) {
            case UNKNOWN_INVOICE -> "inv_does_not_exist";
            case NO_INVOICE -> null;
            default -> INV;
        };
        String currency = why == Unapplied.CURRENCY_MISMATCH ? "USD" : "EUR";

        var r = pay("evt_un", "pi_un", 11000, currency, invoiceId, NOW);

        var unapplied = h.unapplied();
        assertAll(
                () -> assertEquals("unapplied:" + why.name(), r.outcome()),
                () -> assertEquals(1, unapplied.size()),
                () -> assertEquals("stripe", unapplied.get(0).get("provider").s()),
                () -> assertEquals("pi_un", unapplied.get(0).get("paymentId").s()),
                () -> assertEquals("11000", unapplied.get(0).get("amount").n()),
                () -> assertEquals(currency, unapplied.get(0).get("currency").s()),
                () -> assertEquals(why.name(), unapplied.get(0).get("reason").s()),
                () -> assertEquals(invoiceId, unapplied.get(0).get("invoiceId").s()),
                () -> assertEquals(DynamoDbPaymentStore.UNAPPLIED, h.stub("stripe", "pi_un").get("invoiceId").s()),
                () -> assertEquals(invoiceBefore, h.item(Keys.invoicePk(INV), Keys.INVOICE_SK), "invoice unchanged"),
                () -> assertEquals(List.of(), h.paymentMessages()),
                () -> assertEquals(List.of(), h.mailMessages()),
                () -> assertEquals(List.of(), h.busEvents()));
    }

    @Test
    void givenAnUnappliedPaymentWhenItIsRedeliveredThenItIsKeptOnce() {
        pay("evt_un", "pi_un", 11000, "EUR", "inv_does_not_exist", NOW);

        var again = pay("evt_un", "pi_un", 11000, "EUR", "inv_does_not_exist", NOW);

        assertEquals("duplicate", again.outcome());
        assertEquals(1, h.unapplied().size());
    }

    // --- the same provider payment under two event ids ---------------------------------------------------------------

    @Test
    void givenASquarePaymentNotifiedTwiceUnderTwoEventIdsThenItIsRecordedOnce() {
        h.createInvoice(INV);
        h.square(WebhookHarness.squarePayment("sq_evt_1", "sq_pay_1", 4000, "EUR", INV, NOW));

        var second = h.square(WebhookHarness.squarePayment("sq_evt_2", "sq_pay_1", 4000, "EUR", INV, NOW.plusSeconds(1)));

        Invoice inv = h.invoice(INV);
        assertEquals(200, second.status());
        assertEquals("payment-already-recorded", second.outcome());
        assertEquals(1, inv.payments().size());
        assertEquals(4000, inv.amountPaid());
        assertNotNull(h.dedup("square", "sq_evt_2"));
    }
}
