package dev.invoiceloyalty.bench;

import dev.invoiceloyalty.adapters.Attr;
import dev.invoiceloyalty.adapters.DynamoDbCustomerStore;
import dev.invoiceloyalty.adapters.DynamoDbInvoiceStore;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Writes many customers and invoices fast, encoded exactly as the product stores them: invoices through
 * {@link DynamoDbInvoiceStore#encode} (document, lifted attributes, GSI1/GSI2/GSI3 keys) with BatchWriteItem, 25 a
 * call, on a few threads; customers through {@link DynamoDbCustomerStore#create} (its encoder is not public). Nothing
 * here is measured: these calls run outside {@link SdkMeter#measure}.
 */
final class TableSeeder implements AutoCloseable {
    private static final int BATCH = 25;
    private static final int TASK = 500;

    private final DynamoDbClient ddb;
    private final String table;
    private final ExecutorService pool;

    TableSeeder(DynamoDbClient ddb, String table, int threads) {
        this.ddb = ddb;
        this.table = table;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-seeder");
            t.setDaemon(true);
            return t;
        });
    }

    /** Invoices {@code 0 … count-1} made by {@code invoice}, stored at version 1 as the invoice store creates them. */
    void invoices(int count, IntFunction<Invoice> invoice) {
        List<Future<?>> tasks = new ArrayList<>();
        for (int from = 0; from < count; from += TASK) {
            int start = from;
            int end = Math.min(count, from + TASK);
            tasks.add(pool.submit(() -> {
                List<WriteRequest> batch = new ArrayList<>(BATCH);
                for (int i = start; i < end; i++) {
                    Map<String, AttributeValue> item = DynamoDbInvoiceStore.encode(invoice.apply(i));
                    item.put("version", Attr.n(1));
                    batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                    if (batch.size() == BATCH) {
                        write(batch);
                        batch = new ArrayList<>(BATCH);
                    }
                }
                if (!batch.isEmpty()) {
                    write(batch);
                }
            }));
        }
        await(tasks);
    }

    /** Customers through the customer store's own create transaction. */
    void customers(List<Customer> customers) {
        DynamoDbCustomerStore store = new DynamoDbCustomerStore(ddb, table);
        List<Future<?>> tasks = new ArrayList<>();
        for (int from = 0; from < customers.size(); from += TASK) {
            List<Customer> slice = customers.subList(from, Math.min(customers.size(), from + TASK));
            tasks.add(pool.submit(() -> slice.forEach(c -> store.create(c, List.of()))));
        }
        await(tasks);
    }

    /** One BatchWriteItem, and again with whatever DynamoDB left unprocessed until nothing is. */
    private void write(List<WriteRequest> batch) {
        List<WriteRequest> pending = batch;
        while (!pending.isEmpty()) {
            List<WriteRequest> request = pending;
            var response = ddb.batchWriteItem(b -> b.requestItems(Map.of(table, request)));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
        }
    }

    private static void await(List<Future<?>> tasks) {
        for (Future<?> task : tasks) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("seeding interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("seeding failed", e.getCause());
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
