package dev.invoiceloyalty.bench.launch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a child JVM tells the driver it is done. The driver's clock stops when it reads the {@code BENCH-RESULT} line,
 * so what comes after it (reading {@code /proc/self/status}, the JVM's input arguments) is not timed. Both lines go to stdout; the function's
 * own logging goes wherever it goes (stdout too, for Lambda JSON logs), so the driver looks for the prefixes.
 */
final class Report {
    private Report() {
    }

    static void resultThenPeakRss(String summary) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        out.println("BENCH-RESULT " + summary.replaceAll("\\s+", " "));
        out.println("BENCH-VMHWM-KB " + peakRssKb());
        // After the result and the RSS reading, so loading java.management is neither timed nor counted.
        out.println("BENCH-JVM-ARGS " + String.join(" ",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.flush();
    }

    /** VmHWM: the peak resident set size of this process, as the kernel counts it (Linux only; -1 elsewhere). */
    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "...";
    }
}
