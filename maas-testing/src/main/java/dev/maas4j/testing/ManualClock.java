package dev.maas4j.testing;

import dev.maas4j.api.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A wall clock and a monotonic ticker that move together, only when told: one object to hand an
 * engine ({@link TimeSource}), a usage recorder and a proxy ({@link #ticker()}, {@link #scheduler()})
 * so that "an hour passes" for all of them at once.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(Instant.parse("2026-01-05T10:00:00Z"));
 * MaasEngine engine = MaasEngine.builder().store(store).timeSource(clock).build();
 * MaasProxyServlet proxy = MaasProxyServlet.builder().timer(clock.ticker(), clock.scheduler()).build();
 * clock.advance(Duration.ofMinutes(1));   // windows refill, idle checks run
 * }</pre>
 *
 * <p>The wall clock reads its start plus however far the ticker has moved, also while the
 * scheduler's tasks run during an {@link #advance}. For a wall clock alone,
 * {@link dev.maas4j.api.ManualTimeSource} does the same. Thread-safe.
 */
public final class ManualClock implements TimeSource {
    private final long startEpochNanos;
    private final ManualTicker ticker = new ManualTicker();

    /** A clock reading {@code start}. */
    public ManualClock(Instant start) {
        this.startEpochNanos = TimeSource.toEpochNanos(Objects.requireNonNull(start, "start"));
    }

    @Override
    public long epochNanos() {
        return startEpochNanos + ticker.read();
    }

    /** The monotonic side of this clock. */
    public ManualTicker ticker() {
        return ticker;
    }

    /** The scheduler driven by this clock, see {@link ManualTicker#scheduler()}. */
    public ManualScheduler scheduler() {
        return ticker.scheduler();
    }

    /** Moves the clock forward, running the scheduler's tasks that fall due, see {@link ManualTicker#advance}. */
    public void advance(Duration duration) {
        ticker.advance(duration);
    }

    /** Moves the clock forward to {@code instant}, which must not be in its past. */
    public void set(Instant instant) {
        long target = TimeSource.toEpochNanos(Objects.requireNonNull(instant, "instant"));
        ticker.advance(Duration.ofNanos(target - epochNanos()));
    }

    @Override
    public String toString() {
        return "ManualClock[" + now() + "]";
    }
}
