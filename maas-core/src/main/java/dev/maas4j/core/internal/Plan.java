package dev.maas4j.core.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Grant;
import dev.maas4j.api.Identity;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;

import java.util.Optional;

/**
 * Everything decided about a key calling a model that does not change from one request to the
 * next: the model, the subscription charged, the limits that apply, the pricing and the meters.
 * Cached per key and model; stale once the catalog changes, the owner's groups change, or a budget
 * period ends. Immutable.
 */
public final class Plan implements CachedPlan {
    final long catalogVersion;
    final Identity identity;
    final long validUntilNanos;
    final ModelRef model;
    final Subscription subscription;
    final Pricing pricing;
    final LimitSpec[] limits;
    final EngineMeters.PlanMeters meters;
    /** Shared by every admission under this plan, so admitting allocates no grant. */
    final Optional<Grant> grant;

    Plan(long catalogVersion, Identity identity, long validUntilNanos, ModelRef model, Subscription subscription,
         Pricing pricing, LimitSpec[] limits, EngineMeters.PlanMeters meters, ApiKey key) {
        this.catalogVersion = catalogVersion;
        this.identity = identity;
        this.validUntilNanos = validUntilNanos;
        this.model = model;
        this.subscription = subscription;
        this.pricing = pricing;
        this.limits = limits;
        this.meters = meters;
        this.grant = Optional.of(new Grant(key, identity, model, subscription));
    }

    @Override
    public boolean isCurrent(long version, Identity currentIdentity, long nowNanos) {
        return catalogVersion == version && nowNanos < validUntilNanos
                && (identity == currentIdentity || identity.equals(currentIdentity));
    }

    /** The grant of every request admitted under this plan. */
    public Optional<Grant> grant() {
        return grant;
    }

    /** The identity the plan was decided for. */
    public Identity identity() {
        return identity;
    }

    /** The model. */
    public ModelRef model() {
        return model;
    }

    /** The subscription charged. */
    public Subscription subscription() {
        return subscription;
    }

    /** The pricing. */
    public Pricing pricing() {
        return pricing;
    }

    /** The meters. */
    public EngineMeters.PlanMeters meters() {
        return meters;
    }
}
