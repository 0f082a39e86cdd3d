package dev.maas4j.api;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The width of the buckets of a usage time series, aligned to UTC. */
public enum Granularity {
    /** One bucket per hour. */
    HOUR(Duration.ofHours(1)),
    /** One bucket per UTC day. */
    DAY(Duration.ofDays(1));

    private final Duration width;

    Granularity(Duration width) {
        this.width = width;
    }

    /** The bucket width. */
    public Duration width() {
        return width;
    }

    /** The start of the bucket that contains {@code instant}. */
    public Instant bucketStart(Instant instant) {
        return instant.truncatedTo(this == HOUR ? ChronoUnit.HOURS : ChronoUnit.DAYS);
    }
}
