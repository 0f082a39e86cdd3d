package dev.maas4j.client.internal;

import dev.maas4j.client.RateLimitInfo;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationTextTest {

    @Test
    void goDurationsAndPlainSecondsParse() {
        assertEquals(Optional.of(Duration.ofSeconds(1)), DurationText.parse("1s"));
        assertEquals(Optional.of(Duration.ofMinutes(6)), DurationText.parse("6m0s"));
        assertEquals(Optional.of(Duration.ofMillis(20)), DurationText.parse("20ms"));
        assertEquals(Optional.of(Duration.ofMillis(3_723_500)), DurationText.parse("1h2m3.5s"));
        assertEquals(Optional.of(Duration.ofSeconds(12)), DurationText.parse("12"));
        assertEquals(Optional.of(Duration.ofMillis(500)), DurationText.parse("0.5"));
        assertEquals(Optional.of(Duration.ofNanos(1500)), DurationText.parse("1.5us"));
    }

    @Test
    void garbageIsAbsentNotAnError() {
        assertEquals(Optional.empty(), DurationText.parse("soon"));
        assertEquals(Optional.empty(), DurationText.parse("5 s"));
        assertEquals(Optional.empty(), DurationText.parse("1sx"));
        assertEquals(Optional.empty(), DurationText.parse(""));
        assertEquals(Optional.empty(), DurationText.parse("-1"));
        assertTrue(DurationText.parse("99999999999999999999").orElseThrow().getSeconds() <= 1_000_000_000L);
    }

    @Test
    void retryAfterReadsSecondsMillisecondsAndHttpDates() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
        assertEquals(Optional.of(Duration.ofSeconds(7)), DurationText.retryAfter(headers("retry-after", "7"), clock));
        assertEquals(Optional.of(Duration.ofMillis(1500)),
                DurationText.retryAfter(headers("retry-after-ms", "1500", "retry-after", "2"), clock));
        assertEquals(Optional.of(Duration.ofSeconds(90)),
                DurationText.retryAfter(headers("retry-after", "Sun, 01 Mar 2026 12:01:30 GMT"), clock));
        assertEquals(Optional.of(Duration.ZERO),
                DurationText.retryAfter(headers("retry-after", "Sun, 01 Mar 2026 11:00:00 GMT"), clock));
        assertEquals(Optional.empty(), DurationText.retryAfter(headers("retry-after", "later"), clock));
        assertEquals(Optional.empty(), DurationText.retryAfter(headers(), clock));
    }

    @Test
    void rateLimitInfoReadsWhatIsThereAndIgnoresTheRest() {
        RateLimitInfo info = RateLimitInfo.from(headers(
                "x-ratelimit-limit-requests", "100;w=60",
                "x-ratelimit-remaining-requests", "abc",
                "x-ratelimit-reset-tokens", "250ms"));

        assertEquals(100, info.limitRequests().getAsLong());
        assertTrue(info.remainingRequests().isEmpty());
        assertEquals(Duration.ofMillis(250), info.resetTokens().orElseThrow());
        assertTrue(RateLimitInfo.from(headers()).isEmpty());
    }

    static HttpHeaders headers(String... pairs) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], List.of(pairs[i + 1]));
        }
        return HttpHeaders.of(map, (a, b) -> true);
    }
}
