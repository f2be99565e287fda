package dev.invoiceloyalty.reminders.sweep;

import dev.invoiceloyalty.adapters.AwsClients;
import dev.invoiceloyalty.adapters.Versioned;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.table.Keys;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.invoiceloyalty.reminders.sweep.SweepHarness.DUE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sweep's reads on DynamoDB Local: the index page as the invoices themselves, and customers in batches. */
class DynamoDbReminderStoreTest {
    private static final String BERLIN = "Europe/Berlin";

    private static DynamoDbReminderStore store(SweepHarness h, SdkFaults calls) {
        return new DynamoDbReminderStore(AwsClients.configure(DynamoDbClient.builder(),
                AwsClients.Settings.forEndpoint(h.backends.dynamoDb().endpoint()).withInterceptor(calls)).build(),
                h.table, 0);
    }

    @Test
    void GIVEN_customer_profiles_as_the_customer_store_writes_them_WHEN_read_in_a_batch_THEN_they_are_the_customers_the_store_reads() {
        var h = new SweepHarness();
        String at = "2026-10-01T09:00:00Z";
        var plain = h.customer("cus-plain", "en", BERLIN);
        var quiet = h.customer("cus-quiet", "fr", "America/Los_Angeles", false, true);
        var rich = new Customer("cus-rich", "Rich", "rich@example.com", "de", BERLIN, "enterprise", true, false,
                new Customer.Loyalty("GOLD", 1_250, Map.of("USD", 1_500L, "EUR", 2_000L), 4, 7), at, at);
        h.customers.create(rich, List.of());

        Map<String, Customer> read = store(h, SdkFaults.recording())
                .customers(List.of("cus-plain", "cus-quiet", "cus-rich", "cus-absent", "cus-plain"));

        assertEquals(List.of("cus-plain", "cus-quiet", "cus-rich"), read.keySet().stream().sorted().toList(),
                "each id once; an absent one is not in the answer");
        for (Customer c : List.of(plain, quiet, rich)) {
            assertEquals(h.customers.find(c.customerId()).value(), read.get(c.customerId()), c.customerId());
        }
        assertEquals(rich, read.get("cus-rich"));
    }

    @Test
    void GIVEN_150_customers_WHEN_read_THEN_in_two_batches_of_at_most_100_keys() {
        var h = new SweepHarness();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            ids.add(h.customer(String.format("cus-%03d", i), "en", BERLIN).customerId());
        }
        SdkFaults calls = SdkFaults.recording();

        Map<String, Customer> read = store(h, calls).customers(ids);

        assertEquals(ids, read.keySet().stream().sorted().toList());
        assertEquals(List.of("BatchGetItem", "BatchGetItem"), calls.calls());
    }

    @Test
    void GIVEN_due_invoices_WHEN_the_index_is_read_THEN_each_comes_whole_with_the_version_its_step_must_expect() {
        var h = new SweepHarness();
        h.customer("cus-1", "en", BERLIN);
        IntStream.range(0, 3).forEach(i -> h.invoice("inv-" + i, "cus-1"));
        h.pay("inv-1", 10_000, Instant.parse("2026-12-01T10:00:00Z")); // version 2, still open and due
        SdkFaults calls = SdkFaults.recording();

        var page = store(h, calls).dueInvoices(DUE.atTime(12, 0).atZone(java.time.ZoneId.of(BERLIN)).toInstant(), null);

        assertEquals(List.of("Query"), calls.calls(), "no GetItem: the index item is the invoice");
        assertEquals(List.of("inv-0", "inv-1", "inv-2"), page.items().stream().map(v -> v.value().invoiceId()).toList());
        for (Versioned<Invoice> listed : page.items()) {
            var stored = h.invoices.find(listed.value().invoiceId());
            assertEquals(stored, listed, listed.value().invoiceId());
        }
        assertEquals(2, page.items().get(1).version());
        assertEquals(null, page.next());
        assertEquals(Keys.REMINDER_DUE_GSI2_PK, h.item(Keys.invoicePk("inv-0"), Keys.INVOICE_SK).get(Keys.GSI2_PK).s());
    }
}
