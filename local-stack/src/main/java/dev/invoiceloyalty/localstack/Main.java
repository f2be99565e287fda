package dev.invoiceloyalty.localstack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code bin/local-stack}: parses the command line, starts the stack, prints the ready line and the figures. */
final class Main {
    static final String USAGE = """
            usage: bin/local-stack [--port N] [--endpoint URL] [--template FILE]

              --port N         serve the HttpApi and /_local/ routes on http://127.0.0.1:N (default 3000; 0 = any free port)
              --endpoint URL   use an AWS-compatible endpoint (moto, LocalStack) for DynamoDB, SQS, SES v2 and
                               EventBridge instead of the embedded DynamoDB Local, ElasticMQ and captures
              --template FILE  the SAM template (default: template.yaml of the working directory or above)
              --help           this text

            Secrets default to STRIPE_WEBHOOK_SECRET=whsec_local, SQUARE_SIGNATURE_KEY=square_local,
            SQUARE_NOTIFICATION_URL=http://127.0.0.1:N/webhooks/square; set them in the environment to override.
            Control routes: POST /_local/schedules/{function}, POST /_local/drain, GET|DELETE /_local/mail,
            GET /_local/mail/{id}, GET /_local/events. Stop with Ctrl-C or SIGTERM.
            """;

    private Main() {
    }

    static void run(String[] args) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(USAGE);
            return;
        }
        LocalStack stack;
        try {
            stack = LocalStack.start(options);
        } catch (RuntimeException e) {
            System.err.println("local-stack: could not start: " + e.getMessage());
            if (System.getenv("LOCAL_STACK_DEBUG") != null) {
                e.printStackTrace();
            }
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("local stack: stopping");
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));

        stack.describe().forEach(System.out::println);
        long readyMillis = System.currentTimeMillis();
        System.out.println("local stack ready: " + stack.baseUrl());
        // The JVM's own record of its start (ProcessHandle's start instant is only as exact as /proc's boot second).
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("ready in " + (readyMillis - jvmStart) + " ms from JVM start (stack start-up "
                + stack.startup().toMillis() + " ms: " + stack.startupPhases() + ")");
        if (options.launchedAtMillis() > 0) {
            System.out.println("ready in " + (readyMillis - options.launchedAtMillis()) + " ms from the command");
        }
        Thread rss = new Thread(() -> {
            try {
                Thread.sleep(1000);
                System.out.println("idle RSS: " + residentMiB() + " MiB (VmRSS 1 s after ready)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "idle-rss");
        rss.setDaemon(true);
        rss.start();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Null for --help. */
    static Options parse(String[] args) {
        Options.Builder builder = Options.builder();
        String launched = System.getProperty("localstack.launchedAtMillis");
        if (launched != null && !launched.isBlank()) {
            builder.launchedAtMillis(Long.parseLong(launched.strip()));
        }
        // bin/local-stack names the repository's template, so the command works from any folder.
        String template = System.getProperty("localstack.template");
        if (template != null && !template.isBlank()) {
            builder.template(Path.of(template));
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
                arg = arg.substring(0, arg.indexOf('='));
            }
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--port" -> {
                    String port = value != null ? value : next(args, ++i, arg);
                    try {
                        builder.port(Integer.parseInt(port));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port needs a number, not " + port);
                    }
                }
                case "--endpoint" -> {
                    URI endpoint = URI.create(value != null ? value : next(args, ++i, arg));
                    if (endpoint.getScheme() == null || endpoint.getHost() == null) {
                        throw new IllegalArgumentException("--endpoint needs a URL such as http://localhost:4566");
                    }
                    builder.endpoint(endpoint);
                }
                case "--template" -> builder.template(Path.of(value != null ? value : next(args, ++i, arg)).toAbsolutePath());
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        return builder.build();
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** The resident set of this process, from /proc (Linux); -1 elsewhere. */
    static long residentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

}
