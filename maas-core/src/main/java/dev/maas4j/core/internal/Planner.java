package dev.maas4j.core.internal;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.Identity;

/**
 * Stages 2 to 4 as one cached decision: authorize ({@link Authorizer}), choose the subscription
 * ({@link SubscriptionChooser}), plan the limits ({@link LimitPlanner}). What they decide for a key,
 * a model, a namespace and a requested subscription is cached on the key's entry and reused while
 * it holds, so a request usually costs one map lookup here. Thread-safe.
 */
public final class Planner {
    private final Authorizer authorizer;
    private final SubscriptionChooser chooser;
    private final LimitPlanner limits;

    public Planner(Authorizer authorizer, SubscriptionChooser chooser, LimitPlanner limits) {
        this.authorizer = authorizer;
        this.chooser = chooser;
        this.limits = limits;
    }

    /** The plan for {@code request} by the key of {@code entry}, acting as {@code identity}. */
    public CachedPlan planFor(CatalogIndex index, KeyEntry entry, Identity identity, AdmissionRequest request,
                              long nowNanos) {
        String planKey = planKey(request);
        CachedPlan plan = entry.plan(planKey);
        if (plan == null || !plan.isCurrent(index.version(), identity, nowNanos)) {
            plan = decide(index, entry, identity, request);
            entry.putPlan(planKey, plan);
        }
        return plan;
    }

    private CachedPlan decide(CatalogIndex index, KeyEntry entry, Identity identity, AdmissionRequest request) {
        Decision<CatalogIndex.ModelEntry> authorized = authorizer.authorize(index, entry.key(), identity,
                request.model(), request.namespace());
        if (authorized instanceof Decision.Refused<CatalogIndex.ModelEntry> refused) {
            return new RefusedPlan(index.version(), identity, refused.denial());
        }
        CatalogIndex.ModelEntry model = ((Decision.Granted<CatalogIndex.ModelEntry>) authorized).value();
        Decision<CatalogIndex.Coverage> chosen = chooser.choose(model, entry.key(), identity,
                request.requestedSubscription());
        if (chosen instanceof Decision.Refused<CatalogIndex.Coverage> refused) {
            return new RefusedPlan(index.version(), identity, refused.denial());
        }
        CatalogIndex.Coverage coverage = ((Decision.Granted<CatalogIndex.Coverage>) chosen).value();
        return limits.plan(index.version(), entry.key(), identity, model.model(), coverage);
    }

    /** One cached plan per model, namespace and requested subscription (most requests name only a model). */
    private static String planKey(AdmissionRequest request) {
        if (request.requestedSubscription().isEmpty() && request.namespace().isEmpty()) {
            return request.model();
        }
        return request.model() + '\n' + request.namespace().orElse("") + '\n'
                + request.requestedSubscription().orElse("");
    }
}
