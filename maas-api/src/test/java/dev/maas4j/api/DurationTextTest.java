package dev.maas4j.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationTextTest {

    @Test
    void everyUnitParses() {
        assertEquals(Duration.ofMillis(250), DurationText.parse("250ms", "x"));
        assertEquals(Duration.ofSeconds(30), DurationText.parse("30s", "x"));
        assertEquals(Duration.ofMinutes(5), DurationText.parse(" 5M ", "x"));
        assertEquals(Duration.ofHours(1), DurationText.parse("1h", "x"));
        assertEquals(Duration.ofDays(90), DurationText.parse("90d", "x"));
        assertEquals(Duration.ZERO, DurationText.parse("0s", "x"));
        assertEquals(Duration.ofDays(999_999_999), DurationText.parse("999999999d", "x"));
    }

    @Test
    void goDurationsAndPlainSecondsParse() {
        // what Open Data Hub's maas-api accepts for expiresIn (Go's time.ParseDuration, and seconds)
        assertEquals(Duration.ofSeconds(1), DurationText.parse("1s", "x"));
        assertEquals(Duration.ofMinutes(90), DurationText.parse("1h30m", "x"));
        assertEquals(Duration.ofSeconds(2 * 3600 + 45 * 60 + 30), DurationText.parse("2h45m30s", "x"));
        assertEquals(Duration.ofMinutes(90), DurationText.parse("1.5h", "x"));
        assertEquals(Duration.ofNanos(1_500), DurationText.parse("1us500ns", "x"));
        assertEquals(Duration.ofMillis(3), DurationText.parse("3\u00b5s", "x").multipliedBy(1000));
        assertEquals(Duration.ofHours(1), DurationText.parse("3600", "x"));
        assertEquals(Duration.ZERO, DurationText.parse("0", "x"));
        assertEquals(Duration.ofDays(1).plusHours(12), DurationText.parse("1d12h", "x"));
    }

    @Test
    void anythingElseIsOneMessageNamingTheSettingAndTheText() {
        for (String bad : new String[] {"5x", "", "m", "1.h", "-1s", "1h 30m", "1 h", "1000000000s", "PT5M",
                "1000000000", "5.5", "h1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DurationText.parse(bad, "upstream.idleTimeout"));
            assertEquals("upstream.idleTimeout: \"" + bad + "\" is not a duration (e.g. 30s, 5m)", e.getMessage());
            assertFalse(DurationText.isDuration(bad));
        }
        assertEquals("s: null is not a duration (e.g. 30s, 5m)",
                assertThrows(IllegalArgumentException.class, () -> DurationText.parse(null, "s")).getMessage());
    }

    @Test
    void aLongTextIsCutInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DurationText.parse("x".repeat(100), "s"));
        assertTrue(e.getMessage().length() < 100, e.getMessage());
    }

    @Test
    void formatWritesTheLargestExactUnitAndParseReadsItBack() {
        assertEquals("0s", DurationText.format(Duration.ZERO));
        assertEquals("250ms", DurationText.format(Duration.ofMillis(250)));
        assertEquals("1500ms", DurationText.format(Duration.ofMillis(1500)));
        assertEquals("90s", DurationText.format(Duration.ofSeconds(90)));
        assertEquals("90m", DurationText.format(Duration.ofMinutes(90)));
        assertEquals("12h", DurationText.format(Duration.ofHours(12)));
        assertEquals("30d", DurationText.format(Duration.ofDays(30)));
        assertEquals("2ms", DurationText.format(Duration.ofNanos(1_600_000)), "rounded to the millisecond");
        for (Duration d : new Duration[] {Duration.ofMillis(7), Duration.ofSeconds(61), Duration.ofHours(25),
                Duration.ofDays(365)}) {
            assertEquals(d, DurationText.parse(DurationText.format(d), "x"));
        }
        assertThrows(IllegalArgumentException.class, () -> DurationText.format(Duration.ofSeconds(-1)));
    }
}
