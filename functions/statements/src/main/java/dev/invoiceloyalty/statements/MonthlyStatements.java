package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.mail.MoneyFormat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.invoiceloyalty.statements.Html.esc;

/**
 * Monthly customer statements: on the first of a month, one email with a PDF to every customer with activity in
 * the month before (an invoice issued, a payment or a refund), once per customer and month.
 */
public final class MonthlyStatements {
    private final StatementReader reader;
    private final StatementMailer mailer;
    private final StatementSettings settings;

    public MonthlyStatements(StatementReader reader, StatementMailer mailer, StatementSettings settings) {
        this.reader = reader;
        this.mailer = mailer;
        this.settings = settings;
    }

    public static String emailId(String customerId, YearMonth month) {
        return "statement#" + customerId + "#" + month;
    }

    /**
     * Customers with activity in {@code month}. Every invoice issued, paid or refunded in the month was receivable
     * at some moment of it, so it is in GSI3 {@code AR#<currency>} with {@code gsi3sk > <month start>} (one range
     * query per currency; a day's margin covers every zone). Activity markers (GSI1 {@code ACTIVITY#yyyy-MM}) are
     * added when something writes them.
     */
    public Set<String> activeCustomers(YearMonth month) {
        Set<String> ids = new TreeSet<>();
        Instant since = month.atDay(1).minusDays(1).atStartOfDay(ZoneId.of("UTC")).toInstant();
        for (String currency : settings.reportCurrencies()) {
            for (Invoice inv : reader.receivablesSince(currency, since)) {
                if (CustomerStatements.activeIn(inv, month)) {
                    ids.add(inv.customerId());
                }
            }
        }
        ids.addAll(reader.activeCustomers(month.toString()));
        return ids;
    }

    /** @param businessDate the run's date (the first of a month): the statements are of the month before */
    public Map<String, Object> run(LocalDate businessDate) {
        YearMonth month = YearMonth.from(businessDate).minusMonths(1);
        Set<String> ids = activeCustomers(month);
        Map<String, Customer> customers = reader.customers(ids);
        int sent = 0;
        int already = 0;
        int failed = 0;
        for (String id : ids) {
            Customer c = customers.get(id);
            if (c == null || c.email() == null || c.email().isBlank()) {
                Log.event("statement_skipped", "customerId", id, "month", month.toString(), "reason", "no customer email");
                continue;
            }
            String emailId = emailId(id, month);
            try {
                var outcome = mailer.send(emailId, () -> email(statement(c, month)));
                if (outcome == StatementMailer.Outcome.SENT) {
                    sent++;
                } else {
                    already++;
                }
                Log.event("customer_statement", "emailId", emailId, "customerId", id, "outcome", outcome.name());
            } catch (RuntimeException e) {
                // One customer's failure does not stop the others; the run fails at the end so the schedule retries,
                // and the retry sends only what is not yet recorded as sent.
                failed++;
                Log.event("customer_statement_failed", "emailId", emailId, "customerId", id,
                        "error", e.getClass().getSimpleName(), "message", String.valueOf(e.getMessage()));
            }
        }
        if (failed > 0) {
            throw new IllegalStateException(failed + " of " + ids.size() + " statements for " + month + " failed");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", "monthly");
        result.put("month", month.toString());
        result.put("customers", ids.size());
        result.put("sent", sent);
        result.put("alreadySent", already);
        return result;
    }

    public CustomerStatement statement(Customer c, YearMonth month) {
        List<Invoice> invoices = reader.customerInvoices(c.customerId(), month.atEndOfMonth().toString());
        return CustomerStatements.build(c, month, invoices);
    }

    public RawEmail email(CustomerStatement s) {
        StatementLabels l = StatementLabels.of(s.language());
        String lang = l.language();
        String monthName = l.month(s.month());
        String subject = String.format(l.get("subject"), monthName);
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>"
                + "<body style=\"font-family:Arial,Helvetica,sans-serif;color:#111\">");
        String greeting = String.format(l.get("greeting"), s.name());
        String body = String.format(l.get("body"), monthName);
        text.append(greeting).append("\n\n").append(body).append("\n\n");
        html.append("<p>").append(esc(greeting)).append("</p><p>").append(esc(body)).append("</p><table>");
        for (var sec : s.sections()) {
            String closing = MoneyFormat.money(sec.closing(), sec.currency(), lang) + " " + sec.currency();
            String opening = MoneyFormat.money(sec.opening(), sec.currency(), lang) + " " + sec.currency();
            text.append(l.get("opening")).append(": ").append(opening).append('\n')
                    .append(l.get("closing")).append(": ").append(closing).append('\n');
            html.append("<tr><td>").append(esc(l.get("opening"))).append("</td><td style=\"text-align:right\">")
                    .append(esc(opening)).append("</td></tr><tr><td><b>").append(esc(l.get("closing")))
                    .append("</b></td><td style=\"text-align:right\"><b>").append(esc(closing)).append("</b></td></tr>");
        }
        text.append('\n').append(l.get("thanks")).append('\n').append(settings.businessName()).append('\n');
        html.append("</table><p>").append(esc(l.get("thanks"))).append("<br>").append(esc(settings.businessName()))
                .append("</p></body></html>");
        return new RawEmail(settings.fromAddress(), s.email(), subject, text.toString(), html.toString())
                .messageId(emailId(s.customerId(), s.month()))
                .attach(pdfName(s), "application/pdf", StatementPdf.render(s, settings.businessName()));
    }

    public static String pdfName(CustomerStatement s) {
        return "statement-" + s.month() + ".pdf";
    }
}
