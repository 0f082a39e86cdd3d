package dev.maas4j.api;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A number of units (tokens or requests) allowed per fixed window, as in
 * {@code tokenRateLimits: [{limit: 50000, window: 1h}]}.
 *
 * @param limit  units per window, 1 to 1,000,000,000 (the CRD's range)
 * @param window the window length, at least one second
 */
public record RateLimit(long limit, Duration window) {

    /** The CRD's window syntax: 1 to 4 digits, no leading zero, then {@code s}, {@code m} or {@code h}. */
    public static final Pattern WINDOW_PATTERN = Pattern.compile("^[1-9]\\d{0,3}(s|m|h)$");

    /** Validates the components. */
    public RateLimit {
        Objects.requireNonNull(window, "window");
        if (limit < 1 || limit > 1_000_000_000L) {
            throw new IllegalArgumentException("limit must be between 1 and 1000000000, was " + limit);
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("window must be at least 1s, was " + window);
        }
    }

    /** A limit with a window in the CRD syntax, e.g. {@code of(50000, "1h")}. */
    public static RateLimit of(long limit, String window) {
        return new RateLimit(limit, parseWindow(window));
    }

    /**
     * Parses a window in the CRD syntax ({@code 30s}, {@code 1m}, {@code 24h}): Open Data Hub's
     * grammar for {@code tokenRateLimits[].window}, narrower than maas4j's own duration syntax
     * ({@link DurationText}: no {@code ms} or {@code d}, no zero, at most 4 digits).
     *
     * @throws IllegalArgumentException naming the expected syntax
     */
    public static Duration parseWindow(String text) {
        Objects.requireNonNull(text, "window");
        if (!WINDOW_PATTERN.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "window must match " + WINDOW_PATTERN.pattern() + " (e.g. 30s, 1m, 1h), was '" + text + "'");
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** The window in the CRD syntax, in the largest unit that divides it. */
    public String windowText() {
        long s = window.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
