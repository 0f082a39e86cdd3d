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
 * Usage across keys ({@code GET /usage}).
 *
 * @param from     start, inclusive
 * @param to       end, exclusive
 * @param groupBy  the dimensions grouped by, as asked
 * @param currency currency of the costs
 * @param totals   totals over everything that matched
 * @param groups   one entry per combination of the {@code groupBy} values, largest {@code totalTokens} first
 * @param extra    properties this version does not know
 */
public record UsageReport(Instant from, Instant to, List<String> groupBy, Optional<String> currency,
                          UsageTotals totals, List<Group> groups,
                          @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public UsageReport {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        groupBy = Values.list(groupBy);
        currency = Values.opt(currency);
        Objects.requireNonNull(totals, "totals");
        groups = Values.list(groups);
        extra = Values.extra(extra);
    }

    /**
     * The usage of one group.
     *
     * @param dimensions the group's value per dimension, e.g. {@code {"model": "granite"}}
     * @param totals     its usage
     * @param extra      properties this version does not know
     */
    public record Group(Map<String, String> dimensions, UsageTotals totals,
                        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Validates and copies the components. */
        public Group {
            dimensions = Values.strings(dimensions);
            Objects.requireNonNull(totals, "totals");
            extra = Values.extra(extra);
        }
    }
}
