package dev.maas4j.store.k8s.internal;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.ChangeListener;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.StoreException;
import dev.maas4j.api.Subscription;
import dev.maas4j.store.k8s.Rejection;
import dev.maas4j.store.k8s.crd.GroupReference;
import dev.maas4j.store.k8s.crd.MaaSAuthPolicySpec;
import dev.maas4j.store.k8s.crd.MaaSSubscriptionSpec;
import dev.maas4j.store.k8s.crd.Subjects;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the three kinds with shared informers and keeps a {@link CatalogSnapshot} of what they
 * map to.
 *
 * <p>Informer events only mark the catalog dirty; one worker thread rebuilds the snapshot shortly
 * after (bursts, such as the initial list or a {@code kubectl apply -f dir/}, coalesce into one
 * rebuild), swaps it in, tells the listeners if the catalog changed, and writes statuses. A
 * rebuild re-maps only resources whose resourceVersion changed, so a resync costs a walk of the
 * informers' caches and no API call, except for re-reading the credentials Secrets models refer to
 * (the store does not watch Secrets, so that it needs only {@code get} on them: a rotated
 * credential is picked up at the next resync).
 *
 * <p>Thread-safe: readers take the volatile snapshot; everything else runs on the worker thread.
 */
public final class CatalogWatcher implements AutoCloseable {
    /** Index of subscriptions and policies by owner or subject group. */
    public static final String BY_GROUP = "group";
    /** Index of subscriptions and policies by owner or subject user. */
    public static final String BY_USER = "user";
    /** Index of subscriptions and policies by the {@code namespace/name} of the models they name. */
    public static final String BY_MODEL = "model";

    private static final Logger log = LoggerFactory.getLogger(CatalogWatcher.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final List<String> namespaces;
    private final ResourceMapper mapper;
    private final StatusWriter statusWriter;
    private final long debounceMillis;
    private final Map<ResourceKind, List<SharedIndexInformer<GenericKubernetesResource>>> informers =
            new EnumMap<>(ResourceKind.class);
    private final ScheduledExecutorService worker;
    private final AtomicBoolean rebuildScheduled = new AtomicBoolean();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    /** Models whose credentials must be read again (a resync passed); added by informer threads. */
    private final Set<String> reread = ConcurrentHashMap.newKeySet();
    private volatile CatalogSnapshot snapshot = CatalogSnapshot.EMPTY;
    /** Set once every informer has listed: before that a rebuild would publish a partial catalog. */
    private volatile boolean synced;
    private volatile boolean closed;

    // worker thread only
    private final Map<ResourceKind, Map<String, Judged>> judged = new EnumMap<>(ResourceKind.class);
    private final Map<String, String> loggedRejections = new HashMap<>();

    /** What a resource at one resourceVersion maps to; {@code retry} when it must be mapped again. */
    private record Judged(String resourceVersion, Outcome<?> outcome, boolean retry) {
    }

    /** A resource and its outcome in one rebuild. */
    private record Item(ResourceKind kind, GenericKubernetesResource resource, Outcome<?> outcome) {
        String key() {
            return CatalogSnapshot.key(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        }
    }

    /**
     * A watcher, not yet started.
     *
     * @param client         the client, owned by the caller
     * @param namespaces     the namespaces to watch; empty for all
     * @param resync         how often informers replay their caches; zero for never
     * @param mapper         validation and mapping
     * @param statusWriter   writes statuses, or {@code null} not to
     * @param debounce       how long a rebuild waits for more events
     */
    public CatalogWatcher(KubernetesClient client, List<String> namespaces, Duration resync, ResourceMapper mapper,
                          StatusWriter statusWriter, Duration debounce) {
        this.client = client;
        this.namespaces = List.copyOf(namespaces);
        this.mapper = mapper;
        this.statusWriter = statusWriter;
        this.debounceMillis = debounce.toMillis();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "maas4j-k8s-catalog");
            thread.setDaemon(true);
            return thread;
        });
        // close() waits for a running rebuild, not for delayed retries
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.worker = executor;
        for (ResourceKind kind : ResourceKind.values()) {
            judged.put(kind, new HashMap<>());
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
                    if (!closed) {
                        log.warn("{} informer: {}; retrying, the catalog keeps its last known state",
                                kind.kindName(), t.toString());
                    }
                    return !closed;
                });
                if (kind != ResourceKind.MODEL) {
                    informer.addIndexers(indexers(kind));
                }
                informer.addEventHandler(new Handler(kind));
            }
            informers.put(kind, List.copyOf(list));
        }
    }

    /**
     * Starts the informers and waits until each has listed its resources and the first snapshot is
     * built.
     *
     * @throws StoreException if that takes longer than {@code timeout}
     */
    public void start(Duration timeout) {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        informers.values().forEach(list -> list.forEach(i -> started.add(i.start().toCompletableFuture())));
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // events from here on schedule rebuilds; those before are covered by this first one
            synced = true;
            worker.submit(this::rebuild).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new StoreException("kubernetes", "the informers did not sync within " + timeout + " (are the "
                    + "MaaS CRDs installed, and may the service account list and watch them in " + describeNamespaces()
                    + "? see crds/ and rbac/ in maas-store-k8s)");
        } catch (ExecutionException e) {
            close();
            throw new StoreException("kubernetes", "the informers failed to start: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new StoreException("kubernetes", "interrupted while waiting for the informers");
        }
    }

    private String describeNamespaces() {
        return namespaces.isEmpty() ? "all namespaces" : "namespaces " + namespaces;
    }

    /** The current snapshot. */
    public CatalogSnapshot snapshot() {
        return snapshot;
    }

    /** Registers a listener told when the catalog changes. */
    public void addListener(ChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The keys ({@code namespace/name}) of the resources of {@code kind} that {@code index} files under {@code value}. */
    public Set<String> indexed(ResourceKind kind, String index, String value) {
        Set<String> keys = new HashSet<>();
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers.get(kind)) {
            for (GenericKubernetesResource r : informer.getIndexer().byIndex(index, value)) {
                keys.add(CatalogSnapshot.key(r.getMetadata().getNamespace(), r.getMetadata().getName()));
            }
        }
        return keys;
    }

    /** Stops the informers and waits (briefly) for a rebuild in progress, so none runs after this returns. */
    @Override
    public void close() {
        closed = true;
        informers.values().forEach(list -> list.forEach(SharedIndexInformer::stop));
        worker.shutdown();
        try {
            if (!worker.awaitTermination(2, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------ events

    private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
        private final ResourceKind kind;

        Handler(ResourceKind kind) {
            this.kind = kind;
        }

        @Override
        public void onAdd(GenericKubernetesResource obj) {
            requestRebuild();
        }

        @Override
        public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
            if (kind == ResourceKind.MODEL && Objects.equals(oldObj.getMetadata().getResourceVersion(),
                    newObj.getMetadata().getResourceVersion())) {
                // a resync: the only thing that may have changed is the Secret the model refers to
                reread.add(CatalogSnapshot.key(newObj.getMetadata().getNamespace(), newObj.getMetadata().getName()));
            }
            requestRebuild();
        }

        @Override
        public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
            requestRebuild();
        }
    }

    private void requestRebuild() {
        if (synced && !closed && rebuildScheduled.compareAndSet(false, true)) {
            try {
                worker.schedule(this::rebuild, debounceMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    // ----------------------------------------------------------------------------- rebuild

    private void rebuild() {
        // cleared first, so that an event arriving during this rebuild schedules the next one
        rebuildScheduled.set(false);
        if (closed) {
            return;
        }
        try {
            rebuildNow();
        } catch (RuntimeException e) {
            log.error("rebuilding the catalog failed, keeping the previous one; retrying in {}", RETRY, e);
            scheduleRetry();
        }
    }

    private void scheduleRetry() {
        if (!closed) {
            try {
                worker.schedule(this::requestRebuild, RETRY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void rebuildNow() {
        boolean retry = false;
        List<Item> all = new ArrayList<>();
        for (ResourceKind kind : ResourceKind.values()) {
            retry |= judge(kind, all);
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

        CatalogSnapshot next = CatalogSnapshot.of(models, subscriptions, policies, rejections);
        CatalogSnapshot previous = snapshot;
        snapshot = next;
        if (!next.sameCatalog(previous)) {
            log.debug("catalog changed: {} models, {} subscriptions, {} policies, {} rejected", models.size(),
                    subscriptions.size(), policies.size(), rejections.size());
            for (ChangeListener listener : listeners) {
                try {
                    listener.catalogChanged();
                } catch (RuntimeException e) {
                    log.warn("a catalog listener failed", e);
                }
            }
        }
        if (statusWriter != null && !closed) {
            // after the listeners: the engine's view matters more than the status a person reads
            for (Item item : resolved) {
                statusWriter.write(item.kind(), item.resource(), item.outcome());
            }
            statusWriter.retain(present);
        }
        if (retry) {
            scheduleRetry();
        }
    }

    /** Maps every resource of {@code kind} whose version changed; {@code true} if one must be retried. */
    private boolean judge(ResourceKind kind, List<Item> out) {
        Map<String, Judged> cache = judged.get(kind);
        Set<String> seen = new HashSet<>();
        boolean retry = false;
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers.get(kind)) {
            for (GenericKubernetesResource resource : informer.getStore().list()) {
                String key = CatalogSnapshot.key(resource.getMetadata().getNamespace(),
                        resource.getMetadata().getName());
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
                    now = new Judged(version, map(kind, resource), false);
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
        }
        cache.keySet().retainAll(seen);
        return retry;
    }

    private Outcome<?> map(ResourceKind kind, GenericKubernetesResource resource) throws ResourceMapper.Retry {
        return switch (kind) {
            case MODEL -> mapper.model(resource);
            case SUBSCRIPTION -> mapper.subscription(resource);
            case POLICY -> mapper.policy(resource);
        };
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
        Map<Item, Item> replaced = new java.util.IdentityHashMap<>();
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

    // ----------------------------------------------------------------------------- indexes

    private static Map<String, Function<GenericKubernetesResource, List<String>>> indexers(ResourceKind kind) {
        return Map.of(
                BY_GROUP, r -> subjectsOf(kind, r).map(s -> s.groups() == null ? List.<String>of()
                        : s.groups().stream().filter(Objects::nonNull).map(GroupReference::name)
                        .filter(Objects::nonNull).toList()).orElse(List.of()),
                BY_USER, r -> subjectsOf(kind, r).map(s -> s.users() == null ? List.<String>of()
                        : s.users().stream().filter(Objects::nonNull).toList()).orElse(List.of()),
                BY_MODEL, r -> modelsOf(kind, r));
    }

    private static java.util.Optional<Subjects> subjectsOf(ResourceKind kind, GenericKubernetesResource r) {
        try {
            if (kind == ResourceKind.SUBSCRIPTION) {
                MaaSSubscriptionSpec spec = SpecReader.read(r, "spec", MaaSSubscriptionSpec.class);
                return java.util.Optional.ofNullable(spec).map(MaaSSubscriptionSpec::owner);
            }
            MaaSAuthPolicySpec spec = SpecReader.read(r, "spec", MaaSAuthPolicySpec.class);
            return java.util.Optional.ofNullable(spec).map(MaaSAuthPolicySpec::subjects);
        } catch (SpecReader.Malformed e) {
            return java.util.Optional.empty();
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
