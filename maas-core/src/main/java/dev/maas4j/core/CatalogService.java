package dev.maas4j.core;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.Identity;
import dev.maas4j.api.KeyScope;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import dev.maas4j.core.internal.CatalogView;
import dev.maas4j.core.internal.SubscriptionChooser;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The catalog as the engine governs by it: models, subscriptions and auth policies as stored, the
 * questions admission answers from them (which models an identity or a key may use, which
 * subscriptions cover a model or include an identity, best first in the one subscription order),
 * and writes that the engine's own view follows at once. Obtained from {@link MaasEngine#catalog()}.
 *
 * <pre>{@code
 * CatalogService catalog = engine.catalog();
 * for (ModelAccess access : catalog.accessibleModels(engine.identityOf(Subject.user("alice")))) {
 *     System.out.println(access.model().name() + " charged to " + access.subscriptions().get(0));
 * }
 * }</pre>
 *
 * <p>Reads of entries ({@link #models()}, {@link #findModel}, ...) go to the store, so that they
 * see what was written; the access questions are answered from the engine's index of the catalog,
 * as admission is. Thread-safe.
 */
public final class CatalogService {
    private final CatalogStore store;
    private final CatalogView view;

    CatalogService(CatalogStore store, CatalogView view) {
        this.store = store;
        this.view = view;
    }

    // ------------------------------------------------------------------ the entries

    /** Every model, enabled or not. */
    public List<ModelRef> models() {
        return store.models();
    }

    /** Every subscription, best first ({@link SubscriptionOrder#BEST_FIRST}). */
    public List<Subscription> subscriptions() {
        return store.subscriptions().stream().sorted(SubscriptionOrder.BEST_FIRST).toList();
    }

    /** Every auth policy. */
    public List<AuthPolicy> policies() {
        return store.policies();
    }

    /** The model with this name. */
    public Optional<ModelRef> findModel(String name) {
        return store.findModel(Objects.requireNonNull(name, "name"));
    }

    /** The subscription with this name. */
    public Optional<Subscription> findSubscription(String name) {
        return store.findSubscription(Objects.requireNonNull(name, "name"));
    }

    /** The auth policy with this name. */
    public Optional<AuthPolicy> findPolicy(String name) {
        return store.findPolicy(Objects.requireNonNull(name, "name"));
    }

    // ------------------------------------------------------------------ what admission decides by

    /**
     * The models {@code identity} may use, each with the subscriptions it could be charged to,
     * best first: what a key of theirs with no scope and no bound subscription could call.
     */
    public List<ModelAccess> accessibleModels(Identity identity) {
        return view.accessibleModels(KeyScope.UNRESTRICTED, Optional.empty(), Objects.requireNonNull(identity));
    }

    /**
     * The models {@code key} may call acting as {@code identity}, each with the subscriptions it
     * could be charged to, best first (for {@code GET /v1/models}): the same rules as admission.
     */
    public List<ModelAccess> accessibleModels(ApiKey key, Identity identity) {
        return view.accessibleModels(key.scope(), key.subscription(), Objects.requireNonNull(identity));
    }

    /** The subscriptions that include {@code identity}, best first in the one subscription order. */
    public List<Subscription> subscriptionsOf(Identity identity) {
        return SubscriptionChooser.best(store.subscriptions(), Objects.requireNonNull(identity, "identity"));
    }

    /**
     * The subscriptions {@code key} may be charged to acting as {@code identity}: its bound one
     * if it is bound, else those that include the identity, best first.
     */
    public List<Subscription> subscriptionsOf(ApiKey key, Identity identity) {
        if (key.subscription().isPresent()) {
            return findSubscription(key.subscription().get()).stream().toList();
        }
        return subscriptionsOf(identity);
    }

    /** Every subscription that covers the model named {@code model}, whoever it is for, best first for it. */
    public List<Subscription> subscriptionsCovering(String model) {
        return view.covering(Objects.requireNonNull(model, "model"));
    }

    /** The model with this name in the engine's index (what requests are admitted against now). */
    public Optional<ModelRef> model(String name) {
        return view.model(Objects.requireNonNull(name, "name"));
    }

    // ------------------------------------------------------------------ writes

    /** Whether the store refuses writes (the catalog is managed elsewhere: Kubernetes, a file). */
    public boolean readOnly() {
        return store.readOnly();
    }

    /**
     * Adds or replaces a model; the next request sees it.
     *
     * @throws UnsupportedOperationException if the catalog is {@linkplain #readOnly() read-only}
     */
    public void putModel(ModelRef model) {
        store.putModel(Objects.requireNonNull(model, "model"));
        refresh();
    }

    /**
     * Removes a model; the next request no longer finds it.
     *
     * @return whether there was one
     * @throws UnsupportedOperationException if the catalog is {@linkplain #readOnly() read-only}
     */
    public boolean removeModel(String name) {
        return refreshed(store.removeModel(Objects.requireNonNull(name, "name")));
    }

    /**
     * Adds or replaces a subscription; the next request is admitted by it.
     *
     * @throws UnsupportedOperationException if the catalog is {@linkplain #readOnly() read-only}
     */
    public void putSubscription(Subscription subscription) {
        store.putSubscription(Objects.requireNonNull(subscription, "subscription"));
        refresh();
    }

    /**
     * Removes a subscription.
     *
     * @return whether there was one
     * @throws UnsupportedOperationException if the catalog is {@linkplain #readOnly() read-only}
     */
    public boolean removeSubscription(String name) {
        return refreshed(store.removeSubscription(Objects.requireNonNull(name, "name")));
    }

    /**
     * Adds or replaces an auth policy; the next request is authorized by it.
     *
     * @throws UnsupportedOperationException if the catalog is {@linkplain #readOnly() read-only}
     */
    public void putPolicy(AuthPolicy policy) {
        store.putPolicy(Objects.requireNonNull(policy, "policy"));
        refresh();
    }

    /**
     * Removes an auth policy.
     *
     * @return whether there was one
     * @throws UnsupportedOperationException if the catalog is {@linkplain #readOnly() read-only}
     */
    public boolean removePolicy(String name) {
        return refreshed(store.removePolicy(Objects.requireNonNull(name, "name")));
    }

    /**
     * Re-reads models, subscriptions and policies from the store. Writes through this service do
     * it themselves; call it after changing the store directly, if the store does not notify.
     */
    public void refresh() {
        view.refresh();
    }

    /** Refreshes after a removal, since a store need not notify its listeners. */
    private boolean refreshed(boolean removed) {
        if (removed) {
            refresh();
        }
        return removed;
    }
}
