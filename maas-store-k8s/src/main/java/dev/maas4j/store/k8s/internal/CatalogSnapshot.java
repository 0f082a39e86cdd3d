package dev.maas4j.store.k8s.internal;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import dev.maas4j.store.k8s.Rejection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One immutable view of the accepted resources, swapped in whole so that readers never see half a
 * change: the lists by name, lookups by name and by {@code namespace/name}, and the rejections.
 *
 * @param models        accepted models, by name
 * @param subscriptions accepted subscriptions, by name
 * @param policies      accepted policies, by name
 * @param rejections    skipped resources, by kind, namespace and name
 */
public record CatalogSnapshot(List<ModelRef> models, List<Subscription> subscriptions, List<AuthPolicy> policies,
                              List<Rejection> rejections, Map<String, ModelRef> modelsByName,
                              Map<String, Subscription> subscriptionsByName, Map<String, AuthPolicy> policiesByName,
                              Map<String, Subscription> subscriptionsByKey, Map<String, AuthPolicy> policiesByKey) {

    /** Nothing yet. */
    public static final CatalogSnapshot EMPTY = of(List.of(), List.of(), List.of(), List.of());

    /** A snapshot of these values, which must have unique names per kind. */
    public static CatalogSnapshot of(List<ModelRef> models, List<Subscription> subscriptions,
                                     List<AuthPolicy> policies, List<Rejection> rejections) {
        return new CatalogSnapshot(List.copyOf(models), List.copyOf(subscriptions), List.copyOf(policies),
                List.copyOf(rejections), index(models, ModelRef::name), index(subscriptions, Subscription::name),
                index(policies, AuthPolicy::name),
                index(subscriptions, s -> key(s.namespace(), s.name())),
                index(policies, p -> key(p.namespace(), p.name())));
    }

    /** Whether the catalog (not the rejections) is the same as in {@code other}. */
    public boolean sameCatalog(CatalogSnapshot other) {
        return models.equals(other.models) && subscriptions.equals(other.subscriptions)
                && policies.equals(other.policies);
    }

    /** The key of a namespaced resource. */
    public static String key(String namespace, String name) {
        return namespace + '/' + name;
    }

    private static <T> Map<String, T> index(List<T> values, Function<T, String> key) {
        Map<String, T> map = new HashMap<>();
        for (T value : values) {
            map.put(key.apply(value), value);
        }
        return Map.copyOf(map);
    }
}
