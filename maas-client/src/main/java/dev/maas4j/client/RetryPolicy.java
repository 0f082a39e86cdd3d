package dev.maas4j.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long the client retries a failed call. Immutable and thread-safe.
 *
 * <p>What is retried never depends on the policy, only how often and how long:
 * <ul>
 *   <li>a {@code GET}, {@code PUT} or {@code DELETE} (idempotent) after a connection failure
 *       and after {@code 429}, {@code 502}, {@code 503} or {@code 504};</li>
 *   <li>a {@code POST} (a model call, a key creation) only after {@code 429} or {@code 503},
 *       which the gateway answers before doing anything, and after a failure to connect
 *       (the request was never sent). A {@code POST} is never retried after a timeout waiting
 *       for the response or a connection lost mid-way: the server may have processed and
 *       billed it.</li>
 * </ul>
 * The delay before attempt <i>n + 1</i> is the server's {@code Retry-After} (or
 * {@code retry-after-ms}) when given, else {@code initialBackoff * 2^(n-1)} less up to 25%
 * jitter; either way at most {@link #maxBackoff()}.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).maxBackoff(Duration.ofSeconds(30)).build();
 * }</pre>
 *
 * @param maxAttempts    attempts in all, at least 1 (1 means no retry)
 * @param initialBackoff delay before the first retry when the server gives none
 * @param maxBackoff     the longest delay, also the cap on {@code Retry-After}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    private static final RetryPolicy DEFAULTS = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8));
    private static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    /** Validates the components. */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff durations must not be negative");
        }
        if (initialBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("initialBackoff (" + initialBackoff
                    + ") must not exceed maxBackoff (" + maxBackoff + ")");
        }
    }

    /** Three attempts, backoff from 500 ms up to 8 s. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** One attempt, no retry. */
    public static RetryPolicy none() {
        return NONE;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The delay before the attempt that follows attempt {@code attempt} (1-based) when the server
     * gave no {@code Retry-After}: exponential, capped, with up to 25% jitter so that clients
     * rejected together do not come back together.
     */
    public Duration backoff(int attempt) {
        long base = initialBackoff.toNanos();
        long capped = maxBackoff.toNanos();
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long exp = base > (capped >> shift) ? capped : Math.min(base << shift, capped);
        double jitter = 1.0 - 0.25 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofNanos((long) (exp * jitter));
    }

    /** Builds a {@link RetryPolicy}; not thread-safe. */
    public static final class Builder {
        private int maxAttempts = DEFAULTS.maxAttempts;
        private Duration initialBackoff = DEFAULTS.initialBackoff;
        private Duration maxBackoff = DEFAULTS.maxBackoff;

        private Builder() {
        }

        /** Attempts in all, at least 1. */
        public Builder maxAttempts(int value) {
            this.maxAttempts = value;
            return this;
        }

        /** Delay before the first retry when the server gives none. */
        public Builder initialBackoff(Duration value) {
            this.initialBackoff = Objects.requireNonNull(value, "initialBackoff");
            return this;
        }

        /** The longest delay, also the cap on {@code Retry-After}. */
        public Builder maxBackoff(Duration value) {
            this.maxBackoff = Objects.requireNonNull(value, "maxBackoff");
            return this;
        }

        /** Builds the policy; fails if the settings are inconsistent. */
        public RetryPolicy build() {
            return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff);
        }
    }
}
