package dev.maas4j.servlet;

import dev.maas4j.servlet.internal.RateLimitHeaders;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reset times read the way OpenAI writes them (Go's duration format). */
class RateLimitHeadersTest {
    @Test
    void resetTimesUnderASecondAreMilliseconds() {
        assertEquals("0ms", RateLimitHeaders.formatReset(0));
        assertEquals("0ms", RateLimitHeaders.formatReset(-5));
        assertEquals("20ms", RateLimitHeaders.formatReset(20));
        assertEquals("999ms", RateLimitHeaders.formatReset(999));
    }

    @Test
    void secondsKeepTheirFractionWithoutTrailingZeros() {
        assertEquals("1s", RateLimitHeaders.formatReset(1000));
        assertEquals("1.5s", RateLimitHeaders.formatReset(1500));
        assertEquals("1.05s", RateLimitHeaders.formatReset(1050));
        assertEquals("1.005s", RateLimitHeaders.formatReset(1005));
        assertEquals("12.345s", RateLimitHeaders.formatReset(12_345));
    }

    @Test
    void minutesAndHoursShowEveryLowerUnit() {
        assertEquals("6m0s", RateLimitHeaders.formatReset(360_000));
        assertEquals("1m30.25s", RateLimitHeaders.formatReset(90_250));
        assertEquals("1h0m0s", RateLimitHeaders.formatReset(3_600_000));
        assertEquals("1h2m3s", RateLimitHeaders.formatReset(3_723_000));
    }
}
