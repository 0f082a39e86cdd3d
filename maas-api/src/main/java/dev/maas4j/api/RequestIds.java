package dev.maas4j.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: time-ordered UUIDs (version 7 of RFC 9562), 48 bits of Unix milliseconds followed by
 * 74 random bits.
 *
 * <p>Usage events are stored and deduplicated by request id; ids that grow with time are appended
 * at the end of a B-tree index instead of landing on a random page of it, which keeps ledger writes
 * cheap in H2 and PostgreSQL. The random part comes from {@link ThreadLocalRandom}, which takes no
 * lock: an id must be unique, not unguessable (it is never a credential). Thread-safe.
 */
public final class RequestIds {
    private RequestIds() {
    }

    /** A new id, e.g. {@code 019ad8a4-6c3e-7b1a-9f0e-2d4c8a1b3e5f}. */
    public static String next() {
        return next(System.currentTimeMillis());
    }

    /** An id for the Unix millisecond {@code millis}; for tests, which choose the millisecond. */
    static String next(long millis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
