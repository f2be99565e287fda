package dev.invoiceloyalty.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.domain.InvoiceStatus;
import dev.invoiceloyalty.payments.PaymentApplication;
import dev.invoiceloyalty.payments.ProviderEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /reports/aging} through the real handler on DynamoDB Local. Invoices are created through the API and
 * paid through the production payment rules and store, with provider times around the as-of date 2026-12-31.
 */
class AgingReportApiTest {
    static final ReadLog reads = new ReadLog();
    static ApiHarness api;
    static DynamoDbInvoiceStore store;

    /** USD invoices the report must read: open, or closed on/after the as-of date began somewhere. */
    static final int USD_RECEIVABLE_ON_AS_OF = 3;

    @BeforeAll
    static void start() {
        api = new ApiHarness(List.of(reads), List.of());
        store = new DynamoDbInvoiceStore(api.ddb, api.table);
        customer("a-berlin", "Europe/Berlin");
        customer("b-auckland", "Pacific/Auckland");

        // a-berlin: 30 days overdue on 2026-12-31, 40.00 of 110.00 paid before → 70.00 in 1-30
        String a1 = invoice("a1", "a-berlin", "USD", "2026-11-01", "2026-12-01");
        pay(a1, 4_000, "2026-12-10T09:00:00Z");
        // 91 days overdue, paid in full only after the as-of date → 110.00 in 90+
        String a2 = invoice("a2", "a-berlin", "USD", "2026-09-01", "2026-10-01");
        pay(a2, 11_000, "2027-01-05T09:00:00Z");
        // paid in full before the as-of date: closed, and never read by the report
        String a3 = invoice("a3", "a-berlin", "USD", "2026-10-01", "2026-10-31");
        pay(a3, 11_000, "2026-11-30T09:00:00Z");
        // void: not receivable at all, and not in the receivables index
        String a4 = invoice("a4", "a-berlin", "USD", "2026-10-01", "2026-10-31");
        assertEquals(200, api.post("/invoices/" + a4 + "/actions/void", null).status());
        // another currency: its own report, its own index partition
        invoice("a5", "a-berlin", "EUR", "2026-09-01", "2026-10-01");
        // b-auckland: paid at 12:00 UTC on 31 December, which is 1 January in Auckland → still due on the 31st
        String b1 = invoice("b1", "b-auckland", "USD", "2026-12-15", "2027-01-14");
        pay(b1, 11_000, "2026-12-31T12:00:00Z");
        api.drainMail();
    }

    @Test
    void theReportHasSpecsShapeWithTheAmountsDueAsOfTheDate() {
        var r = api.get("/reports/aging?asOf=2026-12-31&currency=USD");

        assertEquals(200, r.status(), r.body());
        assertEquals("application/json", r.contentType());
        JsonNode json = r.json();
        assertEquals(List.of("asOf", "currency", "totals", "customers"), fieldNames(json));
        assertEquals("2026-12-31", json.get("asOf").asText());
        assertEquals("USD", json.get("currency").asText());
        assertEquals(List.of("current", "1-30", "31-60", "61-90", "90+"), fieldNames(json.get("totals")));
        assertEquals(buckets(11_000, 7_000, 0, 0, 11_000), json.get("totals"));
        assertEquals(2, json.get("customers").size());
        JsonNode berlin = json.get("customers").get(0);
        assertEquals(List.of("customerId", "current", "1-30", "31-60", "61-90", "90+"), fieldNames(berlin));
        assertEquals("a-berlin", berlin.get("customerId").asText());
        assertEquals(buckets(0, 7_000, 0, 0, 11_000), without(berlin, "customerId"));
        JsonNode auckland = json.get("customers").get(1);
        assertEquals("b-auckland", auckland.get("customerId").asText());
        assertEquals(buckets(11_000, 0, 0, 0, 0), without(auckland, "customerId"));
    }

    @Test
    void anotherCurrencyIsItsOwnReport() {
        var r = api.get("/reports/aging?asOf=2026-12-31&currency=EUR");

        assertEquals(200, r.status(), r.body());
        assertEquals(buckets(0, 0, 0, 0, 11_000), r.json().get("totals"));
        assertEquals("a-berlin", r.json().get("customers").get(0).get("customerId").asText());
    }

    @Test
    void aLaterAsOfDateCountsTheLaterPayments() {
        var r = api.get("/reports/aging?asOf=2027-01-05&currency=USD");

        assertEquals(200, r.status(), r.body());
        // only a1's 70.00 remains, now 35 days overdue; everything else was paid by then
        assertEquals(buckets(0, 0, 7_000, 0, 0), r.json().get("totals"));
    }

    @Test
    void theReportReadsOnlyTheReceivablesIndexOfItsCurrencyAndNeverScans() {
        reads.clear();

        var r = api.get("/reports/aging?asOf=2026-12-31&currency=USD");

        assertEquals(200, r.status(), r.body());
        List<ReadLog.Call> calls = reads.calls();
        assertTrue(calls.stream().allMatch(c -> c.operation().equals("Query")), calls.toString());
        for (ReadLog.Call c : calls) {
            assertEquals("GSI3", c.index());
            assertEquals("AR#USD", c.partition());
        }
        // open invoices of the currency plus those closed since the as-of date began; not a3, a4, a5
        assertEquals(USD_RECEIVABLE_ON_AS_OF, calls.stream().mapToInt(ReadLog.Call::itemsRead).sum());
        // and the capacity DynamoDB charges (ReturnConsumedCapacity=INDEXES) is GSI3's alone, not the table's
        for (ReadLog.Call c : calls) {
            assertEquals(List.of("GSI3"), c.capacityIndexes());
        }
    }

    @Test
    void asOfDefaultsToTodayInUtc() {
        var r = api.get("/reports/aging?currency=USD");

        assertEquals(200, r.status(), r.body());
        assertEquals("2026-11-22", r.json().get("asOf").asText()); // the harness clock
    }

    @Test
    void aMissingCurrencyIsA400Problem() {
        assertProblem(api.get("/reports/aging?asOf=2026-12-31"), "currency");
    }

    @Test
    void anUnknownCurrencyIsA400Problem() {
        assertProblem(api.get("/reports/aging?asOf=2026-12-31&currency=usd"), "currency");
        assertProblem(api.get("/reports/aging?asOf=2026-12-31&currency=XYZ"), "currency");
    }

    @Test
    void anInvalidAsOfDateIsA400Problem() {
        assertProblem(api.get("/reports/aging?asOf=2026-13-01&currency=USD"), "asOf");
        assertProblem(api.get("/reports/aging?asOf=31.12.2026&currency=USD"), "asOf");
        assertProblem(api.get("/reports/aging?asOf=&currency=USD"), "asOf");
    }

    @Test
    void theSampleEventIsAnswered() {
        var r = api.call(ApiHarness.sample("aging-report.json"));

        assertEquals(200, r.status(), r.body());
        assertEquals("2026-12-31", r.json().get("asOf").asText());
        assertEquals(buckets(11_000, 7_000, 0, 0, 11_000), r.json().get("totals"));
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    static void assertProblem(ApiHarness.Response r, String field) {
        assertEquals(400, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(400, r.json().get("status").asInt());
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertEquals(List.of(field), fields);
    }

    static void customer(String id, String timeZone) {
        var r = api.put("/customers/" + id, "{\"name\":\"Customer " + id + "\",\"email\":\"" + id
                + "@example.com\",\"language\":\"en\",\"timeZone\":\"" + timeZone + "\"}");
        assertEquals(201, r.status(), r.body());
    }

    /** 2 × 50.00 + 10% tax = 110.00 (11,000 minor units). */
    static String invoice(String key, String customerId, String currency, String issueDate, String dueDate) {
        var r = api.createInvoice("aging-" + key, "{\"customerId\":\"" + customerId + "\",\"currency\":\"" + currency
                + "\",\"issueDate\":\"" + issueDate + "\",\"dueDate\":\"" + dueDate + "\",\"lineItems\":"
                + "[{\"description\":\"Work\",\"quantity\":\"2\",\"unitAmount\":5000,\"taxRate\":\"10\"}]}");
        assertEquals(201, r.status(), r.body());
        assertEquals(11_000, r.json().get("total").asLong());
        return r.json().get("invoiceId").asText();
    }

    /** Records a provider payment the way the webhook does: the production rules, a versioned store write. */
    static void pay(String invoiceId, long amount, String paidAt) {
        var current = store.find(invoiceId);
        Invoice inv = current.value();
        var event = new ProviderEvent.PaymentSucceeded("stripe", "evt_" + invoiceId + paidAt, "pi_" + invoiceId + paidAt,
                amount, inv.currency(), invoiceId, Instant.parse(paidAt));
        Invoice paid = PaymentApplication.applyPayment(inv, true, event, List.of(), Instant.parse(paidAt)).invoice();
        store.update(paid, current.version(), List.of());
        if (amount >= inv.amountDue()) {
            assertEquals(InvoiceStatus.PAID, store.find(invoiceId).value().status());
        }
    }

    static JsonNode buckets(long current, long d1to30, long d31to60, long d61to90, long d90plus) {
        // Parsed, so the numbers compare as the response's do (Jackson's IntNode and LongNode are never equal).
        try {
            return dev.invoiceloyalty.adapters.Json.mapper().readTree("{\"current\":" + current + ",\"1-30\":" + d1to30
                    + ",\"31-60\":" + d31to60 + ",\"61-90\":" + d61to90 + ",\"90+\":" + d90plus + "}");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode without(JsonNode row, String field) {
        var copy = row.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(field);
        return copy;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Every DynamoDB call the API makes: its operation, and for a Query the index, the partition value, how many
     * items it read (before any filter, which is what read capacity is charged on) and the indexes that DynamoDB
     * reports consumed capacity for (requested with {@code ReturnConsumedCapacity=INDEXES}).
     */
    static final class ReadLog implements ExecutionInterceptor {
        record Call(String operation, String index, String partition, int itemsRead, List<String> capacityIndexes) {
        }

        private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

        void clear() {
            calls.clear();
        }

        List<Call> calls() {
            synchronized (calls) {
                return List.copyOf(calls);
            }
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (context.request() instanceof QueryRequest q) {
                return q.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            }
            return context.request();
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            String operation = context.request().getClass().getSimpleName().replace("Request", "");
            if (context.request() instanceof QueryRequest q && context.response() instanceof QueryResponse r) {
                var pk = q.expressionAttributeValues().get(":pk");
                List<String> capacity = null;
                if (r.consumedCapacity() != null && r.consumedCapacity().hasGlobalSecondaryIndexes()) {
                    capacity = new ArrayList<>(r.consumedCapacity().globalSecondaryIndexes().keySet());
                    if (r.consumedCapacity().table() != null && r.consumedCapacity().table().capacityUnits() != null
                            && r.consumedCapacity().table().capacityUnits() > 0) {
                        capacity.add("TABLE");
                    }
                }
                calls.add(new Call(operation, q.indexName(), pk == null ? null : pk.s(), r.scannedCount(), capacity));
            } else {
                calls.add(new Call(operation, null, null, 0, null));
            }
        }
    }
}
