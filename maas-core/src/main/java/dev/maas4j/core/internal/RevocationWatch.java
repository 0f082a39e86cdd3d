package dev.maas4j.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What to run, per key id, for the requests in flight under a key if it is revoked. Kept apart from
 * the key cache: a cached entry expires every few minutes while a stream may run for longer, and a
 * hook must outlive its entry. Thread-safe without a global lock (each key id's set is changed
 * inside its map bin); a key with no request watching has no entry.
 */
public final class RevocationWatch {
    private final ConcurrentHashMap<String, Set<Runnable>> hooks = new ConcurrentHashMap<>();

    /** Registers {@code hook} for {@code keyId}. */
    public void watch(String keyId, Runnable hook) {
        hooks.compute(keyId, (id, set) -> {
            Set<Runnable> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(hook);
            return s;
        });
    }

    /** Forgets {@code hook}: its request ended. */
    public void unwatch(String keyId, Runnable hook) {
        hooks.computeIfPresent(keyId, (id, set) -> {
            set.remove(hook);
            return set.isEmpty() ? null : set;
        });
    }

    /** Whether requests in flight under {@code keyId} watch for its revocation. */
    public boolean watched(String keyId) {
        return hooks.containsKey(keyId);
    }

    /** Runs, once each, the hooks of the requests in flight under {@code keyId}: it was revoked. */
    public void revoked(String keyId) {
        Set<Runnable> set = hooks.remove(keyId);
        if (set != null) {
            for (Runnable hook : set) {
                hook.run();
            }
        }
    }
}
