package dev.invoiceloyalty.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one launcher in a fresh JVM and times it from process start to its {@code BENCH-RESULT} line. The child gets
 * the environment it is given (the function's resolved template environment, {@code JAVA_TOOL_OPTIONS} included
 * when the template sets it) on top of the bench's process environment without its {@code AWS_*} and JVM option
 * variables, so only the template decides those.
 */
final class ChildJvm {
    /**
     * @param jvmArguments the options the child JVM reports it started with ({@code RuntimeMXBean.getInputArguments()}:
     *                     command-line options and those it picked up from {@code JAVA_TOOL_OPTIONS})
     */
    record Run(double millis, long peakRssKb, String summary, String jvmArguments) {
    }

    private final Path java;
    private final List<String> jvmOptions;
    private final Path log;

    ChildJvm(Path java, List<String> jvmOptions, Path log) {
        this.java = java;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.log = log;
    }

    Run run(String classPath, String mainClass, List<String> args, Map<String, String> env) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        Path stderr = log.resolveSibling("child.err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("_JAVA_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        builder.environment().putAll(env);

        long start = System.nanoTime();
        Process process = builder.start();
        double millis = -1;
        long rss = -1;
        String summary = null;
        String jvmArguments = "";
        StringBuilder other = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("BENCH-RESULT ")) {
                    millis = (System.nanoTime() - start) / 1e6;
                    summary = line.substring("BENCH-RESULT ".length());
                } else if (line.startsWith("BENCH-VMHWM-KB ")) {
                    rss = Long.parseLong(line.substring("BENCH-VMHWM-KB ".length()).trim());
                } else if (line.startsWith("BENCH-JVM-ARGS ")) {
                    jvmArguments = line.substring("BENCH-JVM-ARGS ".length()).trim();
                } else if (other.length() < 4000) {
                    other.append(line).append('\n');
                }
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new Failed(mainClass + " " + args + " did not exit within 120 s", "timeout");
        }
        List<String> errors = Files.readAllLines(stderr, StandardCharsets.UTF_8);
        Files.write(log, errors, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.writeString(log, other, StandardOpenOption.APPEND);
        if (process.exitValue() != 0 || summary == null) {
            String reason = reason(errors);
            throw new Failed(mainClass + " " + args + " failed (exit " + process.exitValue() + "): " + reason + "; see "
                    + log, reason);
        }
        return new Run(millis, rss, summary, jvmArguments);
    }

    /** A child JVM that exited without its result; {@link #reason()} is the exception it died of. */
    static final class Failed extends RuntimeException {
        private final String reason;

        Failed(String message, String reason) {
            super(message);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /** The uncaught exception's line, and its root cause's when there is one. */
    private static String reason(List<String> stderr) {
        String thrown = null;
        String cause = null;
        for (String line : stderr) {
            if (thrown == null && line.startsWith("Exception in thread")) {
                thrown = line.substring(line.indexOf('"', line.indexOf('"') + 1) + 1).trim();
            } else if (thrown != null && line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        if (thrown == null) {
            return "no result line";
        }
        return cause == null || thrown.contains(cause) ? thrown : thrown + " (caused by " + cause + ")";
    }
}
