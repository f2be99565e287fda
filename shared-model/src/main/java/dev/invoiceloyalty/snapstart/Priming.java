package dev.invoiceloyalty.snapstart;

import dev.invoiceloyalty.adapters.Log;
import org.crac.Core;
import org.crac.Resource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * SnapStart priming: registers a function's {@link PrimingResource} with the CRaC global context, and runs its
 * steps so that a failing step is logged and skipped. Lambda calls {@code beforeCheckpoint} once, when it takes the
 * snapshot after the handler was constructed; whatever classes the steps load (Jackson, the SDK's marshallers and
 * HTTP path, the domain, templates) are then in the snapshot and cost nothing on a restored container
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks.html).
 *
 * <p>A failed step only costs speed, never the checkpoint: steps catch what they throw. Where the JVM has no CRaC
 * (tests, the local stack, Lambda without SnapStart) {@code org.crac} registers into nothing and priming never runs.
 */
public final class Priming {
    /**
     * Strong references to every registered resource: {@code org.crac} holds resources weakly, so a resource only
     * the context knows about could be collected before the checkpoint and silently never run.
     */
    private static final List<Resource> REGISTERED = new CopyOnWriteArrayList<>();

    private Priming() {
    }

    /** Registers {@code resource} for the checkpoint and keeps it reachable; returns it. Never throws. */
    public static <R extends Resource> R register(R resource) {
        REGISTERED.add(resource);
        try {
            Core.getGlobalContext().register(resource);
        } catch (RuntimeException | LinkageError e) {
            Log.event("snapstart_priming_not_registered", "resource", resource.getClass().getSimpleName(),
                    "error", e.getClass().getName(), "message", String.valueOf(e.getMessage()));
        }
        return resource;
    }

    /** Every resource registered in this class loader so far, oldest first (for tests). */
    public static List<Resource> registered() {
        return List.copyOf(REGISTERED);
    }

    /** The resources {@code construct} registered, oldest first: for tests of a handler's Lambda constructor. */
    public static List<Resource> registeredBy(Runnable construct) {
        int before = REGISTERED.size();
        construct.run();
        return List.copyOf(REGISTERED.subList(before, REGISTERED.size()));
    }

    /** Starts one priming pass of {@code function}. */
    public static Run start(String function) {
        return new Run(function);
    }

    /** Throws when {@code condition} is false, so a step that did not do what it should is reported as failed. */
    public static void expect(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("priming expected " + what);
        }
    }

    /** One step of priming: any exception it throws fails the step alone. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** One priming pass: steps run in order, each alone; {@link #finish} logs and returns what happened. */
    public static final class Run {
        private final String function;
        private final long startedNanos = System.nanoTime();
        private final List<String> completed = new ArrayList<>();
        private final Map<String, String> failed = new LinkedHashMap<>();

        private Run(String function) {
            this.function = function;
        }

        public Run step(String name, Step step) {
            try {
                step.run();
                completed.add(name);
            } catch (Exception | LinkageError e) {
                // A class missing from the jar or a sample the code refuses: priming is an optimisation, go on.
                failed.put(name, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            return this;
        }

        /** Records that a whole pass broke outside any step (it should not happen; logged like a failed step). */
        Run broken(Throwable e) {
            failed.put("(pass)", e.getClass().getSimpleName() + ": " + e.getMessage());
            return this;
        }

        public Summary finish() {
            long millis = (System.nanoTime() - startedNanos) / 1_000_000;
            Summary summary = new Summary(function, List.copyOf(completed),
                    Collections.unmodifiableMap(new LinkedHashMap<>(failed)), millis);
            Log.event("snapstart_primed", "function", function, "steps", completed.size(),
                    "completed", summary.completed(), "failed", summary.failed(), "millis", millis);
            return summary;
        }
    }

    /**
     * What one priming pass did.
     *
     * @param completed the steps that ran to the end, in order
     * @param failed    step → the error that stopped it; empty when priming did everything it should
     */
    public record Summary(String function, List<String> completed, Map<String, String> failed, long millis) {
        public boolean clean() {
            return failed.isEmpty();
        }
    }
}
