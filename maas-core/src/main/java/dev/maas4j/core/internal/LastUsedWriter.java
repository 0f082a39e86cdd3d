package dev.maas4j.core.internal;

import dev.maas4j.api.KeyStore;
import dev.maas4j.api.TimeSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Writes when keys were last used to the key store, in the background: all cached keys at an
 * interval, and a key leaving the cache at once (its use would otherwise be lost). A request only
 * marks its key's entry. Thread-safe.
 */
public final class LastUsedWriter {
    private static final Logger log = LoggerFactory.getLogger(LastUsedWriter.class);

    private final KeyStore store;
    private final Executor background;
    private volatile boolean closed;

    public LastUsedWriter(KeyStore store, Executor background) {
        this.store = store;
        this.background = background;
    }

    /** Writes the uses not yet written of the keys {@code cached} lists. */
    public void flush(Iterable<KeyEntry> cached) {
        try {
            Map<String, Instant> used = new HashMap<>();
            for (KeyEntry entry : cached) {
                long nanos = entry.takeLastUsed();
                if (nanos >= 0) {
                    used.put(entry.key().id(), TimeSource.toInstant(nanos));
                }
            }
            if (!used.isEmpty()) {
                store.recordLastUsed(used);
            }
        } catch (RuntimeException e) {
            log.warn("could not record last-used times of keys: {}", e.getMessage());
        }
    }

    /** Writes, in the background, the use not yet written of a key leaving the cache. */
    public void evicted(KeyEntry entry) {
        long nanos = entry.takeLastUsed();
        if (nanos >= 0 && !closed) {
            background.execute(() -> {
                try {
                    store.recordLastUsed(Map.of(entry.key().id(), TimeSource.toInstant(nanos)));
                } catch (RuntimeException e) {
                    log.warn("could not record the last-used time of a key: {}", e.getMessage());
                }
            });
        }
    }

    /** Writes the last uses of {@code cached} now, and nothing in the background after. */
    public void close(Supplier<Iterable<KeyEntry>> cached) {
        closed = true;
        flush(cached.get());
    }
}
