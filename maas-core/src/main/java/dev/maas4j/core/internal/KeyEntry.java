package dev.maas4j.core.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.TimeSource;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A verified key in the engine's cache, with what is kept per key in this process: the requests in
 * flight, the last time it was used (written to the store in the background) and its plans.
 */
public final class KeyEntry implements KeyCheck {
    private static final int MAX_PLANS = 64;

    final ApiKey key;
    private final boolean revoked;
    private final long expiresAtNanos;
    final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentHashMap<String, CachedPlan> plans = new ConcurrentHashMap<>();
    private volatile long lastUsedNanos;
    private volatile boolean lastUsedDirty;

    /** An entry for a key loaded from the store. */
    public KeyEntry(ApiKey key) {
        this.key = key;
        this.revoked = key.revokedAt().isPresent();
        this.expiresAtNanos = key.expiresAt()
                .map(TimeSource::toEpochNanos).orElse(Long.MAX_VALUE);
    }

    /** Whether the key was revoked when it was loaded (revocation evicts the entry). */
    public boolean revoked() {
        return revoked;
    }

    /** Whether the key has expired at {@code nowNanos} (epoch nanoseconds); the same rule as {@link ApiKey#status}. */
    public boolean expiredAt(long nowNanos) {
        return nowNanos >= expiresAtNanos;
    }

    /** The key. */
    public ApiKey key() {
        return key;
    }

    /** Requests in flight under this key in this process. */
    public AtomicInteger inFlight() {
        return inFlight;
    }

    /** The cached plan for a plan key, or {@code null}. */
    public CachedPlan plan(String planKey) {
        return plans.get(planKey);
    }

    /** Caches a plan; a key used with many model names keeps only the most recent few. */
    public void putPlan(String planKey, CachedPlan plan) {
        if (plans.size() >= MAX_PLANS) {
            plans.clear();
        }
        plans.put(planKey, plan);
    }

    /** Notes a successful use. */
    public void touch(long nowNanos) {
        lastUsedNanos = nowNanos;
        lastUsedDirty = true;
    }

    /** The last use not yet written to the store, or -1; clears the mark. */
    public long takeLastUsed() {
        if (!lastUsedDirty) {
            return -1;
        }
        lastUsedDirty = false;
        return lastUsedNanos;
    }
}
