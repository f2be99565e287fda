package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.domain.Escalation;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.domain.InvoiceTransitions;
import dev.invoiceloyalty.domain.RewardOffer;
import dev.invoiceloyalty.payments.PaymentApplication;
import dev.invoiceloyalty.payments.ProviderEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgingTest {
    static final LocalDate AS_OF = LocalDate.parse("2026-12-31");

    // --- buckets -----------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} days overdue is in {1}")
    @CsvSource({"-5, current", "0, current", "1, 1-30", "30, 1-30", "31, 31-60", "60, 31-60", "61, 61-90",
            "90, 61-90", "91, 90+", "400, 90+"})
    void anInvoiceFallsInTheBucketOfItsDaysOverdueWithInclusiveBoundaries(int daysOverdue, String bucket) {
        // GIVEN an open invoice of 100.00 due daysOverdue days before the as-of date
        Invoice inv = invoice("inv-1", "c1", "USD", "2026-01-01", AS_OF.minusDays(daysOverdue).toString(), 10_000, "UTC");

        // WHEN the aging is computed
        AgingReport report = Aging.compute(AS_OF, "USD", List.of(inv));

        // THEN the whole amount is in that bucket, and only there
        Map<String, Long> expected = new java.util.LinkedHashMap<>(Map.of("current", 0L, "1-30", 0L, "31-60", 0L,
                "61-90", 0L, "90+", 0L));
        expected.put(bucket, 10_000L);
        assertEquals(expected, report.customers().get(0).buckets());
        assertEquals(expected, report.totals().buckets());
    }

    // --- what counts as of the date ------------------------------------------------------------------------------

    @Test
    void anInvoiceIssuedAfterTheAsOfDateIsLeftOut() {
        Invoice later = invoice("inv-1", "c1", "USD", "2027-01-01", "2027-01-31", 10_000, "UTC");

        AgingReport report = Aging.compute(AS_OF, "USD", List.of(later));

        assertTrue(report.customers().isEmpty());
        assertEquals(0, report.totals().total());
    }

    @Test
    void anInvoiceIssuedOnTheAsOfDateIsCurrent() {
        Invoice today = invoice("inv-1", "c1", "USD", "2026-12-31", "2027-01-30", 10_000, "UTC");

        assertEquals(10_000, Aging.compute(AS_OF, "USD", List.of(today)).totals().current());
    }

    @Test
    void aPaymentAfterTheAsOfDateDoesNotCount() {
        Invoice inv = pay(invoice("inv-1", "c1", "USD", "2026-11-01", "2026-12-01", 10_000, "UTC"),
                4_000, "2027-01-01T00:00:00Z");

        assertEquals(10_000, Aging.amountDueAsOf(inv, AS_OF));
        assertEquals(10_000, Aging.compute(AS_OF, "USD", List.of(inv)).totals().days1to30());
    }

    @Test
    void aPaymentLateOnTheAsOfDateInTheCustomersZoneCountsThoughItIsTheNextDayInUtc() {
        // 23:30 on 31 December in Los Angeles is 07:30 on 1 January UTC
        Invoice inv = pay(invoice("inv-1", "c1", "USD", "2026-11-01", "2026-12-01", 10_000, "America/Los_Angeles"),
                4_000, "2027-01-01T07:30:00Z");

        assertEquals(6_000, Aging.amountDueAsOf(inv, AS_OF));
        assertEquals(6_000, Aging.compute(AS_OF, "USD", List.of(inv)).totals().days1to30());
    }

    @Test
    void partialPaymentsUpToTheAsOfDateReduceTheAmountDue() {
        Invoice inv = invoice("inv-1", "c1", "USD", "2026-10-01", "2026-10-31", 10_000, "UTC");
        inv = pay(inv, 2_500, "2026-11-05T10:00:00Z");
        inv = pay(inv, 1_500, "2026-12-20T10:00:00Z");
        inv = pay(inv, 6_000, "2027-01-10T10:00:00Z");

        assertEquals(InvoiceStatus.PAID, inv.status());
        assertEquals(6_000, Aging.amountDueAsOf(inv, AS_OF));
        assertEquals(7_500, Aging.amountDueAsOf(inv, LocalDate.parse("2026-12-01")));
        assertEquals(0, Aging.amountDueAsOf(inv, LocalDate.parse("2027-01-10")));
        assertEquals(6_000, Aging.compute(AS_OF, "USD", List.of(inv)).totals().days61to90()); // 61 days overdue
    }

    @Test
    void anInvoicePaidAfterTheAsOfDateStillShowsWhatWasDueOnThatDate() {
        Invoice inv = pay(invoice("inv-1", "c1", "USD", "2026-11-01", "2026-12-01", 10_000, "UTC"),
                10_000, "2027-01-15T09:00:00Z");

        AgingReport report = Aging.compute(AS_OF, "USD", List.of(inv));

        assertEquals(InvoiceStatus.PAID, inv.status());
        assertEquals(new AgingRow("c1", 0, 10_000, 0, 0, 0), report.customers().get(0));
    }

    @Test
    void anInvoicePaidInFullByTheAsOfDateHasNoRow() {
        Invoice inv = pay(invoice("inv-1", "c1", "USD", "2026-11-01", "2026-12-01", 10_000, "UTC"),
                10_000, "2026-12-31T23:59:59Z");

        assertTrue(Aging.compute(AS_OF, "USD", List.of(inv)).customers().isEmpty());
    }

    @Test
    void aCashDiscountCountsOnlyOnceTakenByTheAsOfDate() {
        // 2% cash discount: 98.00 within the window settles 100.00 in full
        Invoice inv = invoice("inv-1", "c1", "USD", "2026-12-20", "2027-01-19", 10_000, "UTC");
        inv = withCashDiscount(inv, "2026-12-30", 200);
        Invoice paid = pay(inv, 9_800, "2026-12-30T12:00:00Z");

        assertEquals(200, paid.cashDiscountTaken());
        assertEquals(0, Aging.amountDueAsOf(paid, AS_OF));
        assertEquals(10_000, Aging.amountDueAsOf(paid, LocalDate.parse("2026-12-29")));
    }

    @Test
    void aRefundAfterTheAsOfDateChangesNothing() {
        Invoice inv = pay(invoice("inv-1", "c1", "USD", "2026-11-01", "2026-12-01", 10_000, "UTC"),
                4_000, "2026-12-10T09:00:00Z");
        Invoice refunded = PaymentApplication.applyRefund(inv, new ProviderEvent.Refund("stripe", "evt_r", "re_1",
                "pi_inv-1_4000", 4_000, false, "USD", "inv-1", Instant.parse("2027-01-05T09:00:00Z")),
                Instant.parse("2027-01-05T09:00:00Z")).invoice();

        assertEquals(Aging.compute(AS_OF, "USD", List.of(inv)), Aging.compute(AS_OF, "USD", List.of(refunded)));
    }

    @Test
    void aVoidInvoiceIsLeftOut() {
        Invoice inv = InvoiceTransitions.apply(invoice("inv-1", "c1", "USD", "2026-11-01", "2026-12-01", 10_000, "UTC"),
                InvoiceTransitions.Action.VOID, null, "UTC", Instant.parse("2027-01-05T09:00:00Z"));

        assertTrue(Aging.compute(AS_OF, "USD", List.of(inv)).customers().isEmpty());
    }

    @Test
    void anInvoiceWrittenOffAfterTheAsOfDateIsStillReceivableOnIt() {
        Invoice open = invoice("inv-1", "c1", "USD", "2026-08-01", "2026-08-31", 10_000, "UTC");
        Invoice writtenOff = InvoiceTransitions.apply(open, InvoiceTransitions.Action.MARK_UNCOLLECTIBLE, null, "UTC",
                Instant.parse("2027-01-05T09:00:00Z"));

        assertEquals(10_000, Aging.compute(AS_OF, "USD", List.of(writtenOff)).totals().days90plus()); // 122 days
        assertTrue(Aging.compute(LocalDate.parse("2027-01-05"), "USD", List.of(writtenOff)).customers().isEmpty());
    }

    // --- currencies, zones, customers ----------------------------------------------------------------------------

    @Test
    void eachCurrencyIsReportedSeparately() {
        List<Invoice> invoices = List.of(
                invoice("inv-1", "c1", "USD", "2026-12-01", "2026-12-31", 10_000, "UTC"),
                invoice("inv-2", "c1", "EUR", "2026-12-01", "2026-12-31", 7_000, "UTC"),
                invoice("inv-3", "c2", "JPY", "2026-12-01", "2026-12-31", 5_000, "UTC"));

        assertEquals(new AgingRow(null, 10_000, 0, 0, 0, 0), Aging.compute(AS_OF, "USD", invoices).totals());
        assertEquals(new AgingRow(null, 7_000, 0, 0, 0, 0), Aging.compute(AS_OF, "EUR", invoices).totals());
        assertEquals(List.of("c2"), Aging.compute(AS_OF, "JPY", invoices).customers().stream()
                .map(AgingRow::customerId).toList());
    }

    @Test
    void anAucklandCustomersPaymentIsDatedByItsLocalDate() {
        // 12:00 UTC on 31 December is 01:00 on 1 January in Auckland (NZDT, UTC+13)
        String paidAt = "2026-12-31T12:00:00Z";
        Invoice auckland = pay(invoice("inv-1", "nz", "USD", "2026-11-01", "2026-12-01", 10_000, "Pacific/Auckland"),
                10_000, paidAt);
        Invoice london = pay(invoice("inv-2", "uk", "USD", "2026-11-01", "2026-12-01", 10_000, "Europe/London"),
                10_000, paidAt);

        AgingReport report = Aging.compute(AS_OF, "USD", List.of(auckland, london));

        assertEquals(List.of(new AgingRow("nz", 0, 10_000, 0, 0, 0)), report.customers());
        assertEquals(0, Aging.amountDueAsOf(auckland, LocalDate.parse("2027-01-01")));
    }

    @Test
    void customersAreSortedByIdAndTheTotalsAreTheirSum() {
        List<Invoice> invoices = List.of(
                invoice("inv-1", "c2", "USD", "2026-12-01", "2026-12-31", 1_000, "UTC"),
                invoice("inv-2", "c1", "USD", "2026-09-15", "2026-10-15", 2_000, "UTC"),
                invoice("inv-3", "c1", "USD", "2026-12-01", "2027-01-15", 3_000, "UTC"),
                invoice("inv-4", "c3", "USD", "2026-01-01", "2026-02-01", 4_000, "UTC"));

        AgingReport report = Aging.compute(AS_OF, "USD", invoices);

        assertEquals(List.of(new AgingRow("c1", 3_000, 0, 0, 2_000, 0), new AgingRow("c2", 1_000, 0, 0, 0, 0),
                new AgingRow("c3", 0, 0, 0, 0, 4_000)), report.customers());
        assertEquals(new AgingRow(null, 4_000, 0, 0, 2_000, 4_000), report.totals());
        assertEquals(10_000, report.totals().total());
    }

    @Test
    void theJsonHasSpecsShapeAndExactBucketKeys() {
        AgingReport report = Aging.compute(AS_OF, "USD",
                List.of(invoice("inv-1", "c1", "USD", "2026-11-01", "2026-12-01", 10_000, "UTC")));

        Map<String, Object> json = report.toJson();

        assertEquals(List.of("asOf", "currency", "totals", "customers"), List.copyOf(json.keySet()));
        assertEquals("2026-12-31", json.get("asOf"));
        assertEquals("USD", json.get("currency"));
        assertEquals(List.of("current", "1-30", "31-60", "61-90", "90+"),
                List.copyOf(((Map<?, ?>) json.get("totals")).keySet()));
        Map<?, ?> row = (Map<?, ?>) ((List<?>) json.get("customers")).get(0);
        assertEquals(List.of("customerId", "current", "1-30", "31-60", "61-90", "90+"), List.copyOf(row.keySet()));
        assertEquals(10_000L, row.get("1-30"));
        assertNull(report.totals().customerId());
    }

    // --- fixtures ------------------------------------------------------------------------------------------------

    static Invoice invoice(String id, String customerId, String currency, String issueDate, String dueDate, long total,
                           String timeZone) {
        String createdAt = issueDate + "T09:00:00Z";
        return new Invoice(id, "INV-2026-" + id, customerId, currency, InvoiceStatus.OPEN, issueDate, dueDate,
                List.of(new Invoice.LineItem("Work", "1", total, "0", total, 0)), total, 0, List.of(), total, 0, total,
                0, List.of(), List.of(), List.of(), false, Escalation.NONE, null, null, null, null,
                new RewardOffer(List.of(), null, 0), createdAt, createdAt, null, timeZone, 0, 0, List.of());
    }

    /** The invoice after a provider payment, through the production payment rules. */
    static Invoice pay(Invoice inv, long amount, String paidAt) {
        var event = new ProviderEvent.PaymentSucceeded("stripe", "evt_" + inv.invoiceId() + "_" + paidAt,
                "pi_" + inv.invoiceId() + "_" + amount + "_" + paidAt, amount, inv.currency(), inv.invoiceId(),
                Instant.parse(paidAt));
        return PaymentApplication.applyPayment(inv, true, event, List.of(), Instant.parse(paidAt)).invoice();
    }

    static Invoice withCashDiscount(Invoice inv, String payBy, long discount) {
        return new Invoice(inv.invoiceId(), inv.number(), inv.customerId(), inv.currency(), inv.status(),
                inv.issueDate(), inv.dueDate(), inv.lineItems(), inv.subtotal(), inv.tax(), inv.discounts(), inv.total(),
                inv.amountPaid(), inv.amountDue(), inv.amountRefunded(), inv.payments(), inv.refunds(), inv.reminders(),
                inv.disputed(), inv.escalation(), inv.remindersPausedUntil(),
                new Invoice.EarlyPaymentDiscount("2", 10, payBy, discount, inv.total() - discount), inv.paymentUrl(),
                inv.externalReference(), inv.rewardOffer(), inv.createdAt(), inv.updatedAt(), inv.closedAt(),
                inv.timeZone(), inv.cashDiscountTaken(), inv.amountCredited(), inv.disputes());
    }
}
