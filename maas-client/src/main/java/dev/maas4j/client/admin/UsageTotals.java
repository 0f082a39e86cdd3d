package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonFormat;
import dev.maas4j.client.internal.Values;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Aggregated usage.
 *
 * @param requests         requests settled
 * @param successRate      the share of them that succeeded, 0 to 1 (0 when there was none)
 * @param promptTokens     prompt tokens
 * @param completionTokens completion tokens
 * @param totalTokens      their sum
 * @param cost             exact cost, a decimal string on the wire
 * @param extra            properties this version does not know
 */
public record UsageTotals(long requests, double successRate, long promptTokens, long completionTokens,
                          long totalTokens, @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal cost,
                          @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Copies the components. */
    public UsageTotals {
        cost = cost == null ? BigDecimal.ZERO : cost;
        extra = Values.extra(extra);
    }
}
