package dev.maas4j.api;

import java.time.Instant;

/**
 * The engine's clock. The default reads the system clock; tests use {@link ManualTimeSource} to
 * move time forward without sleeping.
 *
 * <p>Implementations must be thread-safe.
 */
public interface TimeSource {

    /** Wall-clock time in nanoseconds since the epoch (precision may be coarser). */
    long epochNanos();

    /** The current instant. */
    default Instant now() {
        return toInstant(epochNanos());
    }

    /** The instant {@code epochNanos} nanoseconds after the epoch. */
    static Instant toInstant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** {@code instant} in nanoseconds since the epoch (the unit of {@link #epochNanos()}). */
    static long toEpochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** The system clock, millisecond precision. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}
