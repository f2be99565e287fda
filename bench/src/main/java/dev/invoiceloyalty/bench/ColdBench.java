package dev.invoiceloyalty.bench;

import dev.invoiceloyalty.local.SamTemplate;

import java.io.File;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cold path against floor, per function of the template: fresh JVMs, a fresh table per run, cold and floor runs
 * interleaved. See {@code bench/README.md}.
 */
final class ColdBench {
    private static final String COLD = "dev.invoiceloyalty.bench.launch.ColdStart";
    private static final String FLOOR = "dev.invoiceloyalty.bench.launch.Floor";
    /** The services the embedded backends serve and the floor calls; SSM is read only without env secrets. */
    private static final List<String> FLOOR_SERVICES = List.of("dynamodb", "sqs", "sesv2", "eventbridge");

    /**
     * One function's figures.
     *
     * @param seeded            what the bench wrote to each fresh table before the timed run (null: nothing)
     * @param templateToolOptions {@code JAVA_TOOL_OPTIONS} of the function's resolved template environment (null: unset)
     * @param coldJvmArguments  what the first cold JVM reported it started with
     * @param floorJvmArguments what the first floor JVM reported it started with
     * @param failure           why the function's cold path failed (its runs stop there), or null
     * @param floorWithRenderers for a jar holding JFreeChart and Jakarta Mail (the statements): the floor plus a first
     *                          chart and MIME message drawn with them ({@code FloorRenderers}), interleaved with the
     *                          others; empty for the other functions
     */
    record Measured(String function, String event, List<ChildJvm.Run> cold, List<ChildJvm.Run> floor,
                    JarContents jar, String coldSummary, String floorSummary, String seeded,
                    String templateToolOptions, String coldJvmArguments, String floorJvmArguments, String failure,
                    List<ChildJvm.Run> floorWithRenderers) {
        boolean measured() {
            return failure == null && !cold.isEmpty() && !floor.isEmpty();
        }
    }

    private final SamTemplate template;
    private final Path root;
    private final Backends backends;
    private final ChildJvm jvm;
    private final Path launcherJar;
    private final Path serializationJar;
    private final Path work;

    ColdBench(SamTemplate template, Backends backends, ChildJvm jvm, Path launcherJar, Path serializationJar, Path work) {
        this.template = template;
        this.root = template.path().toAbsolutePath().getParent();
        this.backends = backends;
        this.jvm = jvm;
        this.launcherJar = launcherJar;
        this.serializationJar = serializationJar;
        this.work = work;
    }

    List<Measured> run(int runs, List<String> only) throws Exception {
        List<Measured> results = new ArrayList<>();
        for (SamTemplate.FunctionDef function : template.functions()) {
            if (!only.isEmpty() && !only.contains(function.logicalId())) {
                continue;
            }
            results.add(measure(function, runs));
        }
        return results;
    }

    private Measured measure(SamTemplate.FunctionDef function, int runs) throws Exception {
        Path jar = root.resolve(function.codeUri()).normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with mvn -Pbench -pl bench -am package");
        }
        // CodeUri functions/<name>/target/<jar> -> events/<name>/
        String folder = jar.getParent().getParent().getFileName().toString();
        Path eventsDir = root.resolve("events").resolve(folder);
        Path sample = Samples.timed(eventsDir);
        Path setup = Samples.setup(eventsDir);
        String handlerClass = function.handler().split("::")[0];
        String eventType = eventTypeOf(jar, handlerClass);
        JarContents contents = JarContents.of(jar);
        List<String> services = contents.sdkServices().stream().filter(FLOOR_SERVICES::contains).toList();
        String classPath = jar + File.pathSeparator + launcherJar + File.pathSeparator + serializationJar;
        boolean renderers = holdsRenderers(jar);

        Console.printf("%s: %s (%s), %d runs%n", function.logicalId(), root.relativize(sample), eventType, runs);
        List<ChildJvm.Run> cold = new ArrayList<>();
        List<ChildJvm.Run> floor = new ArrayList<>();
        List<ChildJvm.Run> floorWithRenderers = new ArrayList<>();
        String toolOptions = null;
        String failure = null;
        for (int i = 0; i < runs && failure == null; i++) {
            // A fresh table per run, so every run takes the same path (no idempotent replays).
            String table = "bench-" + function.logicalId() + "-" + i;
            backends.createTable(table);
            Map<String, String> env = backends.environment(function, table);
            toolOptions = env.get("JAVA_TOOL_OPTIONS");
            if (setup != null) {
                jvm.run(classPath, COLD, List.of(handlerClass, setup.toString(), function.logicalId()), env);
            }
            ColdSeeds.seed(folder, sample, backends.dynamoDb.client(), table,
                    ZoneId.of(env.getOrDefault("DEFAULT_TIME_ZONE", "UTC")));
            Path event = Samples.fresh(sample, work);
            try {
                cold.add(jvm.run(classPath, COLD, List.of(handlerClass, event.toString(), function.logicalId()), env));
                Map<String, String> floorEnv = new LinkedHashMap<>(env);
                floorEnv.put("BENCH_FLOOR_QUEUE_URL", backends.floorQueue);
                floor.add(jvm.run(classPath, FLOOR, List.of(event.toString(), eventType, String.join(",", services)),
                        floorEnv));
                if (renderers) {
                    floorWithRenderers.add(jvm.run(classPath, FLOOR, List.of(event.toString(), eventType,
                            String.join(",", services) + ",renderers"), floorEnv));
                }
                Console.printf("  run %2d: cold %6.0f ms  floor %6.0f ms%s%n", i + 1, cold.get(i).millis(),
                        floor.get(i).millis(), renderers
                                ? String.format("  floor + renderers %6.0f ms", floorWithRenderers.get(i).millis()) : "");
            } catch (ChildJvm.Failed e) {
                // A broken function is a finding, not the end of the run: the other parts are still measured.
                failure = e.reason();
                Console.println("  FAILED: " + e.getMessage());
            }
            backends.deleteTable(table);
        }
        String seeded = setup != null ? "`" + root.relativize(setup) + "` run through the function first, untimed"
                : ColdSeeds.describe(folder);
        String coldSummary = cold.isEmpty() ? "failed: " + failure : cold.get(0).summary();
        String floorSummary = floor.isEmpty() ? "(not run)" : floor.get(0).summary();
        Console.println("  cold result:  " + coldSummary);
        Console.println("  floor result: " + floorSummary);
        return new Measured(function.logicalId(), root.relativize(sample).toString(), cold, floor, contents,
                coldSummary, floorSummary, seeded, toolOptions, cold.isEmpty() ? "" : cold.get(0).jvmArguments(),
                floor.isEmpty() ? "" : floor.get(0).jvmArguments(), failure, floorWithRenderers);
    }

    /** Whether the jar holds the chart and mail libraries {@code FloorRenderers} draws with. */
    private static boolean holdsRenderers(Path jar) throws java.io.IOException {
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.getEntry("org/jfree/chart/JFreeChart.class") != null
                    && zip.getEntry("jakarta/mail/internet/MimeMessage.class") != null;
        }
    }

    /** {@code stream} for a RequestStreamHandler, else the class name of its RequestHandler's event type. */
    private static String eventTypeOf(Path jar, String handlerClass) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (Class<?> c = Class.forName(handlerClass, false, loader); c != null; c = c.getSuperclass()) {
                for (Type t : c.getGenericInterfaces()) {
                    String name = t instanceof ParameterizedType p ? p.getRawType().getTypeName() : t.getTypeName();
                    if (name.equals("com.amazonaws.services.lambda.runtime.RequestStreamHandler")) {
                        return "stream";
                    }
                    if (t instanceof ParameterizedType p
                            && name.equals("com.amazonaws.services.lambda.runtime.RequestHandler")) {
                        return p.getActualTypeArguments()[0].getTypeName();
                    }
                }
            }
        }
        throw new IllegalStateException(handlerClass + " implements neither RequestHandler nor RequestStreamHandler");
    }
}
