package dev.maas4j.core;

import dev.maas4j.api.Granularity;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageTotals;

import java.util.List;
import java.util.Objects;

/**
 * Usage totals and a time series over one query.
 *
 * @param totals      the totals
 * @param granularity the width of the series buckets
 * @param series      the series, ascending, buckets with no usage left out
 */
public record UsageReport(UsageTotals totals, Granularity granularity, List<UsageBucket> series) {

    /** Validates and copies the components. */
    public UsageReport {
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(granularity, "granularity");
        series = List.copyOf(series);
    }
}
