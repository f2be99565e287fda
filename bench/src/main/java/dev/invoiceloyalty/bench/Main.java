package dev.invoiceloyalty.bench;

import dev.invoiceloyalty.local.SamTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 8's benchmark, in one run on the embedded backends: for each function of template.yaml its cold path and its
 * floor in fresh JVMs and its jar's size and SDK modules ({@link ColdBench}); the reminder sweep's and the statements'
 * read capacity at 1,000 / 10,000 / 100,000 invoices with the same 100 due ({@link CapacityBench}); the webhook's
 * calls per payment and warm latency next to a bare TransactWriteItems ({@link WebhookBench}). Prints the figures and
 * writes them to {@code bench/results/latest.md}.
 *
 * <p>Options: {@code --runs N} (default 10), {@code --only Fn1,Fn2} (cold runs of these functions only),
 * {@code --jvm-option OPT} (repeatable; given to both the cold and the floor JVMs), {@code --sizes 1000,10000,100000},
 * {@code --payments N} (default 500, after {@code --warmup N}, default 50), and for development
 * {@code --skip-cold}, {@code --skip-capacity}, {@code --skip-webhook}. A run that skips a section or uses
 * {@code --only} writes {@code bench/target/bench-work/partial.md} instead of the results file.
 */
public final class Main {
    private static final String USAGE = "options: --runs N, --only Fn1,Fn2, --jvm-option OPT, --sizes N1,N2,..., "
            + "--payments N, --warmup N, --skip-cold, --skip-capacity, --skip-webhook";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 10;
        List<String> only = List.of();
        List<String> jvmOptions = new ArrayList<>();
        List<Integer> sizes = List.of(1_000, 10_000, 100_000);
        int payments = 500;
        int warmup = 50;
        boolean skipCold = false;
        boolean skipCapacity = false;
        boolean skipWebhook = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                case "--jvm-option" -> jvmOptions.add(args[++i]);
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::parseInt).toList();
                case "--payments" -> payments = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--skip-cold" -> skipCold = true;
                case "--skip-capacity" -> skipCapacity = true;
                case "--skip-webhook" -> skipWebhook = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (" + USAGE + ")");
            }
        }
        boolean partial = skipCold || skipCapacity || skipWebhook || !only.isEmpty();

        SamTemplate template = SamTemplate.load(SamTemplate.locate());
        Path root = template.path().toAbsolutePath().getParent();
        Path benchTarget = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        Path launcherJar = benchTarget.resolve("bench-launcher.jar");
        Path serializationJar;
        try (var libs = Files.list(benchTarget.resolve("lib"))) {
            serializationJar = libs.filter(p -> p.getFileName().toString().startsWith("aws-lambda-java-serialization-"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("aws-lambda-java-serialization not in lib/"));
        }
        Path work = Files.createDirectories(benchTarget.resolve("bench-work"));
        Path childLog = work.resolve("children.log");
        Path functionLog = work.resolve("in-process.log");
        Files.writeString(childLog, "");
        Files.writeString(functionLog, "");
        Machine machine = Machine.describe();
        ChildJvm jvm = new ChildJvm(Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions, childLog);

        // The SES and EventBridge captures run on the JDK's HTTP server, which leaves Nagle's algorithm on by default:
        // its response headers and body then go out as two small writes, and the second waits for the client's
        // delayed ACK, ~40 ms per call that no AWS endpoint adds. Read once, when the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Console.println("starting the embedded backends...");
        Console.divertFunctionLogs(functionLog);
        try (Backends backends = Backends.start(template)) {
            long start = System.nanoTime();
            List<ColdBench.Measured> cold = skipCold ? List.of()
                    : new ColdBench(template, backends, jvm, launcherJar, serializationJar, work).run(runs, only);
            List<CapacityBench.Size> capacity = skipCapacity ? List.of()
                    : new CapacityBench(template, backends, 3).run(sizes);
            WebhookBench.Result webhook = skipWebhook ? null : new WebhookBench(template, backends).run(warmup, payments);
            Console.printf("measured in %.0f s%n", (System.nanoTime() - start) / 1e9);

            String command = "java -jar bench/target/bench.jar" + (args.length == 0 ? "" : " " + String.join(" ", args));
            String markdown = ResultsTable.markdown(new ResultsTable.Figures(machine.after(), runs, jvmOptions, cold,
                    capacity, webhook, command));
            Path out = partial ? work.resolve("partial.md") : root.resolve("bench/results/latest.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, markdown);
            Console.println("");
            Console.println(markdown);
            Console.println("written to " + root.relativize(out) + "; child JVM logs in " + childLog
                    + ", in-process function logs in " + functionLog);
        } finally {
            Console.restore();
        }
        System.exit(0);
    }
}
