package dev.maas4j.servlet.internal;

import dev.maas4j.api.RateLimitStatus;
import jakarta.servlet.http.HttpServletResponse;

/** Writes the {@code x-ratelimit-*} headers OpenAI clients read. Stateless. */
public final class RateLimitHeaders {
    public static final String LIMIT_REQUESTS = "x-ratelimit-limit-requests";
    public static final String REMAINING_REQUESTS = "x-ratelimit-remaining-requests";
    public static final String RESET_REQUESTS = "x-ratelimit-reset-requests";
    public static final String LIMIT_TOKENS = "x-ratelimit-limit-tokens";
    public static final String REMAINING_TOKENS = "x-ratelimit-remaining-tokens";
    public static final String RESET_TOKENS = "x-ratelimit-reset-tokens";

    private RateLimitHeaders() {
    }

    /** Sets the headers of the limits that applied; a limit that did not apply sets none. */
    public static void apply(HttpServletResponse response, RateLimitStatus status) {
        if (status.hasRequestLimit()) {
            response.setHeader(LIMIT_REQUESTS, Long.toString(status.requestLimit()));
            response.setHeader(REMAINING_REQUESTS, Long.toString(Math.max(0, status.remainingRequests())));
            response.setHeader(RESET_REQUESTS, formatReset(status.requestResetMillis()));
        }
        if (status.hasTokenLimit()) {
            response.setHeader(LIMIT_TOKENS, Long.toString(status.tokenLimit()));
            response.setHeader(REMAINING_TOKENS, Long.toString(Math.max(0, status.remainingTokens())));
            response.setHeader(RESET_TOKENS, formatReset(status.tokenResetMillis()));
        }
    }

    /**
     * Formats a reset time the way OpenAI does (Go's duration format): {@code 20ms}, {@code 1s},
     * {@code 1.5s}, {@code 6m0s}, {@code 1h2m3s}.
     */
    public static String formatReset(long millis) {
        long ms = Math.max(0, millis);
        if (ms < 1000) {
            return ms + "ms";
        }
        long hours = ms / 3_600_000;
        long minutes = ms / 60_000 % 60;
        long seconds = ms / 1000 % 60;
        long fraction = ms % 1000;
        StringBuilder out = new StringBuilder(12);
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(seconds);
        if (fraction > 0) {
            // three digits without the trailing zeros: 5 -> .005, 50 -> .05, 500 -> .5
            out.append('.');
            for (long unit = 100; fraction > 0; unit /= 10) {
                out.append((char) ('0' + fraction / unit));
                fraction %= unit;
            }
        }
        return out.append('s').toString();
    }
}
