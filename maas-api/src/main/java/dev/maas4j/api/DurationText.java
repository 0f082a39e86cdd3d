package dev.maas4j.api;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of maas4j's configuration and of its management API: a whole number and a
 * unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d} ({@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 1h}, {@code 90d}; {@code 0s} where a setting allows "none"). One grammar,
 * parsed here and written here, so that what {@link #format} writes {@link #parse} reads back.
 *
 * <p>Rate-limit windows have the CRDs' narrower syntax ({@code 30s}, {@code 1m}, {@code 24h}: 1 to
 * 4 digits, no leading zero, {@code s}, {@code m} or {@code h}): that one is
 * {@link RateLimit#parseWindow}, kept apart because it is Open Data Hub's, not ours.
 *
 * <pre>{@code
 * Duration idle = DurationText.parse("5m", "upstream.idleTimeout");   // PT5M
 * DurationText.parse("5x", "upstream.idleTimeout");
 * // IllegalArgumentException: upstream.idleTimeout: "5x" is not a duration (e.g. 30s, 5m)
 * DurationText.format(Duration.ofSeconds(90));                        // "90s"
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class DurationText {
    /** The syntax: 1 to 9 digits, then {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}. */
    public static final Pattern PATTERN = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    /** How the syntax is described in messages: {@code a duration (e.g. 30s, 5m)}. */
    public static final String EXPECTED = "a duration (e.g. 30s, 5m)";

    private DurationText() {
    }

    /**
     * Parses {@code text} ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 90d}; surrounding
     * blanks are ignored, the unit is case-insensitive).
     *
     * @param text    the text
     * @param setting the setting or field it was given for, named in the message
     * @return the duration, zero or positive
     * @throws IllegalArgumentException {@code <setting>: "<text>" is not a duration (e.g. 30s, 5m)}
     */
    public static Duration parse(String text, String setting) {
        Duration value = tryParse(text);
        if (value == null) {
            throw new IllegalArgumentException(setting + ": " + quote(text) + " is not " + EXPECTED);
        }
        return value;
    }

    /**
     * Whether {@code text} is a duration in this syntax.
     *
     * @param text the text, possibly {@code null}
     * @return {@code true} if {@link #parse} accepts it
     */
    public static boolean isDuration(String text) {
        return tryParse(text) != null;
    }

    private static Duration tryParse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = PATTERN.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /**
     * Writes {@code duration} in this syntax, in the largest unit that holds it exactly: {@code 90d},
     * {@code 12h}, {@code 90m}, {@code 45s}, {@code 250ms}, {@code 0s}. A part below a millisecond
     * is rounded to the nearest millisecond (a duration this syntax cannot write exactly).
     *
     * @param duration the duration, not negative
     * @return the text, which {@link #parse} reads back to the same duration (to the millisecond)
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
        long ms = duration.plusNanos(500_000).toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    /** {@code text} in double quotes for a message, cut to 40 characters (a pasted secret stays out). */
    private static String quote(String text) {
        if (text == null) {
            return "null";
        }
        String shown = text.length() > 40 ? text.substring(0, 37) + "..." : text;
        return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
