package dev.maas4j.servlet.internal;

import dev.maas4j.api.ModelRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A model's own response limits, in the syntax of the proxy's settings. */
class ResponseLimitsTest {
    private static final ResponseLimits DEFAULTS = new ResponseLimits(Duration.ofMinutes(30), 1_000);

    private static ResponseLimits of(String duration, String bytes) {
        Map<String, String> metadata = new HashMap<>();
        if (duration != null) {
            metadata.put(ModelRef.MAX_RESPONSE_DURATION, duration);
        }
        if (bytes != null) {
            metadata.put(ModelRef.MAX_RESPONSE_BYTES, bytes);
        }
        return ResponseLimits.of(ModelRef.builder("granite").metadata(metadata).build(), DEFAULTS);
    }

    @Test
    void aModelsDurationTakesTheSettingsSyntax() {
        assertEquals(Duration.ofDays(1), of("1d", null).maxDuration(), "days, which the CRD windows lack");
        assertEquals(Duration.ofMillis(1500), of("1500ms", null).maxDuration());
        assertEquals(Duration.ZERO, of("0s", null).maxDuration(), "none, as for upstream.maxResponseDuration");
        assertEquals(Duration.ofHours(2), of(" 2H ", null).maxDuration());
    }

    @Test
    void whatDoesNotParseKeepsTheDefault() {
        assertEquals(DEFAULTS, of("two hours", "lots"));
        assertEquals(DEFAULTS, of(null, "-1"));
        assertEquals(new ResponseLimits(Duration.ofMinutes(30), 64), of("x", "64"));
        assertEquals(DEFAULTS, of(null, null));
    }
}
