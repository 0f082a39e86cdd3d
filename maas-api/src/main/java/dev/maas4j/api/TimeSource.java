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
        long nanos = epochNanos();
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** The system clock, millisecond precision. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}
