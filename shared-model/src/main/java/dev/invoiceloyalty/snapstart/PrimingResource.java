package dev.invoiceloyalty.snapstart;

import org.crac.Context;
import org.crac.Resource;

/**
 * The SnapStart hook of one function: {@link #beforeCheckpoint} runs its priming steps once, before Lambda takes the
 * snapshot. Subclasses give the steps ({@link #prime}); they load the classes of the function's hot path and make at
 * most harmless reads — never a write, a queue send, an email or an event.
 *
 * <p>{@link #afterRestore} does nothing: priming creates no unique or random state (no ids, seeds, leases or
 * secrets; every sample is a constant), so there is nothing to re-seed in a restored container.
 */
public abstract class PrimingResource implements Resource {
    private final String function;
    private volatile Priming.Summary last;

    protected PrimingResource(String function) {
        this.function = function;
    }

    /** Adds this function's steps to {@code run}. */
    protected abstract void prime(Priming.Run run);

    /** Runs the steps; never throws, so a priming problem cannot fail the checkpoint. */
    @Override
    public final void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public final void afterRestore(Context<? extends Resource> context) {
        // Nothing to restore: see the class comment.
    }

    /** One priming pass, as {@link #beforeCheckpoint} runs it; returns and keeps what it did. */
    public final Priming.Summary prime() {
        Priming.Run run = Priming.start(function);
        try {
            prime(run);
        } catch (RuntimeException | LinkageError e) {
            run.broken(e);
        }
        Priming.Summary summary = run.finish();
        last = summary;
        return summary;
    }

    /** What the last pass did; null before the first. */
    public final Priming.Summary lastSummary() {
        return last;
    }

    public final String function() {
        return function;
    }
}
