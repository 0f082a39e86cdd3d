package dev.maas4j.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.maas4j.api.TimeSource;
import dev.maas4j.core.LimitBackend;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucketBuilder;
import io.github.bucket4j.local.SynchronizationStrategy;

import java.time.Duration;

/**
 * Buckets in this process. Each bucket has its own lock (bucket4j's synchronized strategy, which
 * updates state in place instead of copying it on every consume); there is no global lock.
 * A bucket unused for its idle TTL is forgotten: it would be full again by then.
 */
public final class LocalLimitBackend implements LimitBackend {
    private final TimeMeter timeMeter;
    private final Cache<String, Entry> buckets;

    /** A backend on {@code time}. */
    public LocalLimitBackend(TimeSource time) {
        this.timeMeter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return time.epochNanos();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.buckets = Caffeine.newBuilder()
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry value, long currentTime) {
                        return value.idleTtlNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
                        return value.idleTtlNanos;
                    }

                    @Override
                    public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
                        return value.idleTtlNanos;
                    }
                })
                .build();
    }

    @Override
    public Bucket bucket(String key, BucketConfiguration configuration, Duration idleTtl) {
        Entry entry = buckets.getIfPresent(key);
        if (entry == null) {
            entry = buckets.get(key, k -> new Entry(create(configuration), configuration, idleTtl.toNanos()));
        }
        if (entry.configuration != configuration && !entry.configuration.equals(configuration)) {
            synchronized (entry) {
                if (!entry.configuration.equals(configuration)) {
                    reconfigure(entry.bucket, entry.configuration, configuration);
                    entry.configuration = configuration;
                }
            }
        }
        return entry.bucket;
    }

    /**
     * Applies a changed limit keeping what was consumed in the current window: a limit lowered
     * below the usage so far refuses at once, a raised one grants only the difference. None of
     * bucket4j's inheritance strategies does this for a lowered capacity, so the balance is set
     * explicitly after an {@code AS_IS} replacement.
     */
    static void reconfigure(Bucket bucket, BucketConfiguration from, BucketConfiguration to) {
        long consumed = capacity(from) - bucket.getAvailableTokens();
        bucket.replaceConfiguration(to, TokensInheritanceStrategy.AS_IS);
        long target = capacity(to) - consumed;
        long available = bucket.getAvailableTokens();
        if (available > target) {
            bucket.consumeIgnoringRateLimits(available - target);
        } else if (available < target) {
            bucket.addTokens(target - available);
        }
    }

    private static long capacity(BucketConfiguration configuration) {
        return configuration.getBandwidths()[0].getCapacity();
    }

    private Bucket create(BucketConfiguration configuration) {
        LocalBucketBuilder builder = Bucket.builder()
                .withCustomTimePrecision(timeMeter)
                .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED);
        for (Bandwidth bandwidth : configuration.getBandwidths()) {
            builder.addLimit(bandwidth);
        }
        return builder.build();
    }

    private static final class Entry {
        final Bucket bucket;
        volatile BucketConfiguration configuration;
        final long idleTtlNanos;

        Entry(Bucket bucket, BucketConfiguration configuration, long idleTtlNanos) {
            this.bucket = bucket;
            this.configuration = configuration;
            this.idleTtlNanos = idleTtlNanos;
        }
    }
}
