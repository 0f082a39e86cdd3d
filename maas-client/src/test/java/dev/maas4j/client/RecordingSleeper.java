package dev.maas4j.client;

import dev.maas4j.client.internal.Sleeper;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/** Records the delays asked for and returns at once, running an optional action first. */
public final class RecordingSleeper implements Sleeper {

    private final List<Duration> delays = new CopyOnWriteArrayList<>();
    private volatile Runnable onSleep = () -> { };

    /** Runs {@code action} at every sleep (e.g. to start a server between attempts). */
    public RecordingSleeper onSleep(Runnable action) {
        this.onSleep = action;
        return this;
    }

    /** The delays, in order. */
    public List<Duration> delays() {
        return List.copyOf(delays);
    }

    @Override
    public void sleep(Duration delay) {
        delays.add(delay);
        onSleep.run();
    }

    @Override
    public CompletableFuture<Void> delay(Duration delay, Executor executor) {
        delays.add(delay);
        return CompletableFuture.runAsync(onSleep, executor);
    }
}
