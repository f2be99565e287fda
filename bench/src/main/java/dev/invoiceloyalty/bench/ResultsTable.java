package dev.invoiceloyalty.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The Markdown that bench/results/latest.md holds (and the README is to show). */
final class ResultsTable {
    private static final double RATIO_TARGET = 1.25;
    private static final double JAR_TARGET_MB = 16.0;

    private ResultsTable() {
    }

    static String markdown(List<Main.Measured> results, Machine machine, int runs, List<String> jvmOptions) {
        StringBuilder md = new StringBuilder();
        md.append("# Cold-start benchmark (issue 8, part 1)\n\n");
        md.append("- date: ").append(machine.date()).append('\n');
        md.append("- machine: ").append(machine.cpus()).append(" CPUs (nproc), ").append(machine.memory())
                .append(" memory; load average ").append(machine.loadBefore()).append(" before, ")
                .append(machine.loadAfter()).append(" after (other builds were running: figures are indicative)\n");
        md.append("- java: `").append(machine.javaVersion()).append("`\n");
        md.append("- child JVM options: ").append(jvmOptions.isEmpty() ? "none (JVM defaults)" : "`" + String.join(" ", jvmOptions) + "`")
                .append("; ").append(runs).append(" runs per function, cold and floor runs interleaved\n");
        md.append("- backends: DynamoDB Local, ElasticMQ, SES v2 and EventBridge captures (local-emulators), in the bench JVM\n\n");

        md.append("## Cold path vs floor (ms from process start to result; peak RSS = max VmHWM over the runs)\n\n");
        md.append("| function | event | cold median | cold min | cold max | cold peak RSS | floor median | floor min | floor max "
                + "| floor peak RSS | cold/floor (medians) | ≤ ").append(RATIO_TARGET).append("× |\n");
        md.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|\n");
        for (Main.Measured m : results) {
            double cold = median(m.cold(), ChildJvm.Run::millis);
            double floor = median(m.floor(), ChildJvm.Run::millis);
            double ratio = cold / floor;
            md.append(String.format(Locale.ROOT, "| %s | `%s` | %.0f | %.0f | %.0f | %d MB | %.0f | %.0f | %.0f | %d MB | %.2f | %s |%n",
                    m.function(), m.event(), cold, min(m.cold()), max(m.cold()), peakMb(m.cold()),
                    floor, min(m.floor()), max(m.floor()), peakMb(m.floor()), ratio, ratio <= RATIO_TARGET ? "yes" : "no"));
        }
        md.append("\n## Function jars\n\n");
        md.append("| function | jar size | ≤ ").append((int) JAR_TARGET_MB)
                .append(" MB | SDK service modules (`software/amazon/awssdk/services/*`) | Apache / Netty / CRT |\n");
        md.append("|---|--:|:-:|---|---|\n");
        for (Main.Measured m : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f MB | %s | %s | %s |%n", m.function(), m.jar().megabytes(),
                    m.jar().megabytes() <= JAR_TARGET_MB ? "yes" : "no", String.join(", ", m.jar().sdkServices()),
                    m.jar().otherHttpClients().isEmpty() ? "none" : String.join(", ", m.jar().otherHttpClients())));
        }
        md.append("\n## What each run did (first run's answer)\n\n");
        for (Main.Measured m : results) {
            md.append("- ").append(m.function()).append(": cold `").append(m.coldSummary().replace("`", "'"))
                    .append("`; floor `").append(m.floorSummary().replace("`", "'")).append("`\n");
        }
        md.append("""

                ## How it is measured

                - **cold**: a fresh `java -cp <function jar>:bench-launcher.jar:aws-lambda-java-serialization.jar` that loads the
                  template's handler, builds it with its no-arg constructor, deserialises the sample with
                  `LambdaEventSerializers` (raw bytes for a `RequestStreamHandler`), handles it once and serialises the answer.
                  The environment is the template's (Globals + function, Refs resolved to the bench's table, queues and bus)
                  plus `AWS_ENDPOINT_URL_<SERVICE>` of the emulators. Every run gets a fresh table; `InvoiceApiFunction` first
                  runs `put-customer.json` on it, untimed, so `create-invoice.json` finds its customer. The Stripe sample is
                  re-signed with the current time (Stripe's 300 s tolerance).
                - **floor**: a fresh JVM on the same class path that builds the function's SDK clients as `AwsClients` does
                  (url-connection client, region, static credentials, endpoint from the environment), makes one call on each
                  (DynamoDB GetItem, SQS SendMessage, SESv2 SendEmail, EventBridge PutEvents) and parses the same event the same
                  way. SSM is in the webhook's jar but not in its floor: with the secrets in the environment (as locally) the
                  webhook never builds its SSM client.
                - time is wall-clock from `ProcessBuilder.start()` to the launcher's result line; peak RSS is the launcher's
                  own `VmHWM` read after the result.

                ## Not done yet (issue 8)

                - the sweep's and the statement's consumed read capacity at 1,000 / 10,000 / 100,000 invoices with 100 due;
                - the webhook's DynamoDB and SQS calls per payment and its warm p50/p99 next to a bare TransactWriteItems;
                - production settings (JAVA_TOOL_OPTIONS, measured memory sizes, SnapStart priming with a test), the
                  optimisations and the README table.
                """);
        return md.toString();
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
