package dev.invoiceloyalty.localstack;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many handlers run right now, over every function, and when the last one ended: what {@code /_local/drain} waits
 * for besides the queues and the streams (a stream poll that started after the last handler ended has seen every
 * write a handler made).
 */
final class Activity {
    private final AtomicInteger running = new AtomicInteger();
    private volatile long lastExitNanos = System.nanoTime();

    void enter() {
        running.incrementAndGet();
    }

    void exit() {
        lastExitNanos = System.nanoTime();
        running.decrementAndGet();
    }

    int running() {
        return running.get();
    }

    /** {@link System#nanoTime()} when a handler last ended (or when this was created). */
    long lastExitNanos() {
        return lastExitNanos;
    }
}
