package dev.maas4j.servlet.management.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing and formatting of the management API's scalar values. Stateless. */
final class Text {
    private static final Pattern RELATIVE = Pattern.compile("([1-9][0-9]{0,4})([dhm])");

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
     * Parses a relative duration such as {@code 30d}, {@code 12h} or {@code 90m}.
     *
     * @throws ApiException 400 naming {@code field}
     */
    static Duration parseRelative(String text, String field) {
        Matcher m = RELATIVE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw ApiException.invalid(field, field + " must look like 30d, 12h or 90m");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofMinutes(amount);
        };
    }

    /** A duration as the largest whole unit: {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}. */
    static String relative(Duration duration) {
        long s = duration.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** {@code value}, or throws 400 naming {@code field} when it is longer than {@code max}. */
    static String bounded(String value, int max, String field) {
        if (value != null && value.length() > max) {
            throw ApiException.invalid(field, field + " must be at most " + max + " characters");
        }
        return value;
    }
}
