package dev.maas4j.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The limits set on one {@link ApiKey}, on top of its subscription's.
 *
 * @param requestsPerMinute   requests admitted per minute
 * @param tokensPerMinute     tokens (prompt plus completion) per minute
 * @param maxParallelRequests requests in flight at once
 * @param budget              money spent per calendar period
 */
public record KeyLimits(OptionalLong requestsPerMinute, OptionalLong tokensPerMinute,
                        OptionalInt maxParallelRequests, Optional<Budget> budget) {

    /** No limit at all. */
    public static final KeyLimits NONE = new KeyLimits(OptionalLong.empty(), OptionalLong.empty(),
            OptionalInt.empty(), Optional.empty());

    /** Validates the components. */
    public KeyLimits {
        Objects.requireNonNull(requestsPerMinute, "requestsPerMinute");
        Objects.requireNonNull(tokensPerMinute, "tokensPerMinute");
        Objects.requireNonNull(maxParallelRequests, "maxParallelRequests");
        Objects.requireNonNull(budget, "budget");
        requestsPerMinute.ifPresent(v -> Checks.positive(v, "requestsPerMinute"));
        tokensPerMinute.ifPresent(v -> Checks.positive(v, "tokensPerMinute"));
        maxParallelRequests.ifPresent(v -> Checks.positive(v, "maxParallelRequests"));
    }

    /** Whether no limit is set. */
    public boolean isEmpty() {
        return requestsPerMinute.isEmpty() && tokensPerMinute.isEmpty()
                && maxParallelRequests.isEmpty() && budget.isEmpty();
    }

    /** A builder starting from no limits. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link KeyLimits}; not thread-safe. */
    public static final class Builder {
        private OptionalLong requestsPerMinute = OptionalLong.empty();
        private OptionalLong tokensPerMinute = OptionalLong.empty();
        private OptionalInt maxParallelRequests = OptionalInt.empty();
        private Optional<Budget> budget = Optional.empty();

        private Builder() {
        }

        /** Sets the requests admitted per minute. */
        public Builder requestsPerMinute(long value) {
            this.requestsPerMinute = OptionalLong.of(Checks.positive(value, "requestsPerMinute"));
            return this;
        }

        /** Sets the tokens per minute. */
        public Builder tokensPerMinute(long value) {
            this.tokensPerMinute = OptionalLong.of(Checks.positive(value, "tokensPerMinute"));
            return this;
        }

        /** Sets the requests in flight at once. */
        public Builder maxParallelRequests(int value) {
            this.maxParallelRequests = OptionalInt.of((int) Checks.positive(value, "maxParallelRequests"));
            return this;
        }

        /** Sets the budget. */
        public Builder budget(Budget value) {
            this.budget = Optional.of(Objects.requireNonNull(value, "budget"));
            return this;
        }

        /** Builds the limits. */
        public KeyLimits build() {
            return new KeyLimits(requestsPerMinute, tokensPerMinute, maxParallelRequests, budget);
        }
    }
}
