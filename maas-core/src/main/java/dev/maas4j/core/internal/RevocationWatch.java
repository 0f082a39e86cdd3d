package dev.maas4j.core.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.TimeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What to run, per key id, for the requests in flight under a key if it is revoked. Kept apart from
 * the key cache: a cached entry expires every few minutes while a stream may run for longer, and a
 * hook must outlive its entry. Thread-safe without a global lock (each key id's set is changed
 * inside its map bin); a key with no request watching has no entry.
 */
public final class RevocationWatch {
    private static final Logger log = LoggerFactory.getLogger(RevocationWatch.class);

    private final ConcurrentHashMap<String, Set<Runnable>> hooks = new ConcurrentHashMap<>();
    private final KeyStore store;
    private final TimeSource time;
    private final Executor background;

    /**
     * @param store      where a changed key is looked up
     * @param background where that lookup runs, off the thread that told of the change
     */
    public RevocationWatch(KeyStore store, TimeSource time, Executor background) {
        this.store = store;
        this.time = time;
        this.background = background;
    }

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
        if (set == null) {
            return;
        }
        for (Runnable hook : set) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                log.warn("cutting a request of a revoked key failed: {}", e.toString());
            }
        }
    }

    /**
     * A store told of a change to a key (another replica revoked it, say): if requests are in
     * flight under it, look in the background whether it is revoked, deleted or expired, and if so
     * tell them.
     */
    public void changedInStore(String keyId) {
        if (!watched(keyId)) {
            return;
        }
        background.execute(() -> {
            try {
                Optional<ApiKey> stored = store.findById(keyId);
                if (stored.isEmpty() || stored.get().revokedAt().isPresent()
                        || stored.get().expiresAt().map(t -> !t.isAfter(time.now())).orElse(false)) {
                    revoked(keyId);
                }
            } catch (RuntimeException e) {
                log.warn("could not check a changed key for revocation: {}", e.getMessage());
            }
        });
    }
}
