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

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.invoiceloyalty.reminders.sweep.SweepHarness.DUE;
import static dev.invoiceloyalty.reminders.sweep.SweepHarness.ISSUED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep reads what is due, not the table (issue 6): on DynamoDB Local, a table of 10,000 invoices of which 100 are
 * due costs the sweep no more than 1.2× the read capacity of the same sweep on a table holding only those 100, and the
 * sweep never scans. Capacity is what DynamoDB reports with {@code ReturnConsumedCapacity=TOTAL} on every Query and
 * GetItem of the function; the figures are printed.
 */
class ReminderSweepCostTest {
    static final int DUE_INVOICES = 100;
    static final int TABLE_INVOICES = 10_000;
    static final int CUSTOMERS = 20;
    private static final String BERLIN = "Europe/Berlin";

    private record Run(double units, int queries, int gets, int scans, int unmeasured, JsonNode result) {
    }

    @Test
    void GIVEN_10000_invoices_of_which_100_are_due_WHEN_the_sweep_runs_THEN_it_reads_about_what_it_reads_on_a_table_of_only_those_100() {
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

        System.out.printf("reminder sweep read capacity: %d due of %d invoices: %.1f RCU (%d queries, %d gets); "
                        + "%d due of %d invoices: %.1f RCU (%d queries, %d gets); ratio %.3f%n",
                DUE_INVOICES, DUE_INVOICES, small.units(), small.queries(), small.gets(),
                DUE_INVOICES, TABLE_INVOICES, large.units(), large.queries(), large.gets(), large.units() / small.units());
        assertEquals(DUE_INVOICES, small.result().path("sent").asInt());
        assertEquals(DUE_INVOICES, large.result().path("sent").asInt());
        assertEquals(DUE_INVOICES, large.result().path("due").asInt(), "the index lists the due invoices only");
        assertEquals(0, small.scans() + large.scans(), "no Scan");
        assertEquals(0, small.unmeasured() + large.unmeasured(), "every read measured");
        assertTrue(small.units() > 0);
        assertTrue(large.units() <= 1.2 * small.units(),
                "10,000 invoices: " + large.units() + " RCU, only the 100 due: " + small.units() + " RCU");
    }

    /** A fresh table with {@code customers}, the due invoices and the others, written fast; then one sweep measured. */
    private static Run sweepTable(List<Customer> customers, List<Invoice> due, List<Invoice> others) {
        ReadCapacity reads = new ReadCapacity();
        var h = new SweepHarness(List.of(reads), 0);
        customers.forEach(c -> h.customers.create(c, List.of()));
        List<Invoice> all = new ArrayList<>(due);
        all.addAll(others);
        batchWrite(h, all);

        JsonNode result = h.sweep(DUE.atTime(12, 0).atZone(java.time.ZoneId.of(BERLIN)).toInstant());
        return new Run(reads.units(), reads.queries(), reads.gets(), reads.scans(), reads.unmeasured(), result);
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
