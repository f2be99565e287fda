package dev.invoiceloyalty.snapstart;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.AppliedCredit;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceFactory;
import dev.invoiceloyalty.domain.InvoiceRequest;
import dev.invoiceloyalty.payments.PaymentApplication;
import dev.invoiceloyalty.payments.ProviderEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The constant samples priming runs the hot paths on: a customer and an invoice made by the production domain code,
 * in memory only, and {@link #ABSENT_ID}, the id of every harmless read (a key that cannot exist).
 */
public final class PrimingSamples {
    /**
     * The id priming reads by: {@code #} is outside every id pattern the API accepts (customer ids, invoice ids are
     * {@code inv_} and base 36), so no item keyed by it exists and a read of it returns nothing.
     */
    public static final String ABSENT_ID = "priming#absent";
    /** A valid customer id for the in-memory samples; never read or written. */
    public static final String CUSTOMER_ID = "priming-customer";
    public static final String INVOICE_ID = "inv_priming";
    /** The samples' clock: fixed, so every pass primes the same code paths. */
    public static final Instant NOW = Instant.parse("2026-01-05T09:00:00Z");
    public static final String CURRENCY = "EUR";

    private PrimingSamples() {
    }

    /** A {@code POST /invoices} body for {@code customerId}, with every optional part the API takes. */
    public static String createInvoiceBody(String customerId) {
        return "{\"customerId\":\"" + customerId + "\",\"currency\":\"" + CURRENCY + "\",\"issueDate\":\"2026-01-05\","
                + "\"netDays\":30,\"externalReference\":\"PO-PRIMING\",\"paymentUrl\":\"https://pay.example.com/priming\","
                + "\"earlyPaymentDiscount\":{\"percent\":\"2\",\"withinDays\":10},"
                + "\"lineItems\":[{\"description\":\"Consulting\",\"quantity\":\"8\",\"unitAmount\":12500,\"taxRate\":\"19\"},"
                + "{\"description\":\"Support\",\"quantity\":\"1.5\",\"unitAmount\":24000}]}";
    }

    public static JsonNode json(String text) {
        try {
            return Json.tree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A customer of the base tier, in memory. */
    /**
     * Stores the sample customer and invoice in {@code table} through the production stores, so a priming test has
     * real items the hook must leave alone. Never called by priming itself (priming writes nothing).
     */
    public static void store(software.amazon.awssdk.services.dynamodb.DynamoDbClient ddb, String table,
                             ProgramConfig config) {
        new dev.invoiceloyalty.adapters.DynamoDbCustomerStore(ddb, table).create(customer(config), List.of());
        Invoice invoice = invoice(config);
        new dev.invoiceloyalty.adapters.DynamoDbInvoiceStore(ddb, table).create(
                new dev.invoiceloyalty.adapters.DynamoDbInvoiceStore.NewInvoice(invoice, 2026, 0,
                        new dev.invoiceloyalty.adapters.IdempotencyRecord("POST /invoices", "seed", "hash", 201, "{}",
                                dev.invoiceloyalty.table.Keys.invoicePk(invoice.invoiceId())),
                        List.of(), List.of(), 0));
    }

    public static Customer customer(ProgramConfig config) {
        return customer(config, CUSTOMER_ID);
    }

    /** The sample customer under another id ({@link #ABSENT_ID} for code that reads by the customer's id). */
    public static Customer customer(ProgramConfig config, String customerId) {
        return new Customer(customerId, "Priming Sample", "priming@example.com", "en", "Europe/Berlin", null, true,
                false, Customer.Loyalty.initial(config.rewards().baseTier().name()), NOW.toString(), NOW.toString());
    }

    /** The sample body parsed and made into an open invoice by {@link InvoiceFactory}, as invoice creation does. */
    public static Invoice invoice(ProgramConfig config) {
        InvoiceFactory factory = new InvoiceFactory(config);
        InvoiceRequest request = InvoiceRequest.parse(json(createInvoiceBody(CUSTOMER_ID)), config.invoice().maxLineItems());
        Customer customer = customer(config);
        LocalDate issueDate = InvoiceFactory.issueDate(request, customer, NOW);
        LocalDate dueDate = factory.dueDate(request, issueDate);
        List<Invoice.LineItem> lines = InvoiceFactory.lines(request);
        List<AppliedCredit> credits = AppliedCredit.apply(List.of(), InvoiceFactory.gross(lines));
        return factory.create(INVOICE_ID, InvoiceFactory.number(issueDate.getYear(), 1), request, customer, issueDate,
                dueDate, lines, credits, NOW);
    }

    /** {@link #invoice} paid in full by card three days after issue (early: it earns the early-payment credit). */
    public static Invoice paidInvoice(ProgramConfig config) {
        Invoice open = invoice(config);
        Instant paidAt = NOW.plus(Duration.ofDays(3));
        var payment = new ProviderEvent.PaymentSucceeded("stripe", "evt_priming", "pi_priming", open.total(),
                open.currency(), open.invoiceId(), paidAt);
        return PaymentApplication.applyPayment(open, true, payment, List.of(), paidAt).invoice();
    }
}
