package dev.maas4j.client.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Waits between retries. Tests replace it with one that records the delays and returns at once,
 * so that retry timing is asserted without sleeping.
 */
public interface Sleeper {

    /** Blocks the calling thread for {@code delay}. */
    void sleep(Duration delay) throws InterruptedException;

    /** A future completed on {@code executor} after {@code delay}. */
    CompletableFuture<Void> delay(Duration delay, Executor executor);

    /** Real time. */
    Sleeper SYSTEM = new Sleeper() {
        @Override
        public void sleep(Duration delay) throws InterruptedException {
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
        }

        @Override
        public CompletableFuture<Void> delay(Duration delay, Executor executor) {
            return CompletableFuture.runAsync(() -> { },
                    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, executor));
        }
    };
}
