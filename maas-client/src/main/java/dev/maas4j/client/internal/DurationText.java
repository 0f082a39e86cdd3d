package dev.maas4j.client.internal;

import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations found in rate-limit headers. Servers disagree on the syntax: OpenAI sends
 * Go durations ({@code 1s}, {@code 6m0s}, {@code 20ms}), others plain seconds ({@code 30},
 * {@code 0.5}), and {@code Retry-After} may also be an HTTP date. A header that cannot be parsed
 * is treated as absent, never as an error: a response must not fail because of a hint.
 */
public final class DurationText {

    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(1_000_000_000L);
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern GO_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)");

    private DurationText() {
    }

    /** Parses {@code 1s}, {@code 6m0s}, {@code 1h2m3.5s}, {@code 20ms} or plain seconds such as {@code 12} or {@code 0.5}. */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        if (NUMBER.matcher(t).matches()) {
            return Optional.of(ofSeconds(new BigDecimal(t)));
        }
        Matcher m = GO_PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            BigDecimal amount = new BigDecimal(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ns" -> ofSeconds(amount.movePointLeft(9));
                case "us", "µs" -> ofSeconds(amount.movePointLeft(6));
                case "ms" -> ofSeconds(amount.movePointLeft(3));
                case "s" -> ofSeconds(amount);
                case "m" -> ofSeconds(amount.multiply(BigDecimal.valueOf(60)));
                case "h" -> ofSeconds(amount.multiply(BigDecimal.valueOf(3600)));
                default -> ofSeconds(amount.multiply(BigDecimal.valueOf(86400)));
            });
            end = m.end();
        }
        return end == t.length() && end > 0 ? Optional.of(total) : Optional.empty();
    }

    /**
     * The delay a server asked for: {@code retry-after-ms} (OpenAI's precise variant) if present,
     * else {@code Retry-After} as seconds or as an HTTP date relative to {@code clock}.
     */
    public static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        Optional<String> millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent() && NUMBER.matcher(millis.get().strip()).matches()) {
            return Optional.of(ofSeconds(new BigDecimal(millis.get().strip()).movePointLeft(3)));
        }
        Optional<String> value = headers.firstValue("retry-after").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (NUMBER.matcher(value.get()).matches()) {
            return Optional.of(ofSeconds(new BigDecimal(value.get())));
        }
        try {
            Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(clock.instant(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Duration ofSeconds(BigDecimal seconds) {
        // Capped so that an absurd header cannot overflow the nanosecond count.
        BigDecimal capped = seconds.min(MAX_SECONDS);
        return Duration.ofNanos(capped.movePointRight(9).longValue());
    }
}
