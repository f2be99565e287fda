package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accounts-receivable aging as of any date (SPEC §8), reproducible: it reads only what each invoice records with
 * its own time (payments' provider times, the closing time), never its current balance, so a report for a past
 * date gives the same figures however much has happened since. Pure: no clock, no I/O.
 *
 * <p>Each invoice is read in its own {@code timeZone} (the customer's at issue; UTC when absent): "as of
 * 2026-11-30" means up to the end of 2026-11-30 in that zone, and days overdue are counted between its local due
 * date and {@code asOf}.
 */
public final class Aging {
    private Aging() {
    }

    /**
     * Amount due on asOf (payments, refunds, credits dated after asOf do not count) by days overdue: current = not
     * yet due incl. due today; 1-30 … inclusive boundaries (30 → 1-30, 31 → 31-60). Invoices issued after asOf,
     * VOID, and UNCOLLECTIBLE written off on or before asOf are left out. Dates in each invoice's own timeZone.
     * Invoices of other currencies are ignored; customers with nothing due get no row. Pure.
     *
     * <p>VOID invoices are left out whenever they were voided: a void cancels the invoice as if never issued (and
     * the table keeps no receivable index entry for it), unlike a write-off, which was receivable until then.
     */
    public static AgingReport compute(LocalDate asOf, String currency, List<Invoice> invoices) {
        Map<String, AgingRow> byCustomer = new TreeMap<>();
        for (Invoice inv : invoices) {
            if (!currency.equals(inv.currency()) || !isReceivable(inv, asOf)) {
                continue;
            }
            long due = amountDueAsOf(inv, asOf);
            if (due <= 0) {
                continue;
            }
            long daysOverdue = ChronoUnit.DAYS.between(LocalDate.parse(inv.dueDate()), asOf);
            byCustomer.merge(inv.customerId(), AgingRow.empty(inv.customerId()).plus(daysOverdue, due), AgingRow::plus);
        }
        AgingRow totals = byCustomer.values().stream().reduce(AgingRow.empty(null), AgingRow::plus);
        return new AgingReport(asOf, currency, totals, List.copyOf(byCustomer.values()));
    }

    /**
     * The amount due of one invoice as of asOf's end in its time zone (total − payments paid by then − a cash
     * discount taken by then), never below zero. Refunds do not reopen what was paid (SPEC §4: a refund is recorded
     * against a paid invoice), and overpayment credit is what was paid beyond the total, so neither changes it;
     * reward credits applied at creation are already in {@code total}.
     */
    public static long amountDueAsOf(Invoice inv, LocalDate asOf) {
        Instant end = endOf(asOf, inv);
        long paid = 0;
        for (Invoice.Payment p : inv.payments()) {
            if (Instant.parse(p.paidAt()).isBefore(end)) {
                paid += p.amount();
            }
        }
        // The cash discount is taken at the payment that settled the invoice, which is when it closed.
        long discount = inv.cashDiscountTaken() > 0 && closedBefore(inv, end) ? inv.cashDiscountTaken() : 0;
        return Math.max(0, inv.total() - paid - discount);
    }

    /** Issued by asOf, not void, and not written off by the end of asOf. */
    static boolean isReceivable(Invoice inv, LocalDate asOf) {
        if (inv.status() == InvoiceStatus.VOID || LocalDate.parse(inv.issueDate()).isAfter(asOf)) {
            return false;
        }
        return inv.status() != InvoiceStatus.UNCOLLECTIBLE || !closedBefore(inv, endOf(asOf, inv));
    }

    private static boolean closedBefore(Invoice inv, Instant end) {
        return inv.closedAt() != null && Instant.parse(inv.closedAt()).isBefore(end);
    }

    /** The first instant after asOf in the invoice's zone. */
    static Instant endOf(LocalDate asOf, Invoice inv) {
        return asOf.plusDays(1).atStartOfDay(zone(inv)).toInstant();
    }

    static ZoneId zone(Invoice inv) {
        return ZoneId.of(inv.timeZone() == null || inv.timeZone().isBlank() ? "UTC" : inv.timeZone());
    }
}
