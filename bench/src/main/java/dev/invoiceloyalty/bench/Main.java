package dev.invoiceloyalty.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.invoiceloyalty.local.EmbeddedDynamoDb;
import dev.invoiceloyalty.local.EmbeddedSqs;
import dev.invoiceloyalty.local.EventBridgeCapture;
import dev.invoiceloyalty.local.SamTemplate;
import dev.invoiceloyalty.local.SesCapture;
import dev.invoiceloyalty.local.TemplateResources;

import java.io.File;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 8's cold-start benchmark, first part: for each function of template.yaml, its cold path and its floor in
 * fresh JVMs on the embedded backends, and its jar's size and SDK modules. Prints the figures and writes them to
 * {@code bench/results/latest.md}.
 *
 * <p>Options: {@code --runs N} (default 10), {@code --only Fn1,Fn2}, {@code --jvm-option OPT} (repeatable; given to
 * both the cold and the floor JVMs).
 */
public final class Main {
    private static final String COLD = "dev.invoiceloyalty.bench.launch.ColdStart";
    private static final String FLOOR = "dev.invoiceloyalty.bench.launch.Floor";
    /** The services the embedded backends serve and the floor calls; SSM is read only without env secrets. */
    private static final List<String> FLOOR_SERVICES = List.of("dynamodb", "sqs", "sesv2", "eventbridge");

    record Measured(String function, String event, List<ChildJvm.Run> cold, List<ChildJvm.Run> floor,
                    JarContents jar, String coldSummary, String floorSummary) {
    }

    public static void main(String[] args) throws Exception {
        int runs = 10;
        List<String> only = List.of();
        List<String> jvmOptions = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                case "--jvm-option" -> jvmOptions.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--runs N, --only Fn1,Fn2, --jvm-option OPT)");
            }
        }
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
        Path log = work.resolve("children.log");
        Files.writeString(log, "");
        Machine machine = Machine.describe();
        ChildJvm jvm = new ChildJvm(Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions, log);

        System.out.println("starting the embedded backends...");
        try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start();
             EmbeddedSqs sqs = EmbeddedSqs.start();
             SesCapture ses = SesCapture.start();
             EventBridgeCapture eventBridge = EventBridgeCapture.start()) {
            Map<String, String> queues = TemplateResources.createQueues(sqs.client(), template, "-bench");
            String floorQueue = sqs.client().createQueue(r -> r.queueName("bench-floor")).queueUrl();
            Map<String, String> base = new LinkedHashMap<>();
            base.put("AWS_REGION", "us-east-1");
            base.put("AWS_DEFAULT_REGION", "us-east-1");
            base.put("AWS_ACCESS_KEY_ID", "local");
            base.put("AWS_SECRET_ACCESS_KEY", "local");
            base.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString());
            base.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().toString());
            base.put("AWS_ENDPOINT_URL_SESV2", ses.endpoint().toString());
            base.put("AWS_ENDPOINT_URL_EVENTBRIDGE", eventBridge.endpoint().toString());
            // SPEC §10's local secrets (as bin/local-stack gives them), so the webhook does not read SSM.
            base.put("STRIPE_WEBHOOK_SECRET", Samples.STRIPE_SECRET);
            base.put("SQUARE_SIGNATURE_KEY", "square_local");

            List<Measured> results = new ArrayList<>();
            for (SamTemplate.FunctionDef function : template.functions()) {
                if (!only.isEmpty() && !only.contains(function.logicalId())) {
                    continue;
                }
                Path jar = root.resolve(function.codeUri()).normalize();
                if (!Files.exists(jar)) {
                    throw new IllegalStateException(jar + " is missing: build with mvn -Pbench -pl bench -am package");
                }
                // CodeUri functions/<name>/target/<jar> -> events/<name>/
                Path eventsDir = root.resolve("events").resolve(jar.getParent().getParent().getFileName());
                Path sample = Samples.timed(eventsDir);
                Path setup = Samples.setup(eventsDir);
                String handlerClass = function.handler().split("::")[0];
                String eventType = eventTypeOf(jar, handlerClass);
                JarContents contents = JarContents.of(jar);
                List<String> services = contents.sdkServices().stream().filter(FLOOR_SERVICES::contains).toList();
                String classPath = jar + File.pathSeparator + launcherJar + File.pathSeparator + serializationJar;

                System.out.printf("%s: %s (%s), %d runs%n", function.logicalId(), root.relativize(sample), eventType, runs);
                List<ChildJvm.Run> cold = new ArrayList<>();
                List<ChildJvm.Run> floor = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    // A fresh table per run, so every run takes the same path (no idempotent replays).
                    String table = "bench-" + function.logicalId() + "-" + i;
                    TemplateResources.createTable(dynamoDb.client(), template, "InvoiceTable", table);
                    Map<String, String> env = new LinkedHashMap<>(resolve(function.environment(), template, table, queues));
                    env.putAll(base);
                    env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
                    if (setup != null) {
                        jvm.run(classPath, COLD, List.of(handlerClass, setup.toString(), function.logicalId()), env);
                    }
                    Path event = Samples.fresh(sample, work);
                    cold.add(jvm.run(classPath, COLD, List.of(handlerClass, event.toString(), function.logicalId()), env));
                    Map<String, String> floorEnv = new LinkedHashMap<>(env);
                    floorEnv.put("BENCH_FLOOR_QUEUE_URL", floorQueue);
                    floor.add(jvm.run(classPath, FLOOR, List.of(event.toString(), eventType, String.join(",", services)),
                            floorEnv));
                    System.out.printf("  run %2d: cold %6.0f ms  floor %6.0f ms%n", i + 1, cold.get(i).millis(),
                            floor.get(i).millis());
                }
                System.out.println("  cold result:  " + cold.get(0).summary());
                System.out.println("  floor result: " + floor.get(0).summary());
                results.add(new Measured(function.logicalId(), root.relativize(sample).toString(), cold, floor, contents,
                        cold.get(0).summary(), floor.get(0).summary()));
            }
            String markdown = ResultsTable.markdown(results, machine.after(), runs, jvmOptions);
            Path out = root.resolve("bench/results/latest.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, markdown);
            System.out.println();
            System.out.println(markdown);
            System.out.println("written to " + root.relativize(out) + "; child JVM logs in " + log);
        }
        System.exit(0);
    }

    /** The template's environment of one function with its Refs resolved to the bench's resources. */
    private static Map<String, String> resolve(Map<String, String> declared, SamTemplate template, String table,
                                               Map<String, String> queues) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : declared.entrySet()) {
            String value = e.getValue();
            if (value != null && value.startsWith("{")) {
                JsonNode node = json.readTree(value);
                String ref = node.path("Ref").asText(null);
                if (ref == null) {
                    throw new IllegalStateException(e.getKey() + ": only Ref is resolved by the bench, not " + value);
                }
                JsonNode parameter = template.root().path("Parameters").path(ref);
                String type = parameter.isMissingNode() ? template.resource(ref).path("Type").asText("") : "";
                if (!parameter.isMissingNode()) {
                    value = parameter.path("Default").asText();
                } else if (type.equals("AWS::DynamoDB::Table")) {
                    value = table;
                } else if (type.equals("AWS::SQS::Queue")) {
                    value = queues.get(ref);
                } else if (type.equals("AWS::Events::EventBus")) {
                    value = "invoice-loyalty-bench-integration";
                } else {
                    throw new IllegalStateException(e.getKey() + ": cannot resolve Ref " + ref);
                }
            }
            env.put(e.getKey(), value);
        }
        return env;
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
