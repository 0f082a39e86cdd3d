package dev.maas4j.core.internal;

import dev.maas4j.api.DenialReason;
import io.github.bucket4j.BucketConfiguration;

import java.time.Duration;

/**
 * One limit a request is checked against: which bucket, with what configuration, and what to say
 * when it is exhausted. Built once per plan, so the hot path allocates no keys or configurations.
 */
public final class LimitSpec {
    /** What the bucket counts. */
    public enum Unit { REQUESTS, TOKENS, NANOS_OF_MONEY }

    final String bucketKey;
    final BucketConfiguration configuration;
    final Duration idleTtl;
    final long capacity;
    final Unit unit;
    final DenialReason reason;
    final String description;
    /** For budgets: when the period ends (epoch nanos); 0 otherwise. */
    final long periodEndNanos;
    /** For windows: the window length; windows are aligned to the epoch, so they reset at multiples of it. */
    final long windowNanos;

    LimitSpec(String bucketKey, BucketConfiguration configuration, Duration idleTtl, long capacity, Unit unit,
              DenialReason reason, String description, long periodEndNanos, long windowNanos) {
        this.bucketKey = bucketKey;
        this.configuration = configuration;
        this.idleTtl = idleTtl;
        this.capacity = capacity;
        this.unit = unit;
        this.reason = reason;
        this.description = description;
        this.periodEndNanos = periodEndNanos;
        this.windowNanos = windowNanos;
    }

    /** Milliseconds until this window refills, from {@code nowNanos} (epoch nanos). */
    long millisUntilReset(long nowNanos) {
        return windowNanos == 0 ? 0 : (windowNanos - Math.floorMod(nowNanos, windowNanos)) / 1_000_000;
    }

    /**
     * A fixed-window limit: {@code limit} units per {@code window}, windows aligned to the epoch
     * (a {@code 1h} window resets on the hour, UTC), so every replica agrees on when a window ends
     * and the reset time is arithmetic rather than a question to the bucket.
     */
    static LimitSpec window(String bucketKey, long limit, Duration window, Unit unit, DenialReason reason,
                            String description) {
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(b -> b.capacity(limit).refillIntervallyAligned(limit, window, java.time.Instant.EPOCH))
                .build();
        // idle for three windows the bucket is full again, even after a request overdrew it
        return new LimitSpec(bucketKey, configuration, window.multipliedBy(3), limit, unit, reason, description, 0,
                window.toNanos());
    }

    /** A budget for one calendar period; the period is part of the key, so a new period starts full. */
    static LimitSpec budget(String bucketKey, long nanos, long periodEndNanos, long nowNanos, String description) {
        // never refills within its period: the next period is another bucket
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(b -> b.capacity(nanos).refillIntervally(nanos, Duration.ofDays(36_600)))
                .build();
        Duration ttl = Duration.ofNanos(Math.max(0, periodEndNanos - nowNanos)).plusHours(1);
        return new LimitSpec(bucketKey, configuration, ttl, nanos, Unit.NANOS_OF_MONEY, DenialReason.BUDGET_EXCEEDED,
                description, periodEndNanos, 0);
    }
}
