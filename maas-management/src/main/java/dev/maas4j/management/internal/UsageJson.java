package dev.maas4j.management.internal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.maas4j.api.UsageTotals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of {@code /api-keys/{id}/usage} and {@code /usage}. Money is a decimal string. */
final class UsageJson {
    private UsageJson() {
    }

    /** Aggregated usage; {@code successRate} is 0 when there was no request. */
    @JsonPropertyOrder({"requests", "successfulRequests", "successRate", "promptTokens", "completionTokens",
            "totalTokens", "estimatedRequests", "cost"})
    record Totals(long requests, long successfulRequests, double successRate, long promptTokens,
                  long completionTokens, long totalTokens, long estimatedRequests, @Money BigDecimal cost) {
        static Totals of(UsageTotals t) {
            return new Totals(t.requests(), t.successfulRequests(), rate(t), t.promptTokens(),
                    t.completionTokens(), t.totalTokens(), t.estimatedRequests(), costOf(t));
        }
    }

    /** A computed cost without the trailing zeros that multiplying prices leaves: {@code 0.003}, not {@code 0.003000}. */
    static BigDecimal costOf(UsageTotals t) {
        return t.cost().signum() == 0 ? BigDecimal.ZERO : t.cost().stripTrailingZeros();
    }

    static double rate(UsageTotals t) {
        return t.requests() == 0 ? 0.0 : (double) t.successfulRequests() / t.requests();
    }

    /** One bucket of a time series: its start and the usage within it. */
    @JsonPropertyOrder({"start", "requests", "successfulRequests", "successRate", "promptTokens",
            "completionTokens", "totalTokens", "estimatedRequests", "cost"})
    record Point(String start, long requests, long successfulRequests, double successRate, long promptTokens,
                 long completionTokens, long totalTokens, long estimatedRequests, @Money BigDecimal cost) {
        static Point of(Instant start, UsageTotals t) {
            return new Point(start.toString(), t.requests(), t.successfulRequests(), rate(t),
                    t.promptTokens(), t.completionTokens(), t.totalTokens(), t.estimatedRequests(), costOf(t));
        }
    }

    /** {@code GET /api-keys/{id}/usage}. */
    @JsonPropertyOrder({"keyId", "range", "from", "to", "granularity", "currency", "totals", "series"})
    record KeyUsage(String keyId, String range, String from, String to, String granularity, String currency,
                    Totals totals, List<Point> series) {
    }

    /** The usage of one combination of the {@code groupBy} values, e.g. {@code {"model": "granite"}}. */
    @JsonPropertyOrder({"dimensions", "totals"})
    record Group(Map<String, String> dimensions, Totals totals) {
    }

    /** {@code GET /usage}. */
    @JsonPropertyOrder({"from", "to", "groupBy", "currency", "filters", "totals", "groups", "granularity", "series"})
    record Report(String from, String to, List<String> groupBy, String currency, Map<String, String> filters,
                  Totals totals, List<Group> groups, String granularity, List<Point> series) {
    }
}
