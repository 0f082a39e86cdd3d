package dev.maas4j.store.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.maas4j.api.TimeSource;
import dev.maas4j.core.LimitBackend;
import dev.maas4j.store.jdbc.internal.BucketProxyManager;
import dev.maas4j.store.jdbc.internal.ProbeCachingBucket;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.NopeOptimizationListener;
import io.github.bucket4j.distributed.proxy.optimization.delay.DelayOptimization;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Limit buckets shared by every engine whose backend points at the same database, so that rate
 * limits, quotas and budgets hold across gateway replicas.
 *
 * <pre>{@code
 * JdbcStore store = JdbcStore.builder("jdbc:postgresql://db:5432/maas").username("maas").password(pw).build();
 * TimeSource clock = TimeSource.system();
 * MaasEngine engine = MaasEngine.builder()
 *         .stores(store.bundle())
 *         .timeSource(clock)
 *         .limitBackend(JdbcLimitBackend.builder(store).timeSource(clock).build())
 *         .failureMode(FailureMode.FAIL_CLOSED)
 *         .build();
 * }</pre>
 *
 * <p><b>How.</b> Each bucket is one row of {@code maas_limit_bucket} holding bucket4j's state.
 * Every operation on a bucket ({@code tryConsume}, a refund, a probe) is one short transaction
 * that locks the row with {@code SELECT ... FOR UPDATE}; concurrent operations on one bucket by
 * threads of this process are first merged into one transaction (bucket4j's batching). The probes
 * the engine makes right after a reservation (remaining tokens, time until full, for the
 * rate-limit headers) are answered from the reservation's own result, so an admission costs one
 * transaction and its settlement one more.
 *
 * <p><b>Accuracy.</b> In the default, exact mode a shared bucket is as exact as an in-process one:
 * the total admitted by all replicas stays within the limit plus the engine's reservation bound
 * (see {@code ReservationStrategy}). The one residual error is clock skew: each replica refills
 * windows on its own clock, so a window may restart up to the skew between replicas early.
 * With {@link Builder#localAllowance(double, Duration)} each replica may consume up to
 * {@code fraction × capacity} of a bucket locally before writing it back (bucket4j's delaying
 * optimization), saving a transaction on most admissions of a busy key; the total then stays
 * within {@code limit × (1 + replicas × fraction)} plus the reservation bound, and a replica may
 * refuse for up to {@code maxDelay} on a view that another replica's refund has since made stale.
 *
 * <p><b>Changed limits.</b> When a bucket is asked for with a configuration other than the stored
 * one, the stored one is replaced in one locked transaction keeping what the current window has
 * consumed ({@code new capacity − consumed}), exactly as the in-process backend does; every
 * replica may do it, only the first changes anything.
 *
 * <p><b>Failures.</b> Operations throw {@link dev.maas4j.api.StoreException} naming the store when
 * the database cannot be reached; the engine then refuses or falls back to local limits according
 * to its {@code FailureMode}. After a connection failure the backend fails fast for
 * {@link Builder#retryAfter(Duration)} before trying the database again.
 *
 * <p>Thread-safe. Close it to stop its maintenance thread (which deletes buckets idle past their
 * TTL); closing does not close the store.
 */
public final class JdbcLimitBackend implements LimitBackend, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcLimitBackend.class);

    private final TimeMeter clock;
    private final BucketProxyManager proxies;
    private final double allowance;
    private final Duration maxDelay;
    private final Cache<String, Entry> buckets;
    private final ScheduledExecutorService maintenance;

    private JdbcLimitBackend(Builder b) {
        TimeSource time = b.time;
        TimeMeter clock = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return time.epochNanos();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.clock = clock;
        this.proxies = new BucketProxyManager(b.store.database(), clock, (int) Math.max(1, b.queryTimeout.toSeconds()),
                b.retryAfter.toMillis());
        this.allowance = b.allowance;
        this.maxDelay = b.maxDelay;
        this.buckets = Caffeine.newBuilder()
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry value, long currentTime) {
                        return value.key.idleTtlMillis() * 1_000_000L;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
                        return value.key.idleTtlMillis() * 1_000_000L;
                    }

                    @Override
                    public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
                        return value.key.idleTtlMillis() * 1_000_000L;
                    }
                })
                .build();
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "maas4j-jdbc-limits");
            t.setDaemon(true);
            return t;
        });
        long every = b.cleanupInterval.toMillis();
        maintenance.scheduleWithFixedDelay(this::deleteExpired, every, every, TimeUnit.MILLISECONDS);
    }

    /** A builder for a backend on {@code store}'s database. */
    public static Builder builder(JdbcStore store) {
        return new Builder(store);
    }

    @Override
    public Bucket bucket(String key, BucketConfiguration configuration, Duration idleTtl) {
        Entry entry = buckets.getIfPresent(key);
        if (entry == null) {
            entry = buckets.get(key, k -> create(k, configuration, idleTtl));
        }
        BucketConfiguration known = entry.configuration;
        if (known != configuration && (known == null || !known.equals(configuration))) {
            synchronized (entry) {
                if (!configuration.equals(entry.configuration)) {
                    // first use in this process (the row may hold an older limit stored by another
                    // replica or an earlier run), or the limit was changed since
                    proxies.reconfigure(entry.key, configuration);
                    entry.probes.capacity(configuration.getBandwidths()[0].getCapacity());
                    entry.configuration = configuration;
                }
            }
        }
        return entry.bucket;
    }

    private Entry create(String id, BucketConfiguration configuration, Duration idleTtl) {
        BucketProxyManager.Key key = new BucketProxyManager.Key(id, Math.max(1, idleTtl.toMillis()), configuration);
        RemoteBucketBuilder<BucketProxyManager.Key> builder = proxies.builder();
        if (allowance > 0) {
            long capacity = configuration.getBandwidths()[0].getCapacity();
            long tokens = Math.max(1, (long) Math.floor(capacity * allowance));
            // not Optimizations.delaying(): it runs the local copy on the system clock, and the
            // windows must run on the engine's (a test clock, or any TimeSource the host gives)
            builder = builder.withOptimization(new DelayOptimization(new DelayParameters(tokens, maxDelay),
                    NopeOptimizationListener.INSTANCE, clock));
        } else {
            builder = builder.withOptimization(Optimizations.batching());
        }
        // no I/O here (inside the cache's compute): the configuration is checked by the first caller
        return new Entry(key, ProbeCachingBucket.of(builder.build(key, () -> configuration),
                configuration.getBandwidths()[0].getCapacity()));
    }

    private void deleteExpired() {
        try {
            int n = proxies.deleteExpired();
            if (n > 0) {
                LOG.debug("deleted {} idle limit buckets", n);
            }
        } catch (RuntimeException e) {
            LOG.debug("could not delete idle limit buckets: {}", e.getMessage());
        }
    }

    /** Stops the maintenance thread. */
    @Override
    public void close() {
        maintenance.shutdownNow();
    }

    private static final class Entry {
        final BucketProxyManager.Key key;
        final ProbeCachingBucket probes;
        final Bucket bucket;
        /** The configuration known to be stored, {@code null} until checked. */
        volatile BucketConfiguration configuration;

        Entry(BucketProxyManager.Key key, ProbeCachingBucket probes) {
            this.key = key;
            this.probes = probes;
            this.bucket = probes.bucket();
        }
    }

    /**
     * Builds a {@link JdbcLimitBackend}; every setting but the time source has a default. Not
     * thread-safe.
     */
    public static final class Builder {
        private final JdbcStore store;
        private TimeSource time;
        private double allowance;
        private Duration maxDelay = Duration.ZERO;
        private Duration retryAfter = Duration.ofSeconds(1);
        private Duration queryTimeout = Duration.ofSeconds(5);
        private Duration cleanupInterval = Duration.ofMinutes(10);

        private Builder(JdbcStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The engine's clock; must be the same {@link TimeSource} the engine is built with. Required. */
        public Builder timeSource(TimeSource value) {
            if (time != null) {
                throw new IllegalStateException("timeSource was already set");
            }
            time = Objects.requireNonNull(value, "timeSource");
            return this;
        }

        /**
         * Lets each replica consume up to {@code fraction} of a bucket's capacity locally, writing
         * to the database at most every {@code maxDelay} or when the allowance is used up (default:
         * none, every operation is a transaction). Bound: limit × (1 + replicas × fraction).
         */
        public Builder localAllowance(double fraction, Duration maxDelay) {
            if (!(fraction > 0 && fraction <= 0.5)) {
                throw new IllegalArgumentException("localAllowance fraction must be in (0, 0.5], was " + fraction);
            }
            Objects.requireNonNull(maxDelay, "maxDelay");
            if (maxDelay.isNegative() || maxDelay.isZero()) {
                throw new IllegalArgumentException("localAllowance maxDelay must be positive, was " + maxDelay);
            }
            allowance = fraction;
            this.maxDelay = maxDelay;
            return this;
        }

        /** How long to fail fast after the database could not be reached (default 1 second). */
        public Builder retryAfter(Duration value) {
            retryAfter = positive(value, "retryAfter");
            return this;
        }

        /** The longest a bucket's row lock may be waited for (default 5 seconds). */
        public Builder queryTimeout(Duration value) {
            queryTimeout = positive(value, "queryTimeout");
            return this;
        }

        /** How often rows of buckets idle past their TTL are deleted (default 10 minutes). */
        public Builder cleanupInterval(Duration value) {
            cleanupInterval = positive(value, "cleanupInterval");
            return this;
        }

        private static Duration positive(Duration value, String setting) {
            Objects.requireNonNull(value, setting);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(setting + " must be positive, was " + value);
            }
            return value;
        }

        /** Builds the backend. */
        public JdbcLimitBackend build() {
            if (time == null) {
                throw new IllegalStateException("timeSource must be set to the engine's clock");
            }
            return new JdbcLimitBackend(this);
        }
    }
}
