package dev.maas4j.core.internal;

import dev.maas4j.api.Denial;
import dev.maas4j.api.Identity;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;

/**
 * Everything decided about a key calling a model that does not change from one request to the
 * next: authorization, the subscription charged, the limits that apply, the pricing and the meters.
 * Cached per key and model; stale once the catalog changes, the owner's groups change, or a budget
 * period ends.
 */
public final class Plan {
    final long catalogVersion;
    final Identity identity;
    final long validUntilNanos;
    /** Set when every request under this plan is refused; the other fields are then unset. */
    final Denial denial;
    final ModelRef model;
    final Subscription subscription;
    final Pricing pricing;
    final LimitSpec[] limits;
    final EngineMeters.PlanMeters meters;
    /** Shared by every admission under this plan, so admitting allocates no grant. */
    final java.util.Optional<dev.maas4j.api.Grant> grant;

    private Plan(long catalogVersion, Identity identity, long validUntilNanos, Denial denial, ModelRef model,
                 Subscription subscription, Pricing pricing, LimitSpec[] limits, EngineMeters.PlanMeters meters) {
        this.catalogVersion = catalogVersion;
        this.identity = identity;
        this.validUntilNanos = validUntilNanos;
        this.denial = denial;
        this.model = model;
        this.subscription = subscription;
        this.pricing = pricing;
        this.limits = limits;
        this.meters = meters;
        this.grant = null;
    }

    private Plan(Plan plan, dev.maas4j.api.Grant grant) {
        this.catalogVersion = plan.catalogVersion;
        this.identity = plan.identity;
        this.validUntilNanos = plan.validUntilNanos;
        this.denial = plan.denial;
        this.model = plan.model;
        this.subscription = plan.subscription;
        this.pricing = plan.pricing;
        this.limits = plan.limits;
        this.meters = plan.meters;
        this.grant = java.util.Optional.of(grant);
    }

    /** This plan with the grant of {@code key}. */
    Plan withGrant(dev.maas4j.api.ApiKey key) {
        return new Plan(this, new dev.maas4j.api.Grant(key, identity, model, subscription));
    }

    /** The grant of every request admitted under this plan. */
    public java.util.Optional<dev.maas4j.api.Grant> grant() {
        return grant;
    }

    static Plan denied(long catalogVersion, Identity identity, Denial denial, ModelRef model) {
        return new Plan(catalogVersion, identity, Long.MAX_VALUE, denial, model, null, Pricing.FREE,
                new LimitSpec[0], null);
    }

    static Plan granted(long catalogVersion, Identity identity, long validUntilNanos, ModelRef model,
                        Subscription subscription, Pricing pricing, LimitSpec[] limits,
                        EngineMeters.PlanMeters meters) {
        return new Plan(catalogVersion, identity, validUntilNanos, null, model, subscription, pricing, limits, meters);
    }

    /** Whether this plan still holds for a request by {@code identity} at {@code nowNanos}. */
    public boolean isCurrent(long version, Identity currentIdentity, long nowNanos) {
        return catalogVersion == version && nowNanos < validUntilNanos
                && (identity == currentIdentity || identity.equals(currentIdentity));
    }

    /** The denial, or {@code null} when requests may be admitted. */
    public Denial denial() {
        return denial;
    }

    /** The identity the plan was decided for. */
    public Identity identity() {
        return identity;
    }

    /** The model, possibly {@code null} for an unknown model. */
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
