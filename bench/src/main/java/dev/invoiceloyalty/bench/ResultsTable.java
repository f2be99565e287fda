package dev.invoiceloyalty.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The Markdown that bench/results/latest.md holds (and the README is to show). */
final class ResultsTable {
    private static final double RATIO_TARGET = 1.25;
    private static final double JAR_TARGET_MB = 16.0;

    /**
     * Everything one run measured; a section skipped by an option is empty (or null).
     *
     * @param jvmOptions the {@code --jvm-option}s given to every child JVM on top of the template's environment
     */
    record Figures(Machine machine, int runs, List<String> jvmOptions, List<ColdBench.Measured> cold,
                   List<CapacityBench.Size> capacity, WebhookBench.Result webhook, String command) {
    }

    private ResultsTable() {
    }

    static String markdown(Figures f) {
        StringBuilder md = new StringBuilder();
        Machine machine = f.machine();
        md.append("# Benchmark (issue 8): cold start, jars, read capacity, webhook\n\n");
        md.append("- date: ").append(machine.date()).append('\n');
        md.append("- machine: ").append(machine.cpus()).append(" CPUs (nproc), ").append(machine.memory())
                .append(" memory; load average ").append(machine.loadBefore()).append(" before, ")
                .append(machine.loadAfter()).append(" after (a shared machine: compare figures of the same run)\n");
        md.append("- java: `").append(machine.javaVersion()).append("`\n");
        md.append("- command: `").append(f.command()).append("`\n");
        md.append("- JVM options of the child JVMs (cold and floor alike): ").append(jvmOptionsLine(f)).append('\n');
        md.append("- backends: DynamoDB Local (in memory), ElasticMQ, SES v2 and EventBridge captures (local-emulators),"
                + " in the bench JVM\n\n");

        targets(md, f);
        if (!f.cold().isEmpty()) {
            cold(md, f);
            jars(md, f.cold());
        }
        if (!f.capacity().isEmpty()) {
            capacity(md, f.capacity());
        }
        if (f.webhook() != null) {
            webhook(md, f.webhook());
        }
        if (!f.cold().isEmpty()) {
            md.append("\n## What each cold run did (first run's answer)\n\n");
            for (ColdBench.Measured m : f.cold()) {
                md.append("- ").append(m.function()).append(": ");
                if (m.seeded() != null) {
                    md.append("set-up: ").append(m.seeded()).append("; ");
                }
                md.append("cold `").append(code(m.coldSummary())).append("`; floor `").append(code(m.floorSummary()))
                        .append("`\n");
            }
        }
        md.append(HOW);
        return md.toString();
    }

    // --- sections ------------------------------------------------------------------------------------------------

    private static String jvmOptionsLine(Figures f) {
        Set<String> template = new LinkedHashSet<>();
        for (ColdBench.Measured m : f.cold()) {
            template.add(m.templateToolOptions() == null ? "(unset)" : m.templateToolOptions());
        }
        String options = f.jvmOptions().isEmpty() ? "no `--jvm-option`" : "`--jvm-option` `" + String.join(" ", f.jvmOptions()) + "`";
        if (template.isEmpty()) {
            return options;
        }
        String perFunction = template.size() == 1
                ? "`JAVA_TOOL_OPTIONS` from the template: `" + template.iterator().next() + "` for every function"
                : "`JAVA_TOOL_OPTIONS` from the template differs by function (see the table below)";
        return options + "; " + perFunction;
    }

    private static void targets(StringBuilder md, Figures f) {
        md.append("## Targets\n\n| target | measured | met |\n|---|---|:-:|\n");
        for (ColdBench.Measured m : f.cold()) {
            if (!m.measured()) {
                md.append(String.format(Locale.ROOT, "| %s cold path ≤ %.2f× its floor | failed: %s | no |%n",
                        m.function(), RATIO_TARGET, code(m.failure())));
                continue;
            }
            double ratio = median(m.cold(), ChildJvm.Run::millis) / median(m.floor(), ChildJvm.Run::millis);
            md.append(String.format(Locale.ROOT, "| %s cold path ≤ %.2f× its floor | %.2f× | %s |%n", m.function(),
                    RATIO_TARGET, ratio, yes(ratio <= RATIO_TARGET)));
        }
        for (ColdBench.Measured m : f.cold()) {
            boolean ok = m.jar().megabytes() <= JAR_TARGET_MB && m.jar().otherHttpClients().isEmpty();
            md.append(String.format(Locale.ROOT, "| %s jar ≤ %.0f MB, no Apache/Netty/CRT | %.1f MB, %s | %s |%n",
                    m.function(), JAR_TARGET_MB, m.jar().megabytes(),
                    m.jar().otherHttpClients().isEmpty() ? "none" : String.join(", ", m.jar().otherHttpClients()), yes(ok)));
        }
        List<CapacityBench.Size> sizes = f.capacity();
        if (sizes.size() >= 2) {
            CapacityBench.Size small = sizes.get(0);
            CapacityBench.Size large = sizes.get(sizes.size() - 1);
            for (String job : CapacityBench.JOBS) {
                double ratio = large.job(job).readUnits() / small.job(job).readUnits();
                md.append(String.format(Locale.ROOT, "| %s read capacity %,d → %,d invoices ≤ %.1f× | %.1f → %.1f RCU = %.2f× | %s |%n",
                        job, small.invoices(), large.invoices(), CapacityBench.TARGET_RATIO,
                        small.job(job).readUnits(), large.job(job).readUnits(), ratio,
                        yes(ratio <= CapacityBench.TARGET_RATIO)));
            }
        }
        WebhookBench.Result w = f.webhook();
        if (w != null) {
            md.append(String.format(Locale.ROOT, "| webhook DynamoDB calls per payment ≤ %.0f | %.2f (max %d) | %s |%n",
                    WebhookBench.DYNAMODB_TARGET, w.dynamoDbMean(), w.dynamoDbMax(), yes(w.dynamoDbMax() <= WebhookBench.DYNAMODB_TARGET)));
            md.append(String.format(Locale.ROOT, "| webhook SQS calls per payment ≤ %.0f | %.2f (max %d) | %s |%n",
                    WebhookBench.SQS_TARGET, w.sqsMean(), w.sqsMax(), yes(w.sqsMax() <= WebhookBench.SQS_TARGET)));
            md.append(String.format(Locale.ROOT, "| webhook warm p50 ≤ %.0f× a bare TransactWriteItems | %.2f ms / %.2f ms = %.2f× | %s |%n",
                    WebhookBench.LATENCY_TARGET, w.p50(), w.bareP50(), w.ratio(), yes(w.ratio() <= WebhookBench.LATENCY_TARGET)));
        }
        md.append('\n');
    }

    private static void cold(StringBuilder md, Figures f) {
        md.append("## Cold path vs floor (").append(f.runs())
                .append(" runs each, interleaved; ms from process start to result; peak RSS = max VmHWM over the runs)\n\n");
        md.append("| function | event | cold median | cold min | cold max | cold peak RSS | floor median | floor min | floor max "
                + "| floor peak RSS | cold/floor (medians) | ≤ ").append(RATIO_TARGET).append("× |\n");
        md.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|\n");
        for (ColdBench.Measured m : f.cold()) {
            if (!m.measured()) {
                md.append("| ").append(m.function()).append(" | `").append(m.event()).append("` | failed: `")
                        .append(code(m.failure())).append("` | | | | | | | | | no |\n");
                continue;
            }
            double cold = median(m.cold(), ChildJvm.Run::millis);
            double floor = median(m.floor(), ChildJvm.Run::millis);
            double ratio = cold / floor;
            md.append(String.format(Locale.ROOT, "| %s | `%s` | %.0f | %.0f | %.0f | %d MB | %.0f | %.0f | %.0f | %d MB | %.2f | %s |%n",
                    m.function(), m.event(), cold, min(m.cold()), max(m.cold()), peakMb(m.cold()),
                    floor, min(m.floor()), max(m.floor()), peakMb(m.floor()), ratio, yes(ratio <= RATIO_TARGET)));
        }
        for (ColdBench.Measured m : f.cold()) {
            if (!m.measured() || m.floorWithRenderers().isEmpty()) {
                continue;
            }
            double cold = median(m.cold(), ChildJvm.Run::millis);
            double floor = median(m.floor(), ChildJvm.Run::millis);
            double rendered = median(m.floorWithRenderers(), ChildJvm.Run::millis);
            md.append(String.format(Locale.ROOT, "%n%s: the floor plus the libraries SPEC §8's email needs on first use, "
                            + "with none of our code (one JFreeChart bar chart encoded as PNG, one Jakarta Mail message "
                            + "with the PNG inline and two CSV attachments; `FloorRenderers`), interleaved with the runs "
                            + "above: median %.0f ms (min %.0f, max %.0f) = %.2f× the floor; the cold path is %.2f× that.%n",
                    m.function(), rendered, min(m.floorWithRenderers()), max(m.floorWithRenderers()), rendered / floor,
                    cold / rendered));
        }
        md.append("\nJVM options in effect, as the first cold and floor JVM of each function reported them "
                + "(`RuntimeMXBean.getInputArguments()`: `--jvm-option`s and what the JVM picked up from `JAVA_TOOL_OPTIONS`):\n\n");
        md.append("| function | `JAVA_TOOL_OPTIONS` (template) | cold JVM | floor JVM |\n|---|---|---|---|\n");
        for (ColdBench.Measured m : f.cold()) {
            md.append("| ").append(m.function()).append(" | ")
                    .append(m.templateToolOptions() == null ? "(unset)" : "`" + code(m.templateToolOptions()) + "`").append(" | ")
                    .append(args(m.coldJvmArguments())).append(" | ").append(args(m.floorJvmArguments())).append(" |\n");
        }
    }

    private static void jars(StringBuilder md, List<ColdBench.Measured> results) {
        md.append("\n## Function jars\n\n");
        md.append("| function | jar size | ≤ ").append((int) JAR_TARGET_MB)
                .append(" MB | SDK service modules (`software/amazon/awssdk/services/*`) | Apache / Netty / CRT |\n");
        md.append("|---|--:|:-:|---|---|\n");
        for (ColdBench.Measured m : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f MB | %s | %s | %s |%n", m.function(), m.jar().megabytes(),
                    yes(m.jar().megabytes() <= JAR_TARGET_MB), String.join(", ", m.jar().sdkServices()),
                    m.jar().otherHttpClients().isEmpty() ? "none" : String.join(", ", m.jar().otherHttpClients())));
        }
    }

    private static void capacity(StringBuilder md, List<CapacityBench.Size> sizes) {
        md.append("\n## Read capacity against table size (").append(CapacityBench.DUE)
                .append(" invoices of work at every size)\n\n");
        md.append("Consumed read capacity units (RCU) as DynamoDB Local reports them with `ReturnConsumedCapacity=TOTAL`, "
                + "summed over every call of one run of the function (built by its no-arg constructor in the bench JVM).\n\n");
        md.append("| invoices | customers | seeding |");
        for (String job : CapacityBench.JOBS) {
            md.append(' ').append(job).append(" RCU |");
        }
        md.append('\n').append("|--:|--:|--:|").append("--:|".repeat(CapacityBench.JOBS.size())).append('\n');
        for (CapacityBench.Size s : sizes) {
            md.append(String.format(Locale.ROOT, "| %,d | %,d | %.0f s |", s.invoices(), s.customers(), s.seedSeconds()));
            for (String job : CapacityBench.JOBS) {
                md.append(String.format(Locale.ROOT, " %.1f |", s.job(job).readUnits()));
            }
            md.append('\n');
        }
        if (sizes.size() >= 2) {
            CapacityBench.Size small = sizes.get(0);
            CapacityBench.Size large = sizes.get(sizes.size() - 1);
            md.append(String.format(Locale.ROOT, "| ratio %,d / %,d | | |", large.invoices(), small.invoices()));
            for (String job : CapacityBench.JOBS) {
                double ratio = large.job(job).readUnits() / small.job(job).readUnits();
                md.append(String.format(Locale.ROOT, " **%.2f×** (≤ %.1f×: %s) |", ratio, CapacityBench.TARGET_RATIO,
                        yes(ratio <= CapacityBench.TARGET_RATIO)));
            }
            md.append('\n');
        }
        md.append("\nThe work is the same 100 invoices at every size; the rest is paid history (2025, one customer per "
                + CapacityBench.HISTORY_PER_CUSTOMER + " invoices). The monthly statements read each active customer's "
                + "whole invoice history (GSI1 `CUSTOMER#<id>#INVOICES` up to the month's end), about "
                + CapacityBench.HISTORY_PER_CUSTOMER + " paid invoices per customer here at every size: flat in the table "
                + "size, but growing with a customer's own history.\n");
        md.append("\nCalls per run: DynamoDB operations with the capacity units they consumed (read units for GetItem, "
                + "Query, Scan, BatchGetItem, TransactGetItems; write units, WCU, for the others, as DynamoDB Local counts "
                + "them, index writes included); Scans counted apart; unmeasured = calls whose response carried no capacity.\n\n");
        md.append("| job | input | invoices | RCU | WCU | DynamoDB calls by operation (units) | Scans | unmeasured | answer |\n");
        md.append("|---|---|--:|--:|--:|---|--:|--:|---|\n");
        for (String job : CapacityBench.JOBS) {
            for (CapacityBench.Size s : sizes) {
                CapacityBench.Job j = s.job(job);
                md.append(String.format(Locale.ROOT, "| %s | `%s` | %,d | %.1f | %.1f | %s | %d | %d | `%s` |%n", job,
                        j.input(), s.invoices(), j.readUnits(), j.writeUnits(), operations(j.dynamoDbCalls(),
                                j.unitsByOperation()), j.scans(),
                        j.unmeasured(), code(abbreviate(j.answer(), 120))));
            }
        }
    }

    private static void webhook(StringBuilder md, WebhookBench.Result w) {
        md.append("\n## Webhook per payment\n\n");
        md.append(String.format(Locale.ROOT, "%d signed Stripe `payment_intent.succeeded` events after %d warm-up ones, "
                        + "each paying one seeded open invoice in full; answers: %s. Calls counted by an SDK interceptor on "
                        + "every client of the handler; per completing payment (%d):%n%n",
                w.payments(), w.warmup(), w.outcomes(), w.completed()));
        md.append("| per completing payment | mean | max | target | met |\n|---|--:|--:|--:|:-:|\n");
        md.append(String.format(Locale.ROOT, "| DynamoDB calls | %.2f | %d | ≤ %.0f | %s |%n", w.dynamoDbMean(),
                w.dynamoDbMax(), WebhookBench.DYNAMODB_TARGET, yes(w.dynamoDbMax() <= WebhookBench.DYNAMODB_TARGET)));
        md.append(String.format(Locale.ROOT, "| SQS calls | %.2f | %d | ≤ %.0f | %s |%n", w.sqsMean(), w.sqsMax(),
                WebhookBench.SQS_TARGET, yes(w.sqsMax() <= WebhookBench.SQS_TARGET)));
        md.append(String.format(Locale.ROOT, "| SQS messages sent | %.2f | | | |%n", w.sqsMessagesMean()));
        md.append(String.format(Locale.ROOT, "| EventBridge calls | %.2f | %d | | |%n", w.eventBridgeMean(), w.eventBridgeMax()));
        md.append(String.format(Locale.ROOT, "| EventBridge events put | %.2f | | | |%n", w.eventsMean()));
        md.append("\nBy operation (calls per completing payment): ").append(w.callsPerPayment().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "))).append("\n\n");
        double inSdk = w.millisPerPayment().values().stream().mapToDouble(Double::doubleValue).sum();
        md.append(String.format(Locale.ROOT, "Where a completing payment's time goes (mean ms): whole request %.2f; in SDK calls "
                + "(marshalling, signing, round trip, unmarshalling) %s; outside them %.2f.%n%n", w.handlerMean(),
                w.millisPerPayment().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")), w.handlerMean() - inSdk));
        WebhookBench.Relayed r = w.relayed();
        md.append(String.format(Locale.ROOT, "The webhook sends nothing itself: each payment's messages are committed with its dedup "
                        + "record, and `OutboxRelayFunction` sends them from the table's stream. Run afterwards over the stream "
                        + "(filtered as the template filters it, batches of 100 records as its `BatchSize`), the relay took %d "
                        + "outbox records (all %d payments, warm-up included) in %d invocations: %d SQS calls for %d messages "
                        + "(%.2f calls per payment), %d PutEvents for %d events (%.2f per payment), %d batch item failures, %.0f ms "
                        + "in all.%n%n", r.records(), w.warmup() + w.payments(), r.batches(), r.sqsCalls(), r.sqsMessages(),
                r.sqsCalls() / (double) Math.max(1, r.records()), r.eventBridgeCalls(), r.events(),
                r.eventBridgeCalls() / (double) Math.max(1, r.records()), r.failures(), r.millis()));
        md.append("| warm latency (ms) | p50 | p99 |\n|---|--:|--:|\n");
        md.append(String.format(Locale.ROOT, "| webhook handler (one payment) | %.2f | %.2f |%n", w.p50(), w.p99()));
        md.append(String.format(Locale.ROOT, "| bare TransactWriteItems (one conditional Put) | %.2f | %.2f |%n",
                w.bareP50(), w.bareP99()));
        md.append(String.format(Locale.ROOT, "| ratio | **%.2f×** (≤ %.0f×: %s) | %.2f× |%n", w.ratio(),
                WebhookBench.LATENCY_TARGET, yes(w.ratio() <= WebhookBench.LATENCY_TARGET), w.p99() / w.bareP99()));
    }

    private static final String HOW = """

            ## How it is measured

            - **cold**: a fresh `java -cp <function jar>:bench-launcher.jar:aws-lambda-java-serialization.jar` that loads the
              template's handler, builds it with its no-arg constructor, deserialises the sample with
              `LambdaEventSerializers` (raw bytes for a `RequestStreamHandler`), handles it once and serialises the answer.
              The environment is the template's (Globals merged with the function's own variables, as SAM merges them;
              plain values such as `JAVA_TOOL_OPTIONS` as written, Refs resolved to the bench's table, queues and bus)
              plus `AWS_ENDPOINT_URL_<SERVICE>` of the emulators; the bench's own `AWS_*` and `JAVA_TOOL_OPTIONS` are not
              inherited. Every run gets a fresh table, seeded untimed from the bench JVM through the production stores so
              the sample takes its main path (see "What each cold run did"). The Stripe sample is re-signed with the
              current time (Stripe's 300 s tolerance).
            - **floor**: a fresh JVM on the same class path and environment that builds the function's SDK clients as
              `AwsClients` does (url-connection client, region, static credentials, endpoint from the environment), makes
              one call on each (DynamoDB GetItem, SQS SendMessage, SESv2 SendEmail, EventBridge PutEvents) and parses the
              same event the same way. The webhook's secrets client is not in its floor: with the secrets in the
              environment (as locally) the webhook never builds it.
            - time is wall-clock from `ProcessBuilder.start()` to the launcher's result line; peak RSS is the launcher's
              own `VmHWM` read after the result.
            - **read capacity**: for each table size, a fresh table holds 100 invoices of work (open, USD and EUR, issued
              1–10 November 2026 net 30, 50 customers in 5 time zones) and the rest as paid history (issued in 2025 and
              paid in full 20 days later, USD/EUR/GBP, one customer per 10 of them, so each customer has ~10 invoices of
              history at every size), written with `DynamoDbInvoiceStore.encode` and the customer store. Then, in the bench
              JVM, `StatementFunction` runs `events/statements/weekly.json` and `monthly.json` and `ReminderSweepFunction`
              runs `events/reminder-sweep/daily-sweep.json`, each handler built by its no-arg constructor with its template
              environment. An SDK execution interceptor adds `ReturnConsumedCapacity=TOTAL` to every DynamoDB request and
              sums the capacity each response reports (reads: GetItem, Query, Scan, BatchGetItem, TransactGetItems);
              SQS, SES and EventBridge calls go to the emulators and cost no read capacity.
            - **webhook**: `PaymentWebhookFunction`'s handler built the same way in the bench JVM, seeded open invoices,
              one signed `payment_intent.succeeded` per invoice for its amount due; the interceptor counts every call per
              request without changing it. Latency is the handler's wall time per request after the warm-up, next to a
              bare TransactWriteItems (one Put with `attribute_not_exists(pk)`) on a DynamoDB client configured as the
              handler's (`AwsClients`, same url-connection HTTP client, same table), interleaved request by request.
            """;

    // --- helpers -------------------------------------------------------------------------------------------------

    private static String operations(Map<String, Integer> ops, Map<String, Double> units) {
        if (ops.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        ops.forEach((op, n) -> parts.add(String.format(Locale.ROOT, "%s %d (%.1f)", op, n, units.getOrDefault(op, 0.0))));
        return String.join(", ", parts);
    }

    private static String args(String arguments) {
        return arguments == null || arguments.isBlank() ? "(none)" : "`" + code(arguments) + "`";
    }

    private static String yes(boolean ok) {
        return ok ? "yes" : "no";
    }

    /** Text for an inline code span in a table: no backquotes, no pipes. */
    private static String code(String s) {
        return s.replace("`", "'").replace("|", "\\|");
    }

    static String abbreviate(String s, int max) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "...";
    }

    static double median(List<ChildJvm.Run> runs, ToDoubleFunction<ChildJvm.Run> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<ChildJvm.Run> runs) {
        return runs.stream().mapToDouble(ChildJvm.Run::millis).min().orElse(Double.NaN);
    }

    private static double max(List<ChildJvm.Run> runs) {
        return runs.stream().mapToDouble(ChildJvm.Run::millis).max().orElse(Double.NaN);
    }

    private static long peakMb(List<ChildJvm.Run> runs) {
        return runs.stream().max(Comparator.comparingLong(ChildJvm.Run::peakRssKb)).map(r -> r.peakRssKb() / 1024).orElse(-1L);
    }
}
