package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.mail.MoneyFormat;

import java.nio.charset.StandardCharsets;

import static dev.invoiceloyalty.statements.Html.esc;

/**
 * The weekly finance statement as an email: a summary table per currency with its aging chart (inline PNG,
 * {@code cid:aging-<currency>@statements.invoice-loyalty}), escalations, unapplied payments, reward liability,
 * and two CSV attachments ({@code aging-by-customer-<asOf>.csv}, {@code ledger-movements-<asOf>.csv}). In English:
 * it goes to the business's own finance team.
 */
public final class FinanceEmail {
    private static final String TD = "<td style=\"padding:4px 10px;border-bottom:1px solid #eee;text-align:right\">";
    private static final String TDL = "<td style=\"padding:4px 10px;border-bottom:1px solid #eee\">";
    private static final String TH = "<th style=\"padding:4px 10px;background:#f3f4f6;text-align:right\">";
    private static final String THL = "<th style=\"padding:4px 10px;background:#f3f4f6;text-align:left\">";

    private FinanceEmail() {
    }

    public static String contentId(String currency) {
        return "aging-" + currency.toLowerCase() + "@statements.invoice-loyalty";
    }

    public static String agingCsvName(FinanceReport r) {
        return "aging-by-customer-" + r.asOf() + ".csv";
    }

    public static String movementsCsvName(FinanceReport r) {
        return "ledger-movements-" + r.asOf() + ".csv";
    }

    public static RawEmail build(FinanceReport r, String from, String to, String businessName) {
        String subject = businessName + " — weekly finance statement as of " + r.asOf();
        RawEmail email = new RawEmail(from, to, subject, text(r, businessName), html(r, businessName))
                .messageId(WeeklyStatement.emailId(r.asOf()));
        for (var s : r.currencies()) {
            if (s.aging().totals().total() > 0) {
                email.inline(contentId(s.currency()), "image/png", AgingChart.png(s.aging(), 560, 260));
            }
        }
        email.attach(agingCsvName(r), "text/csv; charset=UTF-8",
                FinanceCsv.agingByCustomer(r).getBytes(StandardCharsets.UTF_8));
        email.attach(movementsCsvName(r), "text/csv; charset=UTF-8",
                FinanceCsv.movements(r).getBytes(StandardCharsets.UTF_8));
        return email;
    }

    private static String m(long minor, String currency) {
        return MoneyFormat.money(minor, currency, "en") + " " + currency;
    }

    static String html(FinanceReport r, String businessName) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Weekly finance statement</title></head>")
                .append("<body style=\"font-family:Arial,Helvetica,sans-serif;color:#111;max-width:760px\">")
                .append("<h2 style=\"margin-bottom:0\">").append(esc(businessName)).append(" — weekly finance statement</h2>")
                .append("<p style=\"color:#555;margin-top:4px\">Accounts receivable as of the end of ")
                .append(esc(r.asOf())).append("; payments and movements of ").append(esc(r.weekStart()))
                .append(" to ").append(esc(r.asOf())).append(".</p>");

        h.append("<h3>Summary</h3><table style=\"border-collapse:collapse;font-size:14px\"><tr>")
                .append(THL).append("Currency</th>").append(TH).append("Receivable</th>").append(TH).append("Overdue</th>")
                .append(TH).append("DSO (90 d)</th>").append(TH).append("Payments this week</th></tr>");
        for (var s : r.currencies()) {
            var t = s.aging().totals();
            h.append("<tr>").append(TDL).append(esc(s.currency())).append("</td>")
                    .append(TD).append(esc(m(t.total(), s.currency()))).append("</td>")
                    .append(TD).append(esc(m(t.total() - t.current(), s.currency()))).append("</td>")
                    .append(TD).append(s.dso() == null ? "—" : esc(s.dso().toPlainString() + " days")).append("</td>")
                    .append(TD).append(esc(m(s.paymentsInWeek(), s.currency()))).append(" (").append(s.paymentCount())
                    .append(")</td></tr>");
        }
        h.append("</table>");

        for (var s : r.currencies()) {
            var t = s.aging().totals();
            if (t.total() == 0) {
                continue;
            }
            h.append("<h3>Aging ").append(esc(s.currency())).append("</h3>")
                    .append("<img src=\"cid:").append(esc(contentId(s.currency()))).append("\" width=\"560\" height=\"260\" alt=\"Aging ")
                    .append(esc(s.currency())).append(" chart\" style=\"display:block\">")
                    .append("<table style=\"border-collapse:collapse;font-size:13px\"><tr>").append(THL).append("Customer</th>");
            for (String k : t.buckets().keySet()) {
                h.append(TH).append(esc(k)).append("</th>");
            }
            h.append(TH).append("Total</th></tr>");
            for (AgingRow row : s.aging().customers()) {
                agingRow(h, row.customerId(), row, s.currency(), false);
            }
            agingRow(h, "Total", t, s.currency(), true);
            h.append("</table>");
        }

        h.append("<h3>Escalations</h3>");
        if (r.escalations().isEmpty()) {
            h.append("<p>None.</p>");
        } else {
            h.append("<table style=\"border-collapse:collapse;font-size:13px\"><tr>").append(THL).append("Invoice</th>")
                    .append(THL).append("Customer</th>").append(THL).append("Handed to</th>").append(TH)
                    .append("Days overdue</th>").append(TH).append("Due</th></tr>");
            for (var e : r.escalations()) {
                h.append("<tr>").append(TDL).append(esc(e.number())).append("</td>").append(TDL).append(esc(e.customerId()))
                        .append("</td>").append(TDL).append(esc(e.escalation())).append("</td>").append(TD)
                        .append(e.daysOverdue()).append("</td>").append(TD).append(esc(m(e.amountDue(), e.currency())))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }

        h.append("<h3>Unapplied payments</h3>");
        if (r.unapplied().isEmpty()) {
            h.append("<p>None.</p>");
        } else {
            h.append("<table style=\"border-collapse:collapse;font-size:13px\"><tr>").append(THL).append("Received</th>")
                    .append(THL).append("Payment</th>").append(THL).append("Reason</th>").append(TH).append("Amount</th></tr>");
            for (var u : r.unapplied()) {
                h.append("<tr>").append(TDL).append(esc(u.receivedAt())).append("</td>").append(TDL)
                        .append(esc(u.provider() + " " + u.paymentId())).append("</td>").append(TDL).append(esc(u.reason()))
                        .append("</td>").append(TD).append(esc(m(u.amount(), u.currency()))).append("</td></tr>");
            }
            h.append("</table>");
        }

        var l = r.rewards();
        h.append("<h3>Reward liability</h3><table style=\"border-collapse:collapse;font-size:13px\"><tr>")
                .append(THL).append("</th>").append(TH).append("Open</th>").append(TH).append("Expiring in 30 days</th></tr>");
        for (var c : l.openCredit()) {
            long expiring = l.creditExpiring30().stream().filter(x -> x.currency().equals(c.currency()))
                    .mapToLong(FinanceReport.CurrencyAmount::amount).sum();
            h.append("<tr>").append(TDL).append("Credit ").append(esc(c.currency())).append("</td>").append(TD)
                    .append(esc(m(c.amount(), c.currency()))).append("</td>").append(TD)
                    .append(esc(m(expiring, c.currency()))).append("</td></tr>");
        }
        h.append("<tr>").append(TDL).append("Points</td>").append(TD).append(l.points()).append(" pts (")
                .append(esc(l.pointsValueMajor(l.points()).toPlainString())).append(")</td>").append(TD)
                .append(l.pointsExpiring30()).append(" pts (").append(esc(l.pointsValueMajor(l.pointsExpiring30()).toPlainString()))
                .append(")</td></tr></table>")
                .append("<p style=\"color:#555;font-size:12px\">Points valued at the redemption rate: ")
                .append(l.redemptionPoints()).append(" points = ").append(esc(l.redemptionCreditMajor().toPlainString()))
                .append(" of the currency redeemed in.</p>")
                .append("<p style=\"color:#555;font-size:12px\">Attached: ").append(esc(agingCsvName(r))).append(", ")
                .append(esc(movementsCsvName(r))).append(". Amounts in the CSV files are decimals in each row's currency.</p>")
                .append("</body></html>");
        return h.toString();
    }

    private static void agingRow(StringBuilder h, String label, AgingRow row, String currency, boolean bold) {
        String open = bold ? "<b>" : "";
        String close = bold ? "</b>" : "";
        h.append("<tr>").append(TDL).append(open).append(esc(label)).append(close).append("</td>");
        for (long v : row.buckets().values()) {
            h.append(TD).append(open).append(esc(MoneyFormat.money(v, currency, "en"))).append(close).append("</td>");
        }
        h.append(TD).append(open).append(esc(MoneyFormat.money(row.total(), currency, "en"))).append(close).append("</td></tr>");
    }

    static String text(FinanceReport r, String businessName) {
        StringBuilder t = new StringBuilder();
        t.append(businessName).append(" — weekly finance statement as of ").append(r.asOf()).append("\n\n");
        for (var s : r.currencies()) {
            var a = s.aging().totals();
            t.append(s.currency()).append(": receivable ").append(m(a.total(), s.currency()));
            a.buckets().forEach((k, v) -> t.append(", ").append(k).append(" ").append(MoneyFormat.money(v, s.currency(), "en")));
            t.append("; DSO ").append(s.dso() == null ? "n/a" : s.dso().toPlainString() + " days")
                    .append("; payments this week ").append(m(s.paymentsInWeek(), s.currency())).append("\n");
        }
        t.append("\nEscalations: ").append(r.escalations().size()).append("; unapplied payments: ")
                .append(r.unapplied().size()).append("; reward points outstanding: ").append(r.rewards().points())
                .append("\nDetails in the HTML part and the attached CSV files.\n");
        return t.toString();
    }
}
