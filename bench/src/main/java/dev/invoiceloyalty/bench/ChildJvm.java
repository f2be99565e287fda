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

/** Runs one launcher in a fresh JVM and times it from process start to its {@code BENCH-RESULT} line. */
final class ChildJvm {
    record Run(double millis, long peakRssKb, String summary) {
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
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("_JAVA_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        builder.environment().putAll(env);

        long start = System.nanoTime();
        Process process = builder.start();
        double millis = -1;
        long rss = -1;
        String summary = null;
        StringBuilder other = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("BENCH-RESULT ")) {
                    millis = (System.nanoTime() - start) / 1e6;
                    summary = line.substring("BENCH-RESULT ".length());
                } else if (line.startsWith("BENCH-VMHWM-KB ")) {
                    rss = Long.parseLong(line.substring("BENCH-VMHWM-KB ".length()).trim());
                } else if (other.length() < 4000) {
                    other.append(line).append('\n');
                }
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(mainClass + " did not exit within 120 s");
        }
        Files.writeString(log, other, StandardOpenOption.APPEND);
        if (process.exitValue() != 0 || summary == null) {
            throw new IllegalStateException(mainClass + " " + args + " failed (exit " + process.exitValue()
                    + "); see " + log);
        }
        return new Run(millis, rss, summary);
    }
}
