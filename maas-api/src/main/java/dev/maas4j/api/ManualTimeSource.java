package dev.maas4j.api;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told, for tests. Thread-safe.
 *
 * <pre>{@code
 * ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-01-01T00:00:00Z"));
 * time.advance(Duration.ofMinutes(1));
 * }</pre>
 */
public final class ManualTimeSource implements TimeSource {
    private final AtomicLong nanos;

    /** A clock that reads {@code start}. */
    public ManualTimeSource(Instant start) {
        this.nanos = new AtomicLong(TimeSource.toEpochNanos(start));
    }

    @Override
    public long epochNanos() {
        return nanos.get();
    }

    /** Moves the clock forward. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward");
        }
        nanos.addAndGet(duration.toNanos());
    }

    /** Sets the clock to {@code instant}, which must not be in its past. */
    public void set(Instant instant) {
        long target = TimeSource.toEpochNanos(instant);
        nanos.accumulateAndGet(target, (current, t) -> {
            if (t < current) {
                throw new IllegalArgumentException("time only moves forward");
            }
            return t;
        });
    }
}
