package dev.invoiceloyalty.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.invoiceloyalty.adapters.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Small builders shared by the domain tests: a customer, an invoice in a chosen state, JSON bodies. */
public final class Fixtures {
    public static final String AT = "2026-11-01T09:00:00Z";

    private Fixtures() {
    }

    public static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code text} parsed, then changed by {@code edit}: lets a test state only what differs from a valid body. */
    public static JsonNode json(String text, Consumer<ObjectNode> edit) {
        ObjectNode node = (ObjectNode) json(text);
        edit.accept(node);
        return node;
    }

    public static Customer customer(String tier) {
        return customer("cust-1", "en", "Europe/Berlin", tier);
    }

    public static Customer customer(String customerId, String language, String timeZone, String tier) {
        return new Customer(customerId, "Ada Lovelace", "ada@example.com", language, timeZone, null, true, false,
                new Customer.Loyalty(tier, 0, java.util.Map.of(), 0, 0), AT, AT);
    }

    /** An invoice of 100.00 USD in {@code status}, with {@code amountPaid} already received. */
    public static Invoice invoice(InvoiceStatus status, long amountPaid, boolean disputed, String pausedUntil) {
        long total = 10_000;
        return new Invoice("inv-1", "INV-2026-000001", "cust-1", "USD", status, "2026-11-01", "2026-12-01",
                List.of(new Invoice.LineItem("Consulting", "1", total, "0", total, 0)), total, 0, List.of(), total,
                amountPaid, total - amountPaid, 0, List.of(), List.of(), List.of(), disputed, Escalation.NONE,
                pausedUntil, null, null, null,
                new RewardOffer(List.of(), new RewardOffer.OnTime("2026-12-01", 10, "BRONZE"), 0), AT, AT,
                status.isClosed() ? AT : null, "UTC", 0, 0, List.of());
    }

    public static Invoice invoice(InvoiceStatus status) {
        return invoice(status, status == InvoiceStatus.PARTIALLY_PAID ? 4_000 : status == InvoiceStatus.PAID ? 10_000 : 0,
                false, null);
    }

    /** Runs {@code action}, expecting a {@link ProblemException}, and returns it. */
    public static ProblemException problem(org.junit.jupiter.api.function.Executable action) {
        return assertThrows(ProblemException.class, action);
    }

    public static List<String> fields(ProblemException e) {
        return e.errors().stream().map(FieldError::field).toList();
    }
}
