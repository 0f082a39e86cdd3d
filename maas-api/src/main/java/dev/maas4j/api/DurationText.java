package dev.maas4j.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of maas4j's configuration and of its management API, which reads Go's
 * durations (what Open Data Hub's maas-api accepts for {@code expiresIn}) and plain seconds:
 * <ul>
 *   <li>one or more parts, each a number and a unit: {@code 250ms}, {@code 30s}, {@code 5m},
 *       {@code 1h}, {@code 90d}, {@code 1h30m}, {@code 2h45m30s}, {@code 1.5h}; the units are
 *       {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h} and
 *       {@code d} (a day of 24 hours, maas4j's and Open Data Hub's addition to Go's), and a number
 *       may have a decimal fraction;</li>
 *   <li>or a whole number alone, read as seconds: {@code 3600} is an hour;</li>
 *   <li>{@code 0s} (or {@code 0}) where a setting allows "none". No sign: a duration is never
 *       negative.</li>
 * </ul>
 * One grammar, parsed here and written here, so that what {@link #format} writes {@link #parse}
 * reads back.
 *
 * <p>Rate-limit windows have the CRDs' narrower syntax ({@code 30s}, {@code 1m}, {@code 24h}: 1 to
 * 4 digits, no leading zero, {@code s}, {@code m} or {@code h}): that one is
 * {@link RateLimit#parseWindow}, kept apart because it is Open Data Hub's, not ours.
 *
 * <pre>{@code
 * Duration idle = DurationText.parse("5m", "upstream.idleTimeout");   // PT5M
 * DurationText.parse("1h30m", "expiresIn");                           // PT1H30M
 * DurationText.parse("3600", "expiresIn");                            // PT1H
 * DurationText.parse("5x", "upstream.idleTimeout");
 * // IllegalArgumentException: upstream.idleTimeout: "5x" is not a duration (e.g. 30s, 5m)
 * DurationText.format(Duration.ofSeconds(90));                        // "90s"
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class DurationText {
    /**
     * The syntax: one or more parts of a number (1 to 9 digits, optionally a fraction of up to 9)
     * and a unit, or 1 to 9 digits alone (seconds).
     */
    public static final Pattern PATTERN = Pattern.compile(
            "(?:\\d{1,9}(?:\\.\\d{1,9})?(?:ns|us|\u00b5s|ms|s|m|h|d))+|\\d{1,9}");

    /** One part of {@link #PATTERN}: a number and its unit. */
    private static final Pattern PART = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})?)(ns|us|\u00b5s|ms|s|m|h|d)");

    /** The longest text read as a duration: it bounds the work and keeps the sum within a long. */
    private static final int MAX_LENGTH = 96;

    /** How the syntax is described in messages: {@code a duration (e.g. 30s, 5m)}. */
    public static final String EXPECTED = "a duration (e.g. 30s, 5m)";

    private DurationText() {
    }

    /**
     * Parses {@code text} ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 90d},
     * {@code 1h30m}, {@code 3600}; surrounding blanks are ignored, units are case-insensitive).
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
        if (text == null || text.length() > MAX_LENGTH) {
            return null;
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (!PATTERN.matcher(t).matches()) {
            return null;
        }
        if (Character.isDigit(t.charAt(t.length() - 1))) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(nanosPer(m.group(2)))));
        }
        // at most 96 characters, so at most 9 parts of under 10^9 days each: well within a long of seconds
        BigDecimal[] secondsAndNanos = nanos.setScale(0, RoundingMode.HALF_UP).divideAndRemainder(NANOS_PER_SECOND);
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }

    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "\u00b5s" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
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
