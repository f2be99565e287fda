package dev.invoiceloyalty.statements;

import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.snapstart.Priming;
import dev.invoiceloyalty.snapstart.PrimingResource;
import dev.invoiceloyalty.snapstart.PrimingSamples;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import static dev.invoiceloyalty.snapstart.Priming.expect;
import static dev.invoiceloyalty.snapstart.PrimingSamples.ABSENT_ID;

/**
 * SnapStart priming of {@code StatementFunction}: the schedule's input parsed as the handler parses it, a customer
 * statement read for a customer that cannot exist (one Query), then in memory the weekly finance report of a paid and
 * an open sample invoice with its email (HTML, the JFreeChart aging chart, the CSVs, raw MIME) and a monthly customer
 * statement with its PDF (PDFBox), each SES {@code SendEmail} request built, not sent. The weekly report's own reads
 * are left out: they read every open receivable, which is the run's cost, not a priming's.
 */
final class StatementPriming extends PrimingResource {
    private final WeeklyStatement weekly;
    private final MonthlyStatements monthly;
    private final StatementSettings settings;

    StatementPriming(WeeklyStatement weekly, MonthlyStatements monthly, StatementSettings settings) {
        super("statements");
        this.weekly = weekly;
        this.monthly = monthly;
        this.settings = settings;
    }

    @Override
    protected void prime(Priming.Run run) {
        ProgramConfig config = weekly.config();
        LocalDate asOf = LocalDate.parse("2026-01-12");
        YearMonth month = YearMonth.from(PrimingSamples.NOW.atZone(settings.businessZone()));
        run.step("schedule-event", () -> {
            var event = Json.tree("{\"time\":\"2026-01-12T06:00:00Z\",\"kind\":\"weekly\"}"
                    .getBytes(StandardCharsets.UTF_8));
            LocalDate date = Instant.parse(event.get("time").asText()).atZone(settings.businessZone()).toLocalDate();
            expect(event.path("kind").asText("").equals("weekly") && date.getYear() == 2026, "a weekly run");
        });
        run.step("customer-invoices-read", () -> {
            CustomerStatement s = monthly.statement(PrimingSamples.customer(config, ABSENT_ID), month);
            expect(s.sections().isEmpty(), "no invoices for an absent customer");
        });
        Invoice[] invoices = new Invoice[2];
        Customer customer = PrimingSamples.customer(config);
        RawEmail[] emails = new RawEmail[2];
        run.step("weekly-report", () -> {
            invoices[0] = PrimingSamples.invoice(config);
            invoices[1] = PrimingSamples.paidInvoice(config);
            FinanceReport report = FinanceReports.compute(asOf, settings.businessZone(),
                    Map.of(PrimingSamples.CURRENCY, List.of(invoices[0], invoices[1])), List.of(), List.of(),
                    Map.of(customer.customerId(), customer), List.of(), config);
            emails[0] = FinanceEmail.build(report, settings.fromAddress(), settings.financeAddress(), settings.businessName());
            expect(!report.currencies().isEmpty(), "a currency section");
        });
        run.step("monthly-statement", () -> {
            CustomerStatement s = CustomerStatements.build(customer, month, List.of(invoices[0], invoices[1]));
            emails[1] = monthly.email(s);
            expect(!s.sections().isEmpty(), "a statement with a section");
        });
        run.step("send-requests", () -> {
            for (RawEmail email : emails) {
                byte[] raw = email.toBytes(PrimingSamples.NOW);
                SendEmailRequest request = SendEmailRequest.builder().fromEmailAddress(settings.fromAddress())
                        .destination(d -> d.toAddresses(email.to()))
                        .content(c -> c.raw(r -> r.data(SdkBytes.fromByteArray(raw)))).build();
                expect(request.content().raw().data().asByteArray().length > 1000, "a raw MIME message");
            }
        });
        run.step("result", () -> expect(Json.write(Map.of("kind", "weekly", "asOf", asOf.toString(), "outcome", "SENT"))
                .contains("weekly"), "the run's answer"));
    }
}
