package dev.maas4j.testing;

import dev.maas4j.api.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when told, with a {@linkplain #scheduler() scheduler} whose
 * delayed tasks run when the ticker passes their time. Hand both to the component under test
 * instead of {@code System.nanoTime()} and a thread pool, then advance time instead of sleeping:
 *
 * <pre>{@code
 * ManualTicker ticker = new ManualTicker();
 * MaasProxyServlet proxy = MaasProxyServlet.builder()
 *         .idleTimeout(Duration.ofSeconds(30))
 *         .timer(ticker, ticker.scheduler())
 *         .build();
 * // ... start a stream whose upstream then falls silent ...
 * ticker.advance(Duration.ofSeconds(30));   // the idle check runs now, on this thread
 * }</pre>
 *
 * <p>{@link #advance} moves the ticker to each due task's time in turn and runs the task on the
 * calling thread, so a task sees the time it was due at and may schedule more; when it returns,
 * every task due by the new time has run. One advance runs at a time; reads never block.
 * Thread-safe.
 */
public final class ManualTicker implements Ticker {
    private final AtomicLong nanos;
    private final Object advancing = new Object();
    private final ManualScheduler scheduler = new ManualScheduler(this);

    /** A ticker reading 0. */
    public ManualTicker() {
        this(0);
    }

    /** A ticker reading {@code startNanos}. */
    public ManualTicker(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long read() {
        return nanos.get();
    }

    /**
     * Moves the ticker forward by {@code duration}, running the scheduler's tasks that fall due on
     * the way, each at its own time, on this thread.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, was " + duration);
        }
        synchronized (advancing) {
            long target = nanos.get() + duration.toNanos();
            ManualScheduler.Task<?> task;
            while ((task = scheduler.takeDue(target)) != null) {
                long due = task.dueNanos();
                nanos.accumulateAndGet(due, Math::max);
                task.runAt(due);
            }
            nanos.set(target);
        }
    }

    /**
     * The scheduler driven by this ticker (one per ticker): tasks without a delay run at once on
     * the caller's thread, delayed ones when {@link #advance} passes their time.
     */
    public ManualScheduler scheduler() {
        return scheduler;
    }

    @Override
    public String toString() {
        return "ManualTicker[" + nanos.get() + " ns]";
    }
}
