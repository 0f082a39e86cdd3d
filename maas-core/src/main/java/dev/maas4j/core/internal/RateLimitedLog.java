package dev.maas4j.core.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Lets one log line through per interval, so an outage logs once a minute, not once per request. */
public final class RateLimitedLog {
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

    /** A gate opening once per {@code interval}. */
    public RateLimitedLog(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Whether the caller may log now. */
    public boolean tryAcquire() {
        long now = System.nanoTime();
        long due = next.get();
        return (due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + intervalNanos);
    }
}
