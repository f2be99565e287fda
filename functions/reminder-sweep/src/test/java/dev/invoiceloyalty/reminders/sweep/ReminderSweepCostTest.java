package dev.invoiceloyalty.reminders.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.invoiceloyalty.reminders.sweep.SweepHarness.DUE;
import static dev.invoiceloyalty.reminders.sweep.SweepHarness.ISSUED;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a sweep costs in DynamoDB calls and read capacity (issues 6 and 8): per index page one query, one customer
 * batch and one transaction per group of up to 33 due invoices; no GetItem unless a step's transaction is cancelled, no Scan, and
 * the same reads whatever else the table holds. Capacity is what DynamoDB Local reports with
 * {@code ReturnConsumedCapacity=TOTAL} on every Query, GetItem and BatchGetItem of the function; the figures are
 * printed.
 */
class ReminderSweepCostTest {
    static final int DUE_INVOICES = 100;
    static final int TABLE_INVOICES = 10_000;
    static final int CUSTOMERS = 20;
    private static final String BERLIN = "Europe/Berlin";
    /**
     * Read capacity of the 7-step sample as DynamoDB Local reports it, pinned so that a change in what the sweep reads
     * shows: the index query (eventually consistent, the 7 items' size summed: 1.5) and 3 consistent profile reads (3).
     */
    static final double SAMPLE_READ_UNITS = 4.5;
    /** The same for 100 due invoices of 20 customers: the index query (16.5) and 20 profiles (20), whatever else is stored. */
    static final double LARGE_SAMPLE_READ_UNITS = 36.5;

    private record Run(double units, Map<String, Double> unitsByCall, int queries, int gets, int batchGets, int scans,
                       int unmeasured, List<String> calls, JsonNode result) {
    }

    @Test
    void GIVEN_the_benchmarks_sample_of_7_due_steps_of_3_customers_WHEN_the_sweep_runs_THEN_it_makes_one_query_one_customer_batch_and_one_transaction() {
        SdkFaults calls = SdkFaults.recording();
        ReadCapacity reads = new ReadCapacity();
        var h = new SweepHarness(List.of(calls, reads), 0);
        // bench ColdSeeds.sweep: one open invoice per ladder step, due so that this step is the latest one due on the
        // sweep's date in its customer's zone.
        Instant time = Instant.parse("2026-12-10T08:00:00Z");
        List<Customer> people = List.of(h.customer("cus_sweep_berlin", "de", BERLIN),
                h.customer("cus_sweep_newyork", "en", "America/New_York"), h.customer("cus_sweep_tokyo", "en", "Asia/Tokyo"));
        var steps = SweepHarness.CONFIG.reminders().steps();
        for (int i = 0; i < steps.size(); i++) {
            Customer c = people.get(i % people.size());
            LocalDate due = LocalDate.ofInstant(time, ZoneId.of(c.timeZone())).minusDays(steps.get(i).offsetDays());
            h.invoice("inv_sweep_" + steps.get(i).step(), c.customerId(), due.minusDays(30), 30);
        }

        JsonNode result = h.sweep(time);

        System.out.printf("reminder sweep of the benchmark sample: %s; DynamoDB calls %s; %.1f RCU %s; relayed %d messages%n",
                result, calls.calls(), reads.units(), reads.unitsByCall(), h.relayedMessages());
        assertEquals(7, result.path("sent").asInt());
        assertEquals(2, result.path("escalated").asInt());
        assertEquals(List.of("Query", "BatchGetItem", "TransactWriteItems"), calls.calls(), "7 steps, 21 items: one group");
        assertEquals(0, reads.unmeasured());
        assertEquals(Map.of("Query", 1.5, "BatchGetItem", 3.0), reads.unitsByCall());
        assertEquals(SAMPLE_READ_UNITS, reads.units(), 0.0);
        // 7 reminders, the AR and the collections hand-offs; 7 ReminderSent and 1 InvoiceEscalated: 7 outbox items.
        assertEquals(17, h.relayedMessages());
        assertEquals(7, h.outbox().size());
    }

    @Test
    void GIVEN_10000_invoices_of_which_100_are_due_WHEN_the_sweep_runs_THEN_it_makes_the_same_calls_and_reads_as_on_a_table_of_only_those_100() {
        List<Customer> customers = new ArrayList<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            String at = "2026-10-01T09:00:00Z";
            customers.add(new Customer("cus-" + c, "Customer " + c, "cus-" + c + "@example.com", c % 2 == 0 ? "en" : "de",
                    BERLIN, null, true, false, Customer.Loyalty.initial("BRONZE"), at, at));
        }
        List<Invoice> due = new ArrayList<>();
        for (int i = 0; i < DUE_INVOICES; i++) {
            due.add(SweepHarness.newInvoice(String.format("inv-due-%04d", i), customers.get(i % CUSTOMERS), ISSUED, 30, i + 1));
        }
        List<Invoice> notDue = new ArrayList<>();
        for (int i = 0; i < TABLE_INVOICES - DUE_INVOICES; i++) {
            Customer c = customers.get(i % CUSTOMERS);
            if (i % 2 == 0) {
                // Open, first step (pre_due) on 2026-12-28: in the index, but after the sweep's date.
                notDue.add(SweepHarness.newInvoice(String.format("inv-open-%05d", i), c, LocalDate.parse("2026-12-01"),
                        30, DUE_INVOICES + i + 1));
            } else {
                // Paid: out of the index.
                Invoice open = SweepHarness.newInvoice(String.format("inv-paid-%05d", i), c, ISSUED, 30, DUE_INVOICES + i + 1);
                notDue.add(open.toBuilder().status(InvoiceStatus.PAID).amountPaid(open.total()).amountDue(0)
                        .closedAt("2026-11-20T10:00:00Z").build());
            }
        }

        Run small = sweepTable(customers, due, List.of());
        Run large = sweepTable(customers, due, notDue);

        System.out.printf("reminder sweep read capacity: %d due of %d invoices: %.1f RCU (%d queries, %d gets, "
                        + "%d batch gets) %s; %d due of %d invoices: %.1f RCU (%d queries, %d gets, %d batch gets) %s; "
                        + "ratio %.3f; DynamoDB calls %s%n",
                DUE_INVOICES, DUE_INVOICES, small.units(), small.queries(), small.gets(), small.batchGets(),
                small.unitsByCall(), DUE_INVOICES, TABLE_INVOICES, large.units(), large.queries(), large.gets(),
                large.batchGets(), large.unitsByCall(), large.units() / small.units(), large.calls());
        assertEquals(DUE_INVOICES, small.result().path("sent").asInt());
        assertEquals(DUE_INVOICES, large.result().path("sent").asInt());
        assertEquals(DUE_INVOICES, large.result().path("due").asInt(), "the index lists the due invoices only");
        for (Run run : List.of(small, large)) {
            assertEquals(0, run.scans(), "no Scan");
            assertEquals(0, run.unmeasured(), "every read measured");
            // One 1 MB index page holds the 100 due invoices; their 20 customers in one batch; 100 steps of 3 items in
            // groups of 33, 33, 33 and 1.
            List<String> expected = new ArrayList<>(List.of("Query", "BatchGetItem"));
            expected.addAll(Collections.nCopies(4, "TransactWriteItems"));
            assertEquals(expected, run.calls());
        }
        assertEquals(Map.of("Query", 16.5, "BatchGetItem", 20.0), small.unitsByCall());
        assertEquals(LARGE_SAMPLE_READ_UNITS, small.units(), 0.0);
        assertEquals(small.units(), large.units(), 0.0, "the 9,900 invoices that are not due cost the sweep nothing");
    }

    /** A fresh table with {@code customers}, the due invoices and the others, written fast; then one sweep measured. */
    private static Run sweepTable(List<Customer> customers, List<Invoice> due, List<Invoice> others) {
        ReadCapacity reads = new ReadCapacity();
        SdkFaults calls = SdkFaults.recording();
        var h = new SweepHarness(List.of(calls, reads), 0);
        customers.forEach(c -> h.customers.create(c, List.of()));
        List<Invoice> all = new ArrayList<>(due);
        all.addAll(others);
        batchWrite(h, all);

        JsonNode result = h.sweep(DUE.atTime(12, 0).atZone(java.time.ZoneId.of(BERLIN)).toInstant());
        return new Run(reads.units(), reads.unitsByCall(), reads.queries(), reads.gets(), reads.batchGets(), reads.scans(),
                reads.unmeasured(), calls.calls(), result);
    }

    /**
     * Invoices as the invoice store writes them ({@link DynamoDbInvoiceStore#encode}: document, lifted attributes, the
     * sweep index key), version 1, with BatchWriteItem: 25 a call, unprocessed items written again.
     */
    private static void batchWrite(SweepHarness h, List<Invoice> invoices) {
        List<WriteRequest> pending = new ArrayList<>();
        for (Invoice inv : invoices) {
            Map<String, AttributeValue> item = DynamoDbInvoiceStore.encode(inv);
            item.put("version", Attr.n(1));
            pending.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        while (!pending.isEmpty()) {
            List<WriteRequest> next = new ArrayList<>();
            for (int i = 0; i < pending.size(); i += 25) {
                List<WriteRequest> chunk = pending.subList(i, Math.min(pending.size(), i + 25));
                var response = h.ddb.batchWriteItem(b -> b.requestItems(Map.of(h.table, chunk)));
                next.addAll(response.unprocessedItems().getOrDefault(h.table, List.of()));
            }
            pending = next;
        }
    }
}
