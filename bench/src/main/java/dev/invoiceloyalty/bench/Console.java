package dev.invoiceloyalty.bench;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The bench's own output. The functions it runs in-process log one JSON line per event to {@code System.out} (as
 * Lambda wants); {@link #divertFunctionLogs} sends those to a file so the progress stays readable.
 */
final class Console {
    private static final PrintStream OUT = System.out;

    private Console() {
    }

    static void println(String line) {
        OUT.println(line);
    }

    static void printf(String format, Object... args) {
        OUT.printf(java.util.Locale.ROOT, format, args);
    }

    /** From now on {@code System.out} (the in-process functions' logs) appends to {@code log}. */
    static void divertFunctionLogs(Path log) throws IOException {
        System.setOut(new PrintStream(new BufferedOutputStream(new FileOutputStream(log.toFile(), true), 1 << 16),
                false, StandardCharsets.UTF_8));
    }

    static void restore() {
        System.out.flush();
        System.setOut(OUT);
    }
}
