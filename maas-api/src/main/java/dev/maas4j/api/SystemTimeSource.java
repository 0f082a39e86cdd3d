package dev.maas4j.api;

import java.time.Instant;

/** The system clock. */
enum SystemTimeSource implements TimeSource {
    INSTANCE;

    @Override
    public long epochNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    @Override
    public Instant now() {
        return Instant.now();
    }
}
