package dev.maas4j.servlet.internal;

import java.time.Duration;
import java.util.Locale;

/** How the data plane writes a duration in a message to a client: {@code 30s}, {@code 5m}, {@code 1h30m}. Stateless. */
public final class Durations {
    private Durations() {
    }

    /** The duration as {@code 1h2m3.5s}: ISO-8601 without the {@code PT}, in lower case. */
    public static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
