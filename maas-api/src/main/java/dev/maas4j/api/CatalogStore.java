package dev.maas4j.api;

import java.util.List;
import java.util.Optional;

/**
 * Where models, subscriptions and auth policies are kept.
 *
 * <p>Implementations must be thread-safe. The engine reads the whole catalog into an in-memory
 * index and rebuilds it when a {@link ChangeListener} is told of a change, so reads need not be
 * fast. A read-only store (Kubernetes custom resources, a configuration file) answers
 * {@link #readOnly()} {@code true} and throws {@link UnsupportedOperationException} from the
 * mutators.
 */
public interface CatalogStore {

    /** Every model. */
    List<ModelRef> models();

    /** Every subscription. */
    List<Subscription> subscriptions();

    /** Every auth policy. */
    List<AuthPolicy> policies();

    /** The model with this name, if any. */
    default Optional<ModelRef> findModel(String name) {
        return models().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The subscription with this name, if any. */
    default Optional<Subscription> findSubscription(String name) {
        return subscriptions().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The auth policy with this name, if any. */
    default Optional<AuthPolicy> findPolicy(String name) {
        return policies().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Whether the mutators are unsupported. */
    default boolean readOnly() {
        return false;
    }

    /** Creates or replaces the model with the same name. */
    default void putModel(ModelRef model) {
        throw new UnsupportedOperationException("this catalog is read-only");
    }

    /** Removes a model; {@code true} if it existed. */
    default boolean removeModel(String name) {
        throw new UnsupportedOperationException("this catalog is read-only");
    }

    /** Creates or replaces the subscription with the same name. */
    default void putSubscription(Subscription subscription) {
        throw new UnsupportedOperationException("this catalog is read-only");
    }

    /** Removes a subscription; {@code true} if it existed. */
    default boolean removeSubscription(String name) {
        throw new UnsupportedOperationException("this catalog is read-only");
    }

    /** Creates or replaces the policy with the same name. */
    default void putPolicy(AuthPolicy policy) {
        throw new UnsupportedOperationException("this catalog is read-only");
    }

    /** Removes a policy; {@code true} if it existed. */
    default boolean removePolicy(String name) {
        throw new UnsupportedOperationException("this catalog is read-only");
    }

    /** Registers a listener told of changes. */
    default void addListener(ChangeListener listener) {
    }
}
