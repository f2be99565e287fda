package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds a {@link CustomerStatement} from the customer's invoices. Pure; dates in each invoice's own zone, as {@link Aging}. */
public final class CustomerStatements {
    private CustomerStatements() {
    }

    /** True when the invoice was issued, paid or refunded in the month: the customer gets a statement. */
    public static boolean activeIn(Invoice inv, YearMonth month) {
        if (inv.status() != InvoiceStatus.VOID && YearMonth.from(LocalDate.parse(inv.issueDate())).equals(month)) {
            return true;
        }
        ZoneId zone = zone(inv);
        Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        return inv.payments().stream().anyMatch(p -> within(p.paidAt(), from, to))
                || inv.refunds().stream().anyMatch(r -> within(r.refundedAt(), from, to));
    }

    public static CustomerStatement build(Customer customer, YearMonth month, List<Invoice> invoices) {
        LocalDate before = month.atDay(1).minusDays(1);
        LocalDate last = month.atEndOfMonth();
        Map<String, List<Invoice>> byCurrency = new TreeMap<>();
        invoices.forEach(i -> byCurrency.computeIfAbsent(i.currency(), c -> new ArrayList<>()).add(i));
        List<CustomerStatement.Section> sections = new ArrayList<>();
        for (var e : byCurrency.entrySet()) {
            String cur = e.getKey();
            List<Invoice> list = e.getValue();
            long opening = Aging.compute(before, cur, list).totals().total();
            AgingRow closingAging = Aging.compute(last, cur, list).totals();
            long closing = closingAging.total();
            List<CustomerStatement.Line> issued = new ArrayList<>();
            List<CustomerStatement.Line> payments = new ArrayList<>();
            for (Invoice inv : list) {
                if (inv.status() != InvoiceStatus.VOID && YearMonth.from(LocalDate.parse(inv.issueDate())).equals(month)) {
                    issued.add(new CustomerStatement.Line(inv.number(), inv.issueDate(), inv.dueDate(), inv.total()));
                }
                ZoneId zone = zone(inv);
                Instant from = month.atDay(1).atStartOfDay(zone).toInstant();
                Instant to = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
                for (Invoice.Payment p : inv.payments()) {
                    if (within(p.paidAt(), from, to)) {
                        payments.add(new CustomerStatement.Line(inv.number(),
                                Instant.parse(p.paidAt()).atZone(zone).toLocalDate().toString(), null, p.amount()));
                    }
                }
            }
            issued.sort(Comparator.comparing(CustomerStatement.Line::date).thenComparing(CustomerStatement.Line::reference));
            payments.sort(Comparator.comparing(CustomerStatement.Line::date).thenComparing(CustomerStatement.Line::reference));
            long invoiced = issued.stream().mapToLong(CustomerStatement.Line::amount).sum();
            long paid = payments.stream().mapToLong(CustomerStatement.Line::amount).sum();
            if (opening == 0 && closing == 0 && issued.isEmpty() && payments.isEmpty()) {
                continue;
            }
            long credits = opening + invoiced - paid - closing;
            sections.add(new CustomerStatement.Section(cur, opening, issued, payments, credits, closing, closingAging));
        }
        var loyalty = customer.loyalty();
        return new CustomerStatement(customer.customerId(), customer.name(), customer.email(), customer.language(), month,
                sections, loyalty == null ? 0 : loyalty.points(), loyalty == null ? Map.of() : loyalty.credits());
    }

    private static ZoneId zone(Invoice inv) {
        return ZoneId.of(inv.timeZone() == null || inv.timeZone().isBlank() ? "UTC" : inv.timeZone());
    }

    private static boolean within(String instant, Instant from, Instant to) {
        if (instant == null) {
            return false;
        }
        Instant t = Instant.parse(instant);
        return !t.isBefore(from) && t.isBefore(to);
    }
}
