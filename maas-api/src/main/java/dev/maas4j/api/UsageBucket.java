package dev.maas4j.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One point of a usage time series.
 *
 * @param start  the bucket's start
 * @param totals the usage within the bucket
 */
public record UsageBucket(Instant start, UsageTotals totals) {

    /** Validates the components. */
    public UsageBucket {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(totals, "totals");
    }
}
