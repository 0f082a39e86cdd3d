package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The usage of one key ({@code GET /api-keys/{id}/usage?range=...}).
 *
 * @param keyId       the key
 * @param range       {@code 24h}, {@code 7d} or {@code 30d}
 * @param from        start of the period, inclusive
 * @param to          end of the period, exclusive
 * @param granularity bucket size of {@link #series()}: {@code hour} or {@code day}
 * @param currency    currency of the costs
 * @param totals      totals over the period
 * @param series      one point per bucket, oldest first, buckets without traffic included
 * @param extra       properties this version does not know
 */
public record KeyUsage(String keyId, String range, Instant from, Instant to, String granularity,
                       Optional<String> currency, UsageTotals totals, List<UsagePoint> series,
                       @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public KeyUsage {
        keyId = Values.text(keyId);
        range = Values.text(range);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        granularity = Values.text(granularity);
        currency = Values.opt(currency);
        Objects.requireNonNull(totals, "totals");
        series = Values.list(series);
        extra = Values.extra(extra);
    }
}
