package dev.maas4j.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One model in a {@link Subscription} with its quotas ({@code MaaSSubscription.spec.modelRefs[]}).
 *
 * @param name               the model's name
 * @param namespace          the model's namespace
 * @param tokenRateLimits    token quotas, counted per user per model within the subscription
 * @param requestRateLimits  request quotas, counted the same way
 * @param billingRatePerToken a chargeback rate per token ({@code billingRate.perToken}), if any
 */
public record SubscriptionModel(String name, String namespace, List<RateLimit> tokenRateLimits,
                                List<RateLimit> requestRateLimits, Optional<BigDecimal> billingRatePerToken) {

    /** Validates and copies the components. */
    public SubscriptionModel {
        name = Checks.notBlank(name, "name");
        namespace = Checks.notBlank(namespace, "namespace");
        tokenRateLimits = Checks.list(tokenRateLimits, "tokenRateLimits");
        requestRateLimits = Checks.list(requestRateLimits, "requestRateLimits");
        Objects.requireNonNull(billingRatePerToken, "billingRatePerToken");
    }

    /** A model in the default namespace with the given token limits. */
    public static SubscriptionModel of(String name, RateLimit... tokenRateLimits) {
        return new SubscriptionModel(name, ModelRef.DEFAULT_NAMESPACE, List.of(tokenRateLimits), List.of(),
                Optional.empty());
    }

    /** Whether this entry refers to {@code model}. */
    public boolean refersTo(ModelRef model) {
        return name.equals(model.name()) && namespace.equals(model.namespace());
    }

    /** The largest token limit of this entry, or {@link Long#MAX_VALUE} when it has none (unlimited). */
    public long largestTokenLimit() {
        if (tokenRateLimits.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long max = 0;
        for (RateLimit limit : tokenRateLimits) {
            max = Math.max(max, limit.limit());
        }
        return max;
    }
}
