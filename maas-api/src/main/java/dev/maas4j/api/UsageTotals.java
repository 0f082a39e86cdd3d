package dev.maas4j.api;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Aggregated usage.
 *
 * @param requests           requests settled
 * @param successfulRequests those that succeeded
 * @param promptTokens       prompt tokens
 * @param completionTokens   completion tokens
 * @param estimatedRequests  requests whose counts were estimated
 * @param cost               exact total cost
 */
public record UsageTotals(long requests, long successfulRequests, long promptTokens, long completionTokens,
                          long estimatedRequests, BigDecimal cost) {

    /** Nothing. */
    public static final UsageTotals ZERO = new UsageTotals(0, 0, 0, 0, 0, BigDecimal.ZERO);

    /** Validates the components. */
    public UsageTotals {
        Objects.requireNonNull(cost, "cost");
    }

    /** Prompt plus completion tokens. */
    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /** Successful requests over all requests, 1.0 when there were none. */
    public double successRate() {
        return requests == 0 ? 1.0 : (double) successfulRequests / requests;
    }

    /** These totals plus one event. */
    public UsageTotals plus(UsageEvent event) {
        return new UsageTotals(requests + 1, successfulRequests + (event.successful() ? 1 : 0),
                promptTokens + event.promptTokens(), completionTokens + event.completionTokens(),
                estimatedRequests + (event.estimated() ? 1 : 0), cost.add(event.cost()));
    }

    /** These totals plus others. */
    public UsageTotals plus(UsageTotals other) {
        return new UsageTotals(requests + other.requests, successfulRequests + other.successfulRequests,
                promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                estimatedRequests + other.estimatedRequests, cost.add(other.cost));
    }
}
