package dev.invoiceloyalty.api;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InvoiceConcurrencyTest {
    static ApiHarness api;

    @BeforeAll
    static void start() {
        api = new ApiHarness();
        api.createCustomer("cc", "en");
        api.drainMail();
    }

    private static List<ApiHarness.Response> inParallel(int n, java.util.function.IntFunction<ApiHarness.Response> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<ApiHarness.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit((Callable<ApiHarness.Response>) () -> {
                    go.await();
                    return call.apply(k);
                }));
            }
            go.countDown();
            List<ApiHarness.Response> out = new ArrayList<>();
            for (var f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twentyParallelCreatesWithDistinctKeysGetTwentyDistinctConsecutiveNumbers() throws Exception {
        // issued in 2025 so no other test's invoices share the year's counter
        String body = "{\"customerId\":\"cc\",\"currency\":\"EUR\",\"issueDate\":\"2025-06-01\",\"netDays\":30,"
                + "\"lineItems\":[{\"description\":\"x\",\"quantity\":\"1\",\"unitAmount\":100}]}";

        var responses = inParallel(20, i -> api.createInvoice("distinct-" + i, body));

        TreeSet<String> numbers = new TreeSet<>();
        Set<String> ids = new HashSet<>();
        for (var r : responses) {
            assertEquals(201, r.status(), r.body());
            numbers.add(r.json().get("number").asText());
            ids.add(r.json().get("invoiceId").asText());
        }
        assertEquals(20, ids.size());
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            expected.add(String.format("INV-2025-%06d", i));
        }
        assertEquals(expected, new ArrayList<>(numbers));
        assertEquals(20, api.drainMail().size());
    }

    @Test
    void twentyParallelCreatesWithOneKeyMakeOneInvoice() throws Exception {
        String body = "{\"customerId\":\"cc\",\"currency\":\"EUR\",\"issueDate\":\"2024-06-01\",\"netDays\":30,"
                + "\"lineItems\":[{\"description\":\"x\",\"quantity\":\"1\",\"unitAmount\":100}]}";
        api.drainMail();

        var responses = inParallel(20, i -> api.createInvoice("one-key", body));

        Set<String> ids = new HashSet<>();
        for (var r : responses) {
            assertEquals(201, r.status(), r.body());
            ids.add(r.json().get("invoiceId").asText());
        }
        assertEquals(1, ids.size());
        assertEquals("INV-2024-000001", responses.get(0).json().get("number").asText());
        long invoiceItems = api.snapshot().stream().filter(i -> i.get("sk").s().equals("INVOICE")
                && i.get("issueDate").s().equals("2024-06-01")).count();
        assertEquals(1, invoiceItems);
        assertEquals(1, api.drainMail().size());
    }
}
