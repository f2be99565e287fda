package dev.invoiceloyalty.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.adapters.IdempotencyRecord;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.table.Keys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * What each cold run's fresh table holds before the timed run, so that the sample takes its function's main path
 * rather than a short one (no invoice, no customer, nothing due). Written from the bench JVM, untimed, through the
 * production stores ({@link DynamoDbCustomerStore#create}, {@link DynamoDbInvoiceStore#create} and
 * {@link DynamoDbInvoiceStore#update}, which keep every index true), with what the sample itself names: the invoice a
 * payment pays, the customer a payment message is for, the business time of a scheduled run.
 *
 * <p>{@code invoice-api} is seeded differently, by running {@code put-customer.json} through the function first
 * ({@link Samples#setup}); the mailer's {@code welcome.json} needs nothing.
 */
final class ColdSeeds {
    private final DynamoDbCustomerStore customers;
    private final DynamoDbInvoiceStore invoices;

    private ColdSeeds(DynamoDbClient ddb, String table) {
        this.customers = new DynamoDbCustomerStore(ddb, table);
        this.invoices = new DynamoDbInvoiceStore(ddb, table);
    }

    /** What {@link #seed} writes for a sample of {@code eventsFolder}, for the results; null when it writes nothing. */
    static String describe(String eventsFolder) {
        return switch (eventsFolder) {
            case "payment-webhook" -> "seeded the customer and the open invoice the payment names, for exactly the"
                    + " amount paid (so it pays the invoice in full)";
            case "reward-crediting" -> "seeded the customer of the PaymentRecorded message and its invoice, paid at the"
                    + " message's time";
            case "reminder-sweep" -> "seeded one open invoice per ladder step, each with that step due at the sweep's"
                    + " time (3 customers in 3 zones)";
            case "statements" -> "seeded 2 customers, 4 open invoices in USD and EUR (two overdue), one invoice paid in"
                    + " full and one partially paid in the statement's week";
            default -> null;
        };
    }

    /**
     * Seeds {@code table} for {@code sample} of {@code eventsFolder}.
     *
     * @param businessZone the function's {@code DEFAULT_TIME_ZONE}: the zone of a scheduled run's business date
     */
    static void seed(String eventsFolder, Path sample, DynamoDbClient ddb, String table, ZoneId businessZone)
            throws IOException {
        ColdSeeds seeds = new ColdSeeds(ddb, table);
        JsonNode event = Fixtures.tree(Files.readString(sample));
        switch (eventsFolder) {
            case "payment-webhook" -> seeds.webhook(event);
            case "reward-crediting" -> seeds.reward(event);
            case "reminder-sweep" -> seeds.sweep(Instant.parse(event.path("time").asText()));
            case "statements" -> seeds.statements(Instant.parse(event.path("time").asText()).atZone(businessZone).toLocalDate());
            default -> {
                // nothing to seed
            }
        }
    }

    /** A Stripe payment_intent.succeeded: its invoice, open, for exactly {@code amount_received}. */
    private void webhook(JsonNode apiGatewayEvent) {
        JsonNode body = Fixtures.tree(apiGatewayEvent.path("body").asText());
        JsonNode intent = body.path("data").path("object");
        String invoiceId = intent.path("metadata").path("invoice_id").asText(null);
        if (invoiceId == null) {
            return;
        }
        long amount = intent.path("amount_received").asLong();
        String currency = intent.path("currency").asText().toUpperCase(Locale.ROOT);
        LocalDate paidOn = LocalDate.ofInstant(Instant.ofEpochSecond(intent.path("created").asLong()), ZoneId.of("UTC"));
        Customer customer = customer("cus_webhook_sample", "de", "Europe/Berlin", paidOn.minusDays(60));
        create(Fixtures.invoice(invoiceId, customer, currency, paidOn.minusDays(10), 30, "1", amount, "0", 1));
    }

    /** A PaymentRecorded message: its customer, and its invoice paid in full at {@code paidAt}. */
    private void reward(JsonNode sqsEvent) {
        JsonNode m = Fixtures.tree(sqsEvent.path("Records").path(0).path("body").asText());
        LocalDate issued = LocalDate.parse(m.path("issueDate").asText());
        LocalDate due = LocalDate.parse(m.path("dueDate").asText());
        Customer customer = customer(m.path("customerId").asText(), "en", m.path("timeZone").asText("UTC"),
                issued.minusDays(90));
        Invoice open = Fixtures.invoice(m.path("invoiceId").asText(), customer, m.path("currency").asText(), issued,
                (int) ChronoUnit.DAYS.between(issued, due), "1", m.path("total").asLong(), "0", 1);
        create(open);
        invoices.update(Fixtures.paidInFull(open, "pi_reward_sample", Instant.parse(m.path("paidAt").asText())), 1,
                List.of());
    }

    /**
     * One open invoice per step of the ladder, due so that this step is the latest one due on the sweep's date in its
     * customer's zone: the sweep sends each (escalating at 30 and 60 days).
     */
    private void sweep(Instant time) {
        List<Customer> people = List.of(
                customer("cus_sweep_berlin", "de", "Europe/Berlin", LocalDate.parse("2026-01-05")),
                customer("cus_sweep_newyork", "en", "America/New_York", LocalDate.parse("2026-01-05")),
                customer("cus_sweep_tokyo", "en", "Asia/Tokyo", LocalDate.parse("2026-01-05")));
        List<ProgramConfig.ReminderStep> steps = Fixtures.CONFIG.reminders().steps();
        for (int i = 0; i < steps.size(); i++) {
            Customer c = people.get(i % people.size());
            LocalDate today = LocalDate.ofInstant(time, ZoneId.of(c.timeZone()));
            LocalDate due = today.minusDays(steps.get(i).offsetDays());
            create(Fixtures.invoice("inv_sweep_" + steps.get(i).step(), c, i % 2 == 0 ? "EUR" : "USD", due.minusDays(30),
                    30, "10", 10_000, "19", i + 1));
        }
    }

    /** Open invoices in two currencies, two of them overdue, and two payments in the week up to {@code asOf}. */
    private void statements(LocalDate asOf) {
        Customer ada = customer("cus_statement_usd", "en", "UTC", asOf.minusDays(200));
        Customer max = customer("cus_statement_eur", "de", "Europe/Berlin", asOf.minusDays(200));
        create(Fixtures.invoice("inv_statement_usd_overdue", ada, "USD", asOf.minusDays(50), 30, "3", 45_000, "8.25", 1));
        create(Fixtures.invoice("inv_statement_usd_current", ada, "USD", asOf.minusDays(10), 30, "1", 120_000, "8.25", 2));
        create(Fixtures.invoice("inv_statement_eur_overdue", max, "EUR", asOf.minusDays(70), 30, "10", 9_900, "19", 3));
        Invoice paidInWeek = Fixtures.invoice("inv_statement_usd_paid", ada, "USD", asOf.minusDays(20), 30, "2", 30_000,
                "8.25", 4);
        create(paidInWeek);
        invoices.update(Fixtures.paidInFull(paidInWeek, "pi_statement_paid", asOf.minusDays(3).atTime(10, 0)
                .atZone(ZoneId.of("UTC")).toInstant()), 1, List.of());
        Invoice partly = Fixtures.invoice("inv_statement_eur_partial", max, "EUR", asOf.minusDays(14), 14, "4", 25_000,
                "19", 5);
        create(partly);
        invoices.update(Fixtures.paid(partly, "pi_statement_partial", 40_000, asOf.minusDays(2).atTime(15, 30)
                .atZone(ZoneId.of("UTC")).toInstant()), 1, List.of());
    }

    private Customer customer(String id, String language, String zone, LocalDate since) {
        Customer c = Fixtures.customer(id, language, zone, since.atStartOfDay(ZoneId.of("UTC")).toInstant().toString());
        customers.create(c, List.of());
        return c;
    }

    /** The invoice store's creation transaction (number counter, idempotency key, customer check). */
    private void create(Invoice invoice) {
        int year = LocalDate.parse(invoice.issueDate()).getYear();
        long previous = invoices.lastSequence(year);
        invoices.create(new DynamoDbInvoiceStore.NewInvoice(invoice, year, previous,
                new IdempotencyRecord("POST /invoices", "bench-" + invoice.invoiceId(), "bench", 201, "{}",
                        Keys.invoicePk(invoice.invoiceId())),
                List.of(), List.of(), Instant.parse(invoice.createdAt()).getEpochSecond() + 24 * 3600));
    }
}
