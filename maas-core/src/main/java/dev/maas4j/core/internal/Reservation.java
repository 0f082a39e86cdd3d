package dev.maas4j.core.internal;

import dev.maas4j.api.RateLimitStatus;
import io.github.bucket4j.Bucket;

/**
 * What one admitted request took from which bucket, so that settling it can refund or charge the
 * difference to the real usage exactly once.
 */
public final class Reservation implements ReserveResult {
    final Plan plan;
    final Bucket[] buckets;
    final long[] amounts;
    final long reservedTokens;
    final RateLimitStatus status;

    Reservation(Plan plan, Bucket[] buckets, long[] amounts, long reservedTokens, RateLimitStatus status) {
        this.plan = plan;
        this.buckets = buckets;
        this.amounts = amounts;
        this.reservedTokens = reservedTokens;
        this.status = status;
    }

    /** The limits that applied, for the {@code x-ratelimit-*} headers. */
    public RateLimitStatus status() {
        return status;
    }

    /** The plan the request was admitted under. */
    public Plan plan() {
        return plan;
    }

    /** The tokens reserved. */
    public long reservedTokens() {
        return reservedTokens;
    }
}
