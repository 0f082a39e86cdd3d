package dev.maas4j.store.k8s.internal;

import dev.maas4j.store.k8s.crd.GroupReference;
import dev.maas4j.store.k8s.crd.MaaSAuthPolicySpec;
import dev.maas4j.store.k8s.crd.MaaSSubscriptionSpec;
import dev.maas4j.store.k8s.crd.Subjects;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared informers of the three kinds, one per watched namespace (or one across all of them),
 * with the indexes the store's lookups by owner, subject and model use
 * ({@link CatalogWatcher#BY_GROUP}, {@link CatalogWatcher#BY_USER}, {@link CatalogWatcher#BY_MODEL}).
 *
 * <p>Thread-safe: the informers are made in the constructor and only read afterwards; their caches
 * and indexes are fabric8's, which are thread-safe.
 */
final class CatalogInformers {
    // the watcher's logger: operators tune the catalog's logging by that one name
    private static final Logger log = LoggerFactory.getLogger(CatalogWatcher.class);

    private final List<String> namespaces;
    private final Map<ResourceKind, List<SharedIndexInformer<GenericKubernetesResource>>> informers =
            new EnumMap<>(ResourceKind.class);
    private volatile boolean stopped;

    /**
     * Informers, not yet started.
     *
     * @param namespaces the namespaces to watch; empty for all
     * @param resync     how often informers replay their caches; zero for never
     * @param handlers   the event handler of each kind's informers
     */
    CatalogInformers(KubernetesClient client, List<String> namespaces, Duration resync,
                     Function<ResourceKind, ResourceEventHandler<GenericKubernetesResource>> handlers) {
        this.namespaces = List.copyOf(namespaces);
        for (ResourceKind kind : ResourceKind.values()) {
            List<SharedIndexInformer<GenericKubernetesResource>> list = new ArrayList<>();
            if (this.namespaces.isEmpty()) {
                list.add(client.genericKubernetesResources(kind.context()).inAnyNamespace()
                        .runnableInformer(resync.toMillis()));
            } else {
                for (String namespace : this.namespaces) {
                    list.add(client.genericKubernetesResources(kind.context()).inNamespace(namespace)
                            .runnableInformer(resync.toMillis()));
                }
            }
            for (SharedIndexInformer<GenericKubernetesResource> informer : list) {
                informer.exceptionHandler((started, t) -> {
                    // keep the cache and retry (with the informer's back-off): a catalog that goes stale
                    // while the API server is away beats one that empties
                    if (!stopped) {
                        log.warn("{} informer: {}; retrying, the catalog keeps its last known state",
                                kind.kindName(), t.toString());
                    }
                    return !stopped;
                });
                if (kind != ResourceKind.MODEL) {
                    informer.addIndexers(indexers(kind));
                }
                informer.addEventHandler(handlers.apply(kind));
            }
            informers.put(kind, List.copyOf(list));
        }
    }

    /** Starts every informer; completes when each has listed its resources. */
    CompletableFuture<Void> start() {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        informers.values().forEach(list -> list.forEach(i -> started.add(i.start().toCompletableFuture())));
        return CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
    }

    /** Stops every informer; from now on their failures are not retried nor logged. */
    void stop() {
        stopped = true;
        informers.values().forEach(list -> list.forEach(SharedIndexInformer::stop));
    }

    /** The cached resources of {@code kind}, informer by informer (a resource may be in two). */
    List<GenericKubernetesResource> list(ResourceKind kind) {
        List<GenericKubernetesResource> all = new ArrayList<>();
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers.get(kind)) {
            all.addAll(informer.getStore().list());
        }
        return all;
    }

    /** The keys ({@code namespace/name}) of the resources of {@code kind} that {@code index} files under {@code value}. */
    Set<String> indexed(ResourceKind kind, String index, String value) {
        Set<String> keys = new HashSet<>();
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers.get(kind)) {
            for (GenericKubernetesResource r : informer.getIndexer().byIndex(index, value)) {
                keys.add(CatalogSnapshot.key(r.getMetadata().getNamespace(), r.getMetadata().getName()));
            }
        }
        return keys;
    }

    /** The watched namespaces, for a message. */
    String describeNamespaces() {
        return namespaces.isEmpty() ? "all namespaces" : "namespaces " + namespaces;
    }

    // ----------------------------------------------------------------------------- indexes

    private static Map<String, Function<GenericKubernetesResource, List<String>>> indexers(ResourceKind kind) {
        return Map.of(
                CatalogWatcher.BY_GROUP, r -> subjectsOf(kind, r).map(s -> s.groups() == null ? List.<String>of()
                        : s.groups().stream().filter(Objects::nonNull).map(GroupReference::name)
                        .filter(Objects::nonNull).toList()).orElse(List.of()),
                CatalogWatcher.BY_USER, r -> subjectsOf(kind, r).map(s -> s.users() == null ? List.<String>of()
                        : s.users().stream().filter(Objects::nonNull).toList()).orElse(List.of()),
                CatalogWatcher.BY_MODEL, r -> modelsOf(kind, r));
    }

    private static Optional<Subjects> subjectsOf(ResourceKind kind, GenericKubernetesResource r) {
        try {
            if (kind == ResourceKind.SUBSCRIPTION) {
                MaaSSubscriptionSpec spec = SpecReader.read(r, "spec", MaaSSubscriptionSpec.class);
                return Optional.ofNullable(spec).map(MaaSSubscriptionSpec::owner);
            }
            MaaSAuthPolicySpec spec = SpecReader.read(r, "spec", MaaSAuthPolicySpec.class);
            return Optional.ofNullable(spec).map(MaaSAuthPolicySpec::subjects);
        } catch (SpecReader.Malformed e) {
            return Optional.empty();
        }
    }

    private static List<String> modelsOf(ResourceKind kind, GenericKubernetesResource r) {
        try {
            List<String> keys = new ArrayList<>();
            if (kind == ResourceKind.SUBSCRIPTION) {
                MaaSSubscriptionSpec spec = SpecReader.read(r, "spec", MaaSSubscriptionSpec.class);
                if (spec != null && spec.modelRefs() != null) {
                    spec.modelRefs().stream().filter(Objects::nonNull)
                            .forEach(m -> keys.add(CatalogSnapshot.key(m.namespace(), m.name())));
                }
            } else {
                MaaSAuthPolicySpec spec = SpecReader.read(r, "spec", MaaSAuthPolicySpec.class);
                if (spec != null && spec.modelRefs() != null) {
                    spec.modelRefs().stream().filter(Objects::nonNull)
                            .forEach(m -> keys.add(CatalogSnapshot.key(m.namespace(), m.name())));
                }
            }
            return keys;
        } catch (SpecReader.Malformed e) {
            return List.of();
        }
    }
}
