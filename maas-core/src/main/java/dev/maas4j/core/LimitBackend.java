package dev.maas4j.core;

import dev.maas4j.api.TimeSource;
import dev.maas4j.core.internal.LocalLimitBackend;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

/**
 * Where the token buckets behind rate limits, quotas and budgets live. The default keeps them in
 * this process; a distributed backend (the JDBC store's, for several replicas sharing one
 * database) shares them between engines.
 *
 * <p>Implementations must be thread-safe, must return the same logical bucket for the same key to
 * every caller, and, when a bucket exists with a different configuration (a limit was changed),
 * must apply the new configuration keeping the tokens already consumed. Buckets must be
 * wall-clock based on the engine's {@link dev.maas4j.api.TimeSource}.
 */
public interface LimitBackend {

    /**
     * The bucket for {@code key}, created with {@code configuration} if it does not exist.
     *
     * @param key           a stable key such as {@code key:abc:rpm}
     * @param configuration the limits the bucket enforces
     * @param idleTtl       how long the bucket must be kept after its last use; after that it
     *                      would be full again anyway, so a backend may forget it
     */
    Bucket bucket(String key, BucketConfiguration configuration, java.time.Duration idleTtl);

    /**
     * The backend an engine uses when none is given: buckets in this process's memory, on
     * {@code time}, forgotten once idle for their {@code idleTtl}. Thread-safe.
     */
    static LimitBackend local(TimeSource time) {
        return new LocalLimitBackend(time);
    }
}
