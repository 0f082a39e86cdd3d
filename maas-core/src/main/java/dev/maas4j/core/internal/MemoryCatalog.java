package dev.maas4j.core.internal;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.ChangeListener;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The catalog of {@link dev.maas4j.core.InMemoryStore}: models, subscriptions and policies by
 * name, listed by name.
 *
 * <p>Thread-safe: each kind is a concurrent map; listeners are told after the change is visible.
 */
public final class MemoryCatalog implements CatalogStore {
    private final ConcurrentMap<String, ModelRef> models = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AuthPolicy> policies = new ConcurrentHashMap<>();
    private final ChangeListeners listeners;

    /** @param listeners told {@code catalogChanged()} when an entry is put or one that existed is removed */
    public MemoryCatalog(ChangeListeners listeners) {
        this.listeners = Objects.requireNonNull(listeners, "listeners");
    }

    @Override
    public List<ModelRef> models() {
        return sortedByName(models, ModelRef::name);
    }

    @Override
    public List<Subscription> subscriptions() {
        return sortedByName(subscriptions, Subscription::name);
    }

    @Override
    public List<AuthPolicy> policies() {
        return sortedByName(policies, AuthPolicy::name);
    }

    @Override
    public Optional<ModelRef> findModel(String name) {
        return Optional.ofNullable(models.get(Objects.requireNonNull(name, "name")));
    }

    @Override
    public Optional<Subscription> findSubscription(String name) {
        return Optional.ofNullable(subscriptions.get(Objects.requireNonNull(name, "name")));
    }

    @Override
    public Optional<AuthPolicy> findPolicy(String name) {
        return Optional.ofNullable(policies.get(Objects.requireNonNull(name, "name")));
    }

    @Override
    public void putModel(ModelRef model) {
        models.put(Objects.requireNonNull(model, "model").name(), model);
        listeners.fire(ChangeListener::catalogChanged);
    }

    @Override
    public boolean removeModel(String name) {
        return removed(models.remove(Objects.requireNonNull(name, "name")) != null);
    }

    @Override
    public void putSubscription(Subscription subscription) {
        subscriptions.put(Objects.requireNonNull(subscription, "subscription").name(), subscription);
        listeners.fire(ChangeListener::catalogChanged);
    }

    @Override
    public boolean removeSubscription(String name) {
        return removed(subscriptions.remove(Objects.requireNonNull(name, "name")) != null);
    }

    @Override
    public void putPolicy(AuthPolicy policy) {
        policies.put(Objects.requireNonNull(policy, "policy").name(), policy);
        listeners.fire(ChangeListener::catalogChanged);
    }

    @Override
    public boolean removePolicy(String name) {
        return removed(policies.remove(Objects.requireNonNull(name, "name")) != null);
    }

    @Override
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    private boolean removed(boolean existed) {
        if (existed) {
            listeners.fire(ChangeListener::catalogChanged);
        }
        return existed;
    }

    private static <T> List<T> sortedByName(Map<String, T> byName, Function<T, String> name) {
        List<T> result = new ArrayList<>(byName.values());
        result.sort(Comparator.comparing(name));
        return Collections.unmodifiableList(result);
    }
}
