package dev.maas4j.core.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.TimeSource;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A verified key in the engine's cache, with what is kept per key in this process: the requests in
 * flight, the last time it was used (written to the store in the background) and its plans.
 */
public final class KeyEntry {
    private static final int MAX_PLANS = 64;

    final ApiKey key;
    private final boolean revoked;
    private final long expiresAtNanos;
    final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentHashMap<String, Plan> plans = new ConcurrentHashMap<>();
    private volatile long lastUsedNanos;
    private volatile boolean lastUsedDirty;
    /** What to run for the requests in flight under this entry if the key is revoked; made on first use. */
    private volatile Set<Runnable> onRevocation;

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
    public Plan plan(String planKey) {
        return plans.get(planKey);
    }

    /** Caches a plan; a key used with many model names keeps only the most recent few. */
    public void putPlan(String planKey, Plan plan) {
        if (plans.size() >= MAX_PLANS) {
            plans.clear();
        }
        plans.put(planKey, plan);
    }

    /** Registers what to run if the key is revoked while a request is in flight. */
    public void watchRevocation(Runnable hook) {
        Set<Runnable> hooks = onRevocation;
        if (hooks == null) {
            synchronized (this) {
                hooks = onRevocation;
                if (hooks == null) {
                    hooks = ConcurrentHashMap.newKeySet();
                    onRevocation = hooks;
                }
            }
        }
        hooks.add(hook);
    }

    /** Forgets a hook of {@link #watchRevocation}: its request ended. */
    public void unwatchRevocation(Runnable hook) {
        Set<Runnable> hooks = onRevocation;
        if (hooks != null) {
            hooks.remove(hook);
        }
    }

    /** Whether requests in flight under this entry watch for revocation. */
    public boolean watched() {
        Set<Runnable> hooks = onRevocation;
        return hooks != null && !hooks.isEmpty();
    }

    /** Runs (once each) the hooks of the requests in flight: the key was revoked. */
    public void runRevocationHooks() {
        Set<Runnable> hooks = onRevocation;
        if (hooks == null) {
            return;
        }
        for (Runnable hook : hooks) {
            if (hooks.remove(hook)) {
                hook.run();
            }
        }
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
