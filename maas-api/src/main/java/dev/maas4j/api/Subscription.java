package dev.maas4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A plan that grants groups or users quota on models (Open Data Hub's {@code MaaSSubscription}).
 *
 * <p>A subscription alone does not authorize anything: an {@link AuthPolicy} must also grant the
 * model. When several subscriptions cover a request, the highest {@link #priority()} wins.
 *
 * @param name          the subscription's name, unique in the catalog
 * @param namespace     the namespace it lives in
 * @param priority      higher wins
 * @param owner         the groups and users it covers
 * @param modelRefs     the models it covers, each with its quotas
 * @param budget        money that the subscription's users may spend together, if limited
 * @param tokenMetadata chargeback metadata copied to usage events
 */
public record Subscription(String name, String namespace, int priority, SubjectSet owner,
                           List<SubscriptionModel> modelRefs, Optional<Budget> budget, TokenMetadata tokenMetadata) {

    /** Validates and copies the components. */
    public Subscription {
        name = Checks.notBlank(name, "name");
        namespace = Checks.notBlank(namespace, "namespace");
        Objects.requireNonNull(owner, "owner");
        modelRefs = Checks.list(modelRefs, "modelRefs");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(tokenMetadata, "tokenMetadata");
    }

    /** The entry for {@code model}, if the subscription covers it. */
    public Optional<SubscriptionModel> entryFor(ModelRef model) {
        for (SubscriptionModel entry : modelRefs) {
            if (entry.refersTo(model)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** A builder for a subscription named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds {@link Subscription} values; not thread-safe. */
    public static final class Builder {
        private final String name;
        private String namespace = ModelRef.DEFAULT_NAMESPACE;
        private int priority;
        private SubjectSet owner = SubjectSet.NONE;
        private final List<SubscriptionModel> modelRefs = new ArrayList<>();
        private Optional<Budget> budget = Optional.empty();
        private TokenMetadata tokenMetadata = TokenMetadata.NONE;

        private Builder(String name) {
            this.name = name;
        }

        /** Sets the namespace. */
        public Builder namespace(String value) {
            namespace = value;
            return this;
        }

        /** Sets the priority (default 0). */
        public Builder priority(int value) {
            priority = value;
            return this;
        }

        /** Sets the owners. */
        public Builder owner(SubjectSet value) {
            owner = value;
            return this;
        }

        /** Adds a model entry. */
        public Builder model(SubscriptionModel value) {
            modelRefs.add(Objects.requireNonNull(value, "model"));
            return this;
        }

        /** Adds a model in the default namespace with token limits. */
        public Builder model(String model, RateLimit... tokenRateLimits) {
            return model(SubscriptionModel.of(model, tokenRateLimits));
        }

        /** Sets the shared budget. */
        public Builder budget(Budget value) {
            budget = Optional.of(value);
            return this;
        }

        /** Sets the chargeback metadata. */
        public Builder tokenMetadata(TokenMetadata value) {
            tokenMetadata = value;
            return this;
        }

        /** Builds the subscription. */
        public Subscription build() {
            return new Subscription(name, namespace, priority, owner, modelRefs, budget, tokenMetadata);
        }
    }
}
