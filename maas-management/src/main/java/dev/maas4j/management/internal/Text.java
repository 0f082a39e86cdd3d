package dev.maas4j.management.internal;

import dev.maas4j.api.DurationText;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Parsing and formatting of the management API's scalar values. Stateless. */
final class Text {
    private Text() {
    }

    /** An instant in RFC 3339 form ({@code 2026-01-31T12:00:00Z}); {@code null} stays {@code null}. */
    static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** An optional instant in RFC 3339 form, or {@code null}. */
    static String instant(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse(null);
    }

    /**
     * Parses an RFC 3339 timestamp with an offset ({@code Z} or {@code +02:00}).
     *
     * @throws ApiException 400 naming {@code field}
     */
    static Instant parseInstant(String text, String field) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, field + " must be an RFC 3339 timestamp such as 2026-12-31T23:59:59Z");
        }
    }

    /**
     * Parses a positive duration in maas4j's syntax ({@link DurationText}): {@code 30d}, {@code 12h},
     * {@code 90m}, Go durations such as {@code 1h30m} and plain seconds ({@code 3600}), all of which
     * Open Data Hub's {@code expiresIn} accepts.
     *
     * @throws ApiException 400 naming {@code field}
     */
    static Duration parseRelative(String text, String field) {
        if (!DurationText.isDuration(text)) {
            throw ApiException.invalid(field, field + " must be a duration such as 30d, 12h, 90m, 1h30m or 3600 (seconds)");
        }
        Duration duration = DurationText.parse(text, field);
        if (duration.isZero()) {
            throw ApiException.invalid(field, field + " must be longer than 0");
        }
        return duration;
    }

    /**
     * Parses a duration, zero allowed, in {@link DurationText}'s syntax.
     *
     * @throws ApiException 400 naming {@code field}
     */
    static Duration parseDuration(String text, String field) {
        if (!DurationText.isDuration(text)) {
            throw ApiException.invalid(field, field + " must be a duration such as 0s, 90m, 1h30m or 3600 (seconds)");
        }
        return DurationText.parse(text, field);
    }

    /** A duration in maas4j's syntax, in the largest whole unit: {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}. */
    static String relative(Duration duration) {
        return DurationText.format(duration);
    }

    /** {@code value}, or throws 400 naming {@code field} when it is longer than {@code max}. */
    static String bounded(String value, int max, String field) {
        if (value != null && value.length() > max) {
            throw ApiException.invalid(field, field + " must be at most " + max + " characters");
        }
        return value;
    }
}
