package dev.maas4j.store.k8s.internal;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import dev.maas4j.store.k8s.Rejection;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the informers' caches into a {@link CatalogSnapshot}: maps each resource (again only if its
 * resourceVersion changed, or a model's credentials must be read again), keeps what a resource
 * last mapped to while a Secret cannot be read, rejects all but one of the resources of a kind that
 * share a name, and logs each rejection once, not at every rebuild.
 *
 * <p>Not thread-safe: {@link #build} runs on the watcher's worker thread only;
 * {@link #rereadCredentials} may be called from any thread.
 */
final class SnapshotBuilder {
    // the watcher's logger: operators tune the catalog's logging by that one name
    private static final Logger log = LoggerFactory.getLogger(CatalogWatcher.class);

    private final ResourceMapper mapper;
    /** Models whose credentials must be read again (a resync passed); added by informer threads. */
    private final Set<String> reread = ConcurrentHashMap.newKeySet();
    private final Map<ResourceKind, Map<String, Judged>> judged = new EnumMap<>(ResourceKind.class);
    private final Map<String, String> loggedRejections = new HashMap<>();

    /** What a resource at one resourceVersion maps to; {@code retry} when it must be mapped again. */
    private record Judged(String resourceVersion, Outcome<?> outcome, boolean retry) {
    }

    /** A resource and its outcome in one rebuild. */
    record Item(ResourceKind kind, GenericKubernetesResource resource, Outcome<?> outcome) {
        String key() {
            return CatalogSnapshot.key(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        }
    }

    /**
     * One rebuild's result.
     *
     * @param snapshot the new catalog
     * @param items    every resource with its outcome, for the statuses
     * @param present  the {@code Kind namespace/name} of every resource, to forget the others by
     * @param retry    whether a resource could not be judged and a rebuild must follow
     */
    record Rebuilt(CatalogSnapshot snapshot, List<Item> items, Set<String> present, boolean retry) {
    }

    SnapshotBuilder(ResourceMapper mapper) {
        this.mapper = mapper;
        for (ResourceKind kind : ResourceKind.values()) {
            judged.put(kind, new HashMap<>());
        }
    }

    /** Has the next rebuild read the credentials of model {@code key} again though its version is the same. */
    void rereadCredentials(String key) {
        reread.add(key);
    }

    /** The snapshot of what {@code informers} hold now. */
    Rebuilt build(CatalogInformers informers) {
        boolean retry = false;
        List<Item> all = new ArrayList<>();
        for (ResourceKind kind : ResourceKind.values()) {
            retry |= judge(kind, informers.list(kind), all);
        }
        List<Item> resolved = resolveDuplicates(all);
        List<ModelRef> models = new ArrayList<>();
        List<Subscription> subscriptions = new ArrayList<>();
        List<AuthPolicy> policies = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (Item item : resolved) {
            String logKey = item.kind().kindName() + " " + item.key();
            present.add(logKey);
            if (item.outcome() instanceof Outcome.Accepted<?> accepted) {
                switch (item.kind()) {
                    case MODEL -> models.add((ModelRef) accepted.value());
                    case SUBSCRIPTION -> subscriptions.add((Subscription) accepted.value());
                    case POLICY -> policies.add((AuthPolicy) accepted.value());
                }
                if (loggedRejections.remove(logKey) != null) {
                    log.info("{} is valid again and back in the catalog", logKey);
                }
            } else {
                Outcome.Rejected<?> rejected = (Outcome.Rejected<?>) item.outcome();
                rejections.add(new Rejection(item.kind().kindName(), item.resource().getMetadata().getNamespace(),
                        item.resource().getMetadata().getName(), rejected.reason(), rejected.message()));
                String line = rejected.reason() + ": " + rejected.message();
                if (!line.equals(loggedRejections.put(logKey, line))) {
                    log.warn("{} skipped ({}): {}; the rest of the catalog is unaffected", logKey, rejected.reason(),
                            rejected.message());
                }
            }
        }
        loggedRejections.keySet().retainAll(present);
        models.sort(Comparator.comparing(ModelRef::name));
        subscriptions.sort(Comparator.comparing(Subscription::name));
        policies.sort(Comparator.comparing(AuthPolicy::name));
        rejections.sort(Comparator.comparing(Rejection::kind).thenComparing(Rejection::namespace)
                .thenComparing(Rejection::name));
        return new Rebuilt(CatalogSnapshot.of(models, subscriptions, policies, rejections), resolved, present, retry);
    }

    /** Maps every resource of {@code kind} whose version changed; {@code true} if one must be retried. */
    private boolean judge(ResourceKind kind, List<GenericKubernetesResource> resources, List<Item> out) {
        Map<String, Judged> cache = judged.get(kind);
        Set<String> seen = new HashSet<>();
        boolean retry = false;
        for (GenericKubernetesResource resource : resources) {
            String key = CatalogSnapshot.key(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
            if (!seen.add(key)) {
                continue;
            }
            String version = resource.getMetadata().getResourceVersion();
            Judged previous = cache.get(key);
            boolean forced = kind == ResourceKind.MODEL && reread.remove(key);
            if (previous != null && !previous.retry() && !forced
                    && Objects.equals(previous.resourceVersion(), version)) {
                out.add(new Item(kind, resource, previous.outcome()));
                continue;
            }
            Judged now;
            try {
                now = new Judged(version, mapper.map(kind, resource), false);
            } catch (ResourceMapper.Retry e) {
                retry = true;
                // keep what the resource last mapped to rather than dropping a model for a network blip
                Outcome<?> kept = previous != null && previous.outcome() instanceof Outcome.Accepted<?>
                        ? previous.outcome() : Outcome.rejected(e.reason(), e.getMessage());
                now = new Judged(version, kept, true);
            } catch (RuntimeException e) {
                // a value the API model refuses (a mapping gap): skip this resource, not the catalog
                now = new Judged(version, Outcome.rejected(Reasons.INVALID_SPEC, String.valueOf(e.getMessage())),
                        false);
            }
            cache.put(key, now);
            out.add(new Item(kind, resource, now.outcome()));
        }
        cache.keySet().retainAll(seen);
        return retry;
    }

    /**
     * The engine names models, subscriptions and policies by name alone, while Kubernetes names them
     * by namespace and name: of several accepted resources of one kind with the same name, the
     * oldest wins (then the first namespace in alphabetical order), so the choice is stable across
     * restarts and replicas, and the others are rejected.
     */
    private static List<Item> resolveDuplicates(List<Item> items) {
        Map<String, List<Item>> byName = new HashMap<>();
        for (Item item : items) {
            if (item.outcome() instanceof Outcome.Accepted) {
                byName.computeIfAbsent(item.kind().name() + "/" + item.resource().getMetadata().getName(),
                        k -> new ArrayList<>()).add(item);
            }
        }
        // by identity: two items are the same only if they are the same object
        Map<Item, Item> replaced = new IdentityHashMap<>();
        for (List<Item> same : byName.values()) {
            if (same.size() < 2) {
                continue;
            }
            same.sort(Comparator.comparing((Item i) -> created(i.resource()))
                    .thenComparing(i -> i.resource().getMetadata().getNamespace()));
            Item winner = same.get(0);
            for (Item loser : same.subList(1, same.size())) {
                replaced.put(loser, new Item(loser.kind(), loser.resource(), Outcome.rejected(Reasons.DUPLICATE_NAME,
                        "another " + loser.kind().kindName() + " named '" + winner.resource().getMetadata().getName()
                                + "', in namespace '" + winner.resource().getMetadata().getNamespace()
                                + "', takes precedence (created earlier): names must be unique across the watched "
                                + "namespaces")));
            }
        }
        if (replaced.isEmpty()) {
            return items;
        }
        List<Item> result = new ArrayList<>(items.size());
        for (Item item : items) {
            result.add(replaced.getOrDefault(item, item));
        }
        return result;
    }

    private static Instant created(GenericKubernetesResource resource) {
        String text = resource.getMetadata().getCreationTimestamp();
        if (text == null) {
            return Instant.MAX;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.MAX;
        }
    }
}
