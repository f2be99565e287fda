package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Invoice;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The weekly finance statement: read through the indexes, compute, send once per as-of date. */
public final class WeeklyStatement {
    private final StatementReader reader;
    private final StatementMailer mailer;
    private final StatementSettings settings;
    private final ProgramConfig config;

    public WeeklyStatement(StatementReader reader, StatementMailer mailer, StatementSettings settings, ProgramConfig config) {
        this.reader = reader;
        this.mailer = mailer;
        this.settings = settings;
        this.config = config;
    }

    /** The program configuration the report is computed with (its SnapStart priming uses the same). */
    ProgramConfig config() {
        return config;
    }

    /** One finance statement per as-of date, whoever runs it and however often. */
    public static String emailId(LocalDate asOf) {
        return "weekly-finance#" + asOf;
    }

    /** Reads everything the report needs (see README's access patterns for the cost of each read). */
    public FinanceReport report(LocalDate asOf) {
        Map<String, List<Invoice>> receivables = new LinkedHashMap<>();
        Set<String> customerIds = new LinkedHashSet<>();
        Instant since = FinanceReports.windowStart(asOf);
        for (String currency : settings.reportCurrencies()) {
            List<Invoice> invoices = reader.receivablesSince(currency, since);
            receivables.put(currency, invoices);
            invoices.forEach(i -> customerIds.add(i.customerId()));
        }
        Instant end = asOf.plusDays(1).atStartOfDay(settings.businessZone()).toInstant();
        Instant weekStart = asOf.minusDays(6).atStartOfDay(settings.businessZone()).toInstant();
        var lots = reader.openLotsAfter(end);
        lots.forEach(l -> customerIds.add(l.customerId()));
        var customers = reader.customers(customerIds);
        List<StatementReader.LedgerEntry> ledger = new java.util.ArrayList<>();
        for (String id : customerIds) {
            ledger.addAll(reader.ledger(id, weekStart, end));
        }
        return FinanceReports.compute(asOf, settings.businessZone(), receivables, reader.unappliedBefore(end), lots,
                customers, ledger, config);
    }

    public Map<String, Object> run(LocalDate asOf) {
        String id = emailId(asOf);
        FinanceReport[] computed = new FinanceReport[1];
        var outcome = mailer.send(id, () -> {
            computed[0] = report(asOf);
            return FinanceEmail.build(computed[0], settings.fromAddress(), settings.financeAddress(), settings.businessName());
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("kind", "weekly");
        result.put("asOf", asOf.toString());
        result.put("emailId", id);
        result.put("outcome", outcome.name());
        if (computed[0] != null) {
            for (var s : computed[0].currencies()) {
                result.put("receivable" + s.currency(), s.aging().totals().total());
            }
        }
        Log.event("weekly_statement", "emailId", id, "asOf", asOf.toString(), "outcome", outcome.name());
        return result;
    }
}
