package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonFormat;
import dev.maas4j.client.internal.Values;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A key's own limits, on top of its subscription's:
 * {@code {"requestsPerMinute", "tokensPerMinute", "budget", "budgetPeriod"}}.
 *
 * <pre>{@code
 * KeyLimits limits = KeyLimits.builder().requestsPerMinute(60).tokensPerMinute(50_000)
 *         .budget(new BigDecimal("25.00"), BudgetPeriod.MONTH).build();
 * }</pre>
 *
 * @param requestsPerMinute requests admitted per minute
 * @param tokensPerMinute   tokens (prompt plus completion) per minute
 * @param budget            money that may be spent per {@code budgetPeriod}, a decimal string on the wire
 * @param budgetPeriod      the budget's period
 * @param extra             properties this version does not know
 */
public record KeyLimits(Optional<Long> requestsPerMinute, Optional<Long> tokensPerMinute,
                        @JsonFormat(shape = JsonFormat.Shape.STRING) Optional<BigDecimal> budget,
                        Optional<BudgetPeriod> budgetPeriod,
                        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public KeyLimits {
        requestsPerMinute = Values.opt(requestsPerMinute);
        tokensPerMinute = Values.opt(tokensPerMinute);
        budget = Values.opt(budget);
        budgetPeriod = Values.opt(budgetPeriod);
        extra = Values.extra(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link KeyLimits}; not thread-safe. */
    public static final class Builder {
        private Optional<Long> requestsPerMinute = Optional.empty();
        private Optional<Long> tokensPerMinute = Optional.empty();
        private Optional<BigDecimal> budget = Optional.empty();
        private Optional<BudgetPeriod> budgetPeriod = Optional.empty();

        private Builder() {
        }

        /** Requests per minute, positive. */
        public Builder requestsPerMinute(long value) {
            this.requestsPerMinute = Optional.of(Checks.positive(value, "requestsPerMinute"));
            return this;
        }

        /** Tokens per minute, positive. */
        public Builder tokensPerMinute(long value) {
            this.tokensPerMinute = Optional.of(Checks.positive(value, "tokensPerMinute"));
            return this;
        }

        /** A budget of {@code amount} (positive) per {@code period}. */
        public Builder budget(BigDecimal amount, BudgetPeriod period) {
            Objects.requireNonNull(amount, "budget");
            if (amount.signum() <= 0) {
                throw new IllegalArgumentException("budget must be positive, was " + amount);
            }
            this.budget = Optional.of(amount);
            this.budgetPeriod = Optional.of(Objects.requireNonNull(period, "budgetPeriod"));
            return this;
        }

        /** Builds the limits. */
        public KeyLimits build() {
            return new KeyLimits(requestsPerMinute, tokensPerMinute, budget, budgetPeriod, Map.of());
        }
    }
}
