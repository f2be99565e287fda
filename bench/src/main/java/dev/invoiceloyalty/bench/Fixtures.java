package dev.invoiceloyalty.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Json;
import dev.invoiceloyalty.config.ProgramConfig;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceFactory;
import dev.invoiceloyalty.domain.InvoiceRequest;
import dev.invoiceloyalty.payments.PaymentApplication;
import dev.invoiceloyalty.payments.ProviderEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * Customers and invoices as the product makes them: {@link InvoiceRequest#parse} of a {@code POST /invoices} body,
 * {@link InvoiceFactory} for the arithmetic, terms and reward offer, {@link PaymentApplication} for payments. Nothing
 * here touches a table; {@link TableSeeder} and the stores write what this makes.
 */
final class Fixtures {
    static final ProgramConfig CONFIG = ProgramConfig.defaults();
    private static final InvoiceFactory FACTORY = new InvoiceFactory(CONFIG);

    private Fixtures() {
    }

    /** A customer with reminders on, no autopay, the base tier, created {@code createdAt}. */
    static Customer customer(String customerId, String language, String timeZone, String createdAt) {
        return new Customer(customerId, "Customer " + customerId, customerId + "@example.com", language, timeZone, null,
                true, false, Customer.Loyalty.initial(CONFIG.rewards().baseTier().name()), createdAt, createdAt);
    }

    /**
     * The open invoice {@code POST /invoices} would make: one line of {@code quantity} × {@code unitAmount} (minor
     * units of {@code currency}) at {@code taxRate} percent, issued {@code issued} (created at 09:00 of that date in
     * the customer's zone), due {@code netDays} later.
     */
    static Invoice invoice(String invoiceId, Customer customer, String currency, LocalDate issued, int netDays,
                           String quantity, long unitAmount, String taxRate, long sequence) {
        String body = "{\"customerId\":\"" + customer.customerId() + "\",\"currency\":\"" + currency + "\","
                + "\"issueDate\":\"" + issued + "\",\"netDays\":" + netDays + ","
                + "\"paymentUrl\":\"https://pay.example.com/" + invoiceId + "\","
                + "\"lineItems\":[{\"description\":\"Consulting\",\"quantity\":\"" + quantity + "\","
                + "\"unitAmount\":" + unitAmount + ",\"taxRate\":\"" + taxRate + "\"}]}";
        InvoiceRequest request = InvoiceRequest.parse(tree(body), CONFIG.invoice().maxLineItems());
        LocalDate due = FACTORY.dueDate(request, issued);
        Instant created = issued.atTime(9, 0).atZone(ZoneId.of(customer.timeZone())).toInstant();
        return FACTORY.create(invoiceId, InvoiceFactory.number(issued.getYear(), sequence), request, customer, issued,
                due, InvoiceFactory.lines(request), List.of(), created);
    }

    /** {@code invoice} after a Stripe payment of {@code amount} at {@code at}, applied as the webhook applies it. */
    static Invoice paid(Invoice invoice, String paymentId, long amount, Instant at) {
        var payment = new ProviderEvent.PaymentSucceeded("stripe", "evt_" + paymentId, paymentId, amount,
                invoice.currency(), invoice.invoiceId(), at);
        return PaymentApplication.applyPayment(invoice, true, payment, List.of(), at).invoice();
    }

    /** {@code invoice} paid in full at {@code at}. */
    static Invoice paidInFull(Invoice invoice, String paymentId, Instant at) {
        return paid(invoice, paymentId, invoice.amountDue(), at);
    }

    static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
