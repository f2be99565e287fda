package dev.invoiceloyalty.api;

import dev.invoiceloyalty.adapters.DynamoDbReceivablesStore;
import dev.invoiceloyalty.adapters.Log;
import dev.invoiceloyalty.domain.Currencies;
import dev.invoiceloyalty.domain.FieldError;
import dev.invoiceloyalty.domain.ProblemException;
import dev.invoiceloyalty.http.HttpResponse;
import dev.invoiceloyalty.statements.Aging;
import dev.invoiceloyalty.statements.AgingReport;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /reports/aging?asOf=YYYY-MM-DD&currency=XXX} (SPEC §4, §8): the same figures as the weekly statement.
 * {@code currency} is required (a report is per currency); {@code asOf} defaults to today in UTC, since the
 * report spans customers in many zones and has no one local "today".
 */
final class ReportService {
    private final DynamoDbReceivablesStore receivables;
    private final Clock clock;

    ReportService(DynamoDbReceivablesStore receivables, Clock clock) {
        this.receivables = receivables;
        this.clock = clock;
    }

    HttpResponse aging(Map<String, String> query) {
        List<FieldError> errors = new ArrayList<>();
        String currency = query.get("currency");
        if (currency == null || currency.isBlank()) {
            errors.add(new FieldError("currency", "is required: an ISO 4217 code such as USD"));
        } else if (!Currencies.isSupported(currency)) {
            errors.add(new FieldError("currency", "must be an ISO 4217 code such as USD"));
        }
        LocalDate asOf = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String a = query.get("asOf");
        if (a != null) {
            try {
                asOf = LocalDate.parse(a);
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("asOf", "must be a date YYYY-MM-DD"));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        AgingReport report = Aging.compute(asOf, currency, receivables.receivableOn(currency, asOf));
        Log.event("aging_report", "asOf", asOf.toString(), "currency", currency,
                "customers", report.customers().size(), "total", report.totals().total());
        return HttpResponse.json(200, report.toJson());
    }
}
