package dev.invoiceloyalty.bench;

import dev.invoiceloyalty.config.Env;
import dev.invoiceloyalty.domain.Customer;
import dev.invoiceloyalty.domain.Invoice;
import dev.invoiceloyalty.local.SamTemplate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Read capacity against table size (issue 8): the reminder sweep, the weekly finance statement and the monthly
 * customer statements, run in this JVM on DynamoDB Local (in memory) over tables of 1,000 / 10,000 / 100,000 invoices
 * of which the same 100 are the work: due for a reminder at the sweep's time, and open and issued in the statements'
 * period. Each function is built by its no-arg constructor as Lambda builds it, with its template environment
 * ({@link InProcessFunction}); {@link SdkMeter} sums the consumed capacity DynamoDB reports for every call it makes.
 *
 * <h2>The tables</h2>
 * <ul>
 *   <li><b>the work</b>: {@value #DUE} open invoices, USD and EUR, issued 1–10 November 2026 net 30, of
 *   {@value #ACTIVE_CUSTOMERS} customers in five time zones. At the sweep's time (the sample's, 10 December 08:00 UTC)
 *   each has a reminder step due; the weekly statement (as of the sample's 23 November) sees them open; the monthly
 *   statements (the sample's 1 December run, for November) see their customers active.</li>
 *   <li><b>the rest</b>: invoices a business that has run for a while holds: issued January–October 2025 and paid in
 *   full 20 days later, in USD, EUR and GBP, spread over a customer base that grows with the table (one customer per
 *   {@value #HISTORY_PER_CUSTOMER} of them, so every customer, the active ones included, has about
 *   {@value #HISTORY_PER_CUSTOMER} paid invoices of history at every size). Paid invoices are out of the sweep's
 *   index and closed in the receivables index more than a year before the statements' periods.</li>
 * </ul>
 * Invoices are written with {@code DynamoDbInvoiceStore.encode} (the production item and index keys), customers with
 * the customer store; both made by {@link Fixtures} through the product's own factory and payment code.
 */
final class CapacityBench {
    static final int DUE = 100;
    static final int ACTIVE_CUSTOMERS = 50;
    static final int HISTORY_PER_CUSTOMER = 10;
    static final double TARGET_RATIO = 1.2;
    private static final String[] ZONES = {"Europe/Berlin", "America/New_York", "UTC", "Asia/Tokyo", "Europe/Paris"};
    private static final String[] LANGUAGES = {"de", "en", "en", "en", "fr"};
    private static final String[] HISTORY_CURRENCIES = {"USD", "EUR", "GBP"};
    private static final LocalDate HISTORY_START = LocalDate.parse("2025-01-01");
    private static final LocalDate WORK_START = LocalDate.parse("2026-11-01");

    /** One scheduled run measured: its consumed capacity, its DynamoDB calls by operation, and what it answered. */
    record Job(String name, String input, double readUnits, double writeUnits, Map<String, Integer> dynamoDbCalls,
               Map<String, Double> unitsByOperation, int scans, int unmeasured, String answer) {
    }

    /** One table size: invoices in the table, customers, how long seeding took, and the jobs measured on it. */
    record Size(int invoices, int customers, double seedSeconds, List<Job> jobs) {
        Job job(String name) {
            return jobs.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow();
        }
    }

    /** The three scheduled runs, in the order they run on each table (the sweep last: it changes the due invoices). */
    static final List<String> JOBS = List.of("weekly statement", "monthly statements", "reminder sweep");

    private final SamTemplate template;
    private final Backends backends;
    private final Path root;
    private final int seedThreads;

    CapacityBench(SamTemplate template, Backends backends, int seedThreads) {
        this.template = template;
        this.backends = backends;
        this.root = template.path().toAbsolutePath().getParent();
        this.seedThreads = seedThreads;
    }

    List<Size> run(List<Integer> sizes) throws Exception {
        String weekly = Files.readString(root.resolve("events/statements/weekly.json"));
        String monthly = Files.readString(root.resolve("events/statements/monthly.json"));
        String sweep = Files.readString(root.resolve("events/reminder-sweep/daily-sweep.json"));
        List<Size> out = new ArrayList<>();
        for (int invoices : sizes) {
            if (invoices < DUE) {
                throw new IllegalArgumentException("a table needs at least the " + DUE + " due invoices: " + invoices);
            }
            String table = "bench-capacity-" + invoices;
            backends.createTableWithoutStream(table);
            int history = invoices - DUE;
            int customers = Math.max(ACTIVE_CUSTOMERS, (history + HISTORY_PER_CUSTOMER - 1) / HISTORY_PER_CUSTOMER);
            Console.printf("read capacity: %,d invoices (%d due, %,d paid history), %,d customers: seeding...%n",
                    invoices, DUE, history, customers);
            long start = System.nanoTime();
            List<Customer> people = customers(customers);
            try (TableSeeder seeder = new TableSeeder(backends.dynamoDb.client(), table, seedThreads)) {
                seeder.customers(people);
                seeder.invoices(DUE, i -> dueInvoice(i, people));
                seeder.invoices(history, j -> paidHistory(j, people));
            }
            double seedSeconds = (System.nanoTime() - start) / 1e9;
            Console.printf("  seeded in %.0f s%n", seedSeconds);

            List<Job> jobs = new ArrayList<>();
            InProcessFunction statements = build("StatementFunction", table);
            jobs.add(measure(JOBS.get(0), "events/statements/weekly.json", statements, weekly));
            jobs.add(measure(JOBS.get(1), "events/statements/monthly.json", statements, monthly));
            InProcessFunction sweeper = build("ReminderSweepFunction", table);
            jobs.add(measure(JOBS.get(2), "events/reminder-sweep/daily-sweep.json", sweeper, sweep));
            for (Job j : jobs) {
                Console.printf("  %-19s %8.1f RCU  %s  scans %d  -> %s%n", j.name(), j.readUnits(), j.dynamoDbCalls(),
                        j.scans(), ResultsTable.abbreviate(j.answer(), 140));
            }
            backends.deleteTable(table);
            out.add(new Size(invoices, customers, seedSeconds, jobs));
        }
        Env.override(Map.of());
        return out;
    }

    /** The function's handler built by its no-arg constructor, with the function's environment for {@code table}. */
    private InProcessFunction build(String logicalId, String table) throws ReflectiveOperationException {
        SamTemplate.FunctionDef function = template.function(logicalId);
        return InProcessFunction.build(function, backends.environment(function, table));
    }

    private static Job measure(String name, String input, InProcessFunction function, String event) throws Exception {
        SdkMeter.Calls calls = new SdkMeter.Calls(true);
        String answer = SdkMeter.measure(calls, () -> function.invoke(event.getBytes(StandardCharsets.UTF_8)));
        System.out.flush();
        return new Job(name, input, calls.readUnits(), calls.writeUnits(), calls.operations("DynamoDb"),
                calls.unitsByOperation(), calls.calls("DynamoDb", "Scan"), calls.unmeasured(), answer);
    }

    /** Customer {@code k}: the first {@value #ACTIVE_CUSTOMERS} are the ones the due invoices belong to. */
    private static List<Customer> customers(int count) {
        List<Customer> people = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            people.add(Fixtures.customer(String.format("cus-%05d", k), LANGUAGES[k % LANGUAGES.length],
                    ZONES[k % ZONES.length], HISTORY_START.minusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant().toString()));
        }
        return people;
    }

    /** Due invoice {@code i}: open, issued 1–10 November 2026 net 30, so a step is due on 10 December everywhere. */
    private static Invoice dueInvoice(int i, List<Customer> people) {
        Customer c = people.get(i % ACTIVE_CUSTOMERS);
        return Fixtures.invoice(String.format("inv-due-%03d", i), c, i % 2 == 0 ? "USD" : "EUR",
                WORK_START.plusDays(i % 10), 30, Integer.toString(1 + i % 5), 10_000 + 250L * i, i % 2 == 0 ? "8.25" : "19",
                i + 1);
    }

    /** History invoice {@code j}: issued in 2025, paid in full 20 days later; customer {@code j mod customers}. */
    private static Invoice paidHistory(int j, List<Customer> people) {
        Customer c = people.get(j % people.size());
        LocalDate issued = HISTORY_START.plusDays(j % 300);
        Invoice open = Fixtures.invoice(String.format("inv-hist-%06d", j), c, HISTORY_CURRENCIES[j % 3], issued, 30,
                Integer.toString(1 + j % 7), 5_000 + 10L * (j % 1000), "19", j + 1);
        Instant paidAt = issued.plusDays(20).atTime(10, 0).toInstant(ZoneOffset.UTC);
        return Fixtures.paidInFull(open, "pi_hist_" + j, paidAt);
    }
}
