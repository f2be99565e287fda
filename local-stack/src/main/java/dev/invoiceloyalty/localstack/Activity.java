package dev.invoiceloyalty.localstack;

import java.util.concurrent.atomic.AtomicInteger;

/** How many handlers run right now, over every function: what {@code /_local/drain} waits for besides the queues. */
final class Activity {
    private final AtomicInteger running = new AtomicInteger();

    void enter() {
        running.incrementAndGet();
    }

    void exit() {
        running.decrementAndGet();
    }

    int running() {
        return running.get();
    }
}
