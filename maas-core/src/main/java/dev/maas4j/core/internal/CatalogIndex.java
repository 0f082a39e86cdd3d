package dev.maas4j.core.internal;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Identity;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, pre-joined view of the catalog: for each model, the policies that grant it and
 * the subscriptions that cover it in the order they are chosen. Rebuilt whenever the catalog
 * changes, so the hot path only reads maps and arrays.
 */
public final class CatalogIndex {
    private final long version;
    private final Map<String, ModelEntry> byName;
    private final List<ModelRef> models;

    private CatalogIndex(long version, Map<String, ModelEntry> byName, List<ModelRef> models) {
        this.version = version;
        this.byName = byName;
        this.models = models;
    }

    /** An empty index. */
    public static CatalogIndex empty() {
        return new CatalogIndex(0, Map.of(), List.of());
    }

    /** Joins models, subscriptions and policies. */
    public static CatalogIndex build(long version, List<ModelRef> models, List<Subscription> subscriptions,
                                     List<AuthPolicy> policies) {
        Map<String, ModelEntry> byName = new HashMap<>();
        for (ModelRef model : models) {
            List<AuthPolicy> granting = new ArrayList<>();
            for (AuthPolicy policy : policies) {
                if (policy.modelRefs().stream().anyMatch(ref -> ref.refersTo(model))) {
                    granting.add(policy);
                }
            }
            List<Coverage> covering = new ArrayList<>();
            for (Subscription subscription : subscriptions) {
                subscription.entryFor(model).ifPresent(entry -> covering.add(new Coverage(subscription, entry)));
            }
            covering.sort(SubscriptionChooser.ORDER);
            byName.put(model.name(), new ModelEntry(model, granting.toArray(AuthPolicy[]::new),
                    covering.toArray(Coverage[]::new)));
        }
        return new CatalogIndex(version, Map.copyOf(byName), List.copyOf(models));
    }

    /** The version this index was built at; plans built on an older one are stale. */
    public long version() {
        return version;
    }

    /** The entry of the model named {@code name}, or {@code null}. */
    public ModelEntry model(String name) {
        return byName.get(name);
    }

    /** Every model. */
    public List<ModelRef> models() {
        return models;
    }

    /** A subscription and its entry for one model. */
    public record Coverage(Subscription subscription, SubscriptionModel entry) {
    }

    /** One model with the policies granting it and the subscriptions covering it. */
    public static final class ModelEntry {
        private final ModelRef model;
        private final AuthPolicy[] policies;
        private final Coverage[] coverages;

        ModelEntry(ModelRef model, AuthPolicy[] policies, Coverage[] coverages) {
            this.model = model;
            this.policies = policies;
            this.coverages = coverages;
        }

        /** The model. */
        public ModelRef model() {
            return model;
        }

        /** Whether a policy grants the model to {@code identity}. */
        public boolean authorizes(Identity identity) {
            for (AuthPolicy policy : policies) {
                if (policy.subjects().includes(identity)) {
                    return true;
                }
            }
            return false;
        }

        /** The policies granting the model to {@code identity}. */
        public List<AuthPolicy> policiesFor(Identity identity) {
            List<AuthPolicy> result = new ArrayList<>();
            for (AuthPolicy policy : policies) {
                if (policy.subjects().includes(identity)) {
                    result.add(policy);
                }
            }
            return result;
        }

        /** Every subscription covering the model, whoever it is for, best first. */
        public List<Subscription> covering() {
            List<Subscription> result = new ArrayList<>(coverages.length);
            for (Coverage coverage : coverages) {
                result.add(coverage.subscription());
            }
            return result;
        }

        /** The subscriptions covering the model for {@code identity}, best first. */
        public List<Coverage> eligible(Identity identity) {
            List<Coverage> result = new ArrayList<>();
            for (Coverage coverage : coverages) {
                if (coverage.subscription().owner().includes(identity)) {
                    result.add(coverage);
                }
            }
            return result;
        }

        /** The best subscription covering the model for {@code identity}. */
        public Optional<Coverage> choose(Identity identity) {
            for (Coverage coverage : coverages) {
                if (coverage.subscription().owner().includes(identity)) {
                    return Optional.of(coverage);
                }
            }
            return Optional.empty();
        }

        /** The named subscription, if it covers the model for {@code identity}. */
        public Optional<Coverage> eligible(Identity identity, String subscription) {
            for (Coverage coverage : coverages) {
                if (coverage.subscription().name().equals(subscription)
                        && coverage.subscription().owner().includes(identity)) {
                    return Optional.of(coverage);
                }
            }
            return Optional.empty();
        }
    }
}
