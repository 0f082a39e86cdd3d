package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonFormat;
import dev.maas4j.client.internal.Values;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One bucket of a usage time series: the totals of {@code [start, start + granularity)}.
 *
 * @param start            the bucket's start
 * @param requests         requests settled
 * @param successRate      share that succeeded, 0 to 1
 * @param promptTokens     prompt tokens
 * @param completionTokens completion tokens
 * @param totalTokens      their sum
 * @param cost             exact cost
 * @param extra            properties this version does not know
 */
public record UsagePoint(Instant start, long requests, double successRate, long promptTokens,
                         long completionTokens, long totalTokens,
                         @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal cost,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public UsagePoint {
        Objects.requireNonNull(start, "start");
        cost = cost == null ? BigDecimal.ZERO : cost;
        extra = Values.extra(extra);
    }
}
