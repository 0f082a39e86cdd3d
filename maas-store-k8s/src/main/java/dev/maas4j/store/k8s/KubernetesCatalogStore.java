package dev.maas4j.store.k8s;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.ChangeListener;
import dev.maas4j.api.Identity;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import dev.maas4j.store.k8s.internal.CatalogSnapshot;
import dev.maas4j.store.k8s.internal.CatalogWatcher;
import dev.maas4j.store.k8s.internal.ResourceKind;
import dev.maas4j.store.k8s.internal.ResourceMapper;
import dev.maas4j.store.k8s.internal.SecretSource;
import dev.maas4j.store.k8s.internal.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only {@link CatalogStore} whose models, subscriptions and auth policies are Open Data Hub's
 * {@code MaaSModelRef}, {@code MaaSSubscription} and {@code MaaSAuthPolicy} custom resources
 * ({@code maas.opendatahub.io/v1alpha1}), read unchanged from the cluster.
 *
 * <pre>{@code
 * KubernetesClient client = new KubernetesClientBuilder().build();  // in-cluster service account or ~/.kube/config
 * try (KubernetesCatalogStore catalog = KubernetesCatalogStore.builder(client)
 *         .namespaces("llm", "models-as-a-service")   // where the MaaSModelRefs and the policies live
 *         .build();                                     // waits until the informers have synced
 *      MaasEngine engine = MaasEngine.builder()
 *         .catalogStore(catalog)                        // models, subscriptions, policies from Kubernetes
 *         .keyStore(jdbcStore).ledger(jdbcStore)        // API keys and usage in PostgreSQL
 *         .build()) {
 *     // a MaaSAuthPolicy deleted with kubectl stops granting access within a second
 * }
 * }</pre>
 *
 * <p><b>How it works.</b> Shared informers list and watch the three kinds in the given namespaces
 * (one informer per kind and namespace, or per kind cluster-wide) and replay their caches every
 * {@linkplain Builder#resyncPeriod resync period}; subscriptions and policies are indexed by group,
 * user and model. Every read is served from an immutable in-memory snapshot, rebuilt on a worker
 * thread shortly (tens of milliseconds) after a change; when the catalog changed, the registered
 * {@link ChangeListener}s are told {@link ChangeListener#catalogChanged()}, so the engine rebuilds
 * its index and drops its cached decisions: a removed policy or a lowered limit takes effect well
 * within a second.
 *
 * <p><b>Validation.</b> Each resource is validated as its CRD does (required fields, lengths, the
 * window pattern {@code ^[1-9]\d{0,3}(s|m|h)$}, the limit range 1 to 1,000,000,000, at least one
 * subject), plus the values maas4j must interpret ({@link MaasAnnotations}). An invalid resource is
 * skipped with one WARN log line naming the field, listed in {@link #rejections()}, and (with
 * {@linkplain Builder#statusWriteBack status write-back}) given a {@code Failed} status; the rest of
 * the catalog is unaffected. When the API server is unreachable the store keeps serving its last
 * known catalog and the informers retry.
 *
 * <p><b>Mapping.</b> Names are unique per kind in the engine but per namespace in Kubernetes: when
 * two watched namespaces hold a resource of the same kind and name, the older one is used and the
 * other is rejected ({@code DuplicateName}). See the module README for every field.
 *
 * <p>Thread-safe. Reads take no lock and do no I/O. The {@link KubernetesClient} belongs to the
 * caller: {@link #close()} stops the informers but does not close the client.
 */
public final class KubernetesCatalogStore implements CatalogStore, AutoCloseable {
    private final CatalogWatcher watcher;

    private KubernetesCatalogStore(CatalogWatcher watcher) {
        this.watcher = watcher;
    }

    /** A builder reading through {@code client}. */
    public static Builder builder(KubernetesClient client) {
        return new Builder(client);
    }

    /** Every accepted model, by name. */
    @Override
    public List<ModelRef> models() {
        return watcher.snapshot().models();
    }

    /** Every accepted subscription, by name. */
    @Override
    public List<Subscription> subscriptions() {
        return watcher.snapshot().subscriptions();
    }

    /** Every accepted auth policy, by name. */
    @Override
    public List<AuthPolicy> policies() {
        return watcher.snapshot().policies();
    }

    @Override
    public Optional<ModelRef> findModel(String name) {
        return Optional.ofNullable(watcher.snapshot().modelsByName().get(Objects.requireNonNull(name, "name")));
    }

    @Override
    public Optional<Subscription> findSubscription(String name) {
        return Optional.ofNullable(watcher.snapshot().subscriptionsByName().get(Objects.requireNonNull(name, "name")));
    }

    @Override
    public Optional<AuthPolicy> findPolicy(String name) {
        return Optional.ofNullable(watcher.snapshot().policiesByName().get(Objects.requireNonNull(name, "name")));
    }

    /**
     * The accepted subscriptions that name {@code identity}'s user or one of its groups as owner,
     * highest priority first (as Open Data Hub's {@code GET /v1/subscriptions} lists them). Served
     * from the informers' group and user indexes.
     */
    public List<Subscription> subscriptionsFor(Identity identity) {
        Objects.requireNonNull(identity, "identity");
        CatalogSnapshot s = watcher.snapshot();
        List<Subscription> result = resolve(keysFor(ResourceKind.SUBSCRIPTION, identity), s.subscriptionsByKey());
        result.sort(Comparator.comparingInt(Subscription::priority).reversed().thenComparing(Subscription::name));
        return List.copyOf(result);
    }

    /**
     * The accepted subscriptions that cover the model {@code namespace/name}, highest priority
     * first (Open Data Hub's {@code GET /v1/model/{model-id}/subscriptions}).
     */
    public List<Subscription> subscriptionsForModel(String namespace, String name) {
        CatalogSnapshot s = watcher.snapshot();
        List<Subscription> result = resolve(watcher.indexed(ResourceKind.SUBSCRIPTION, CatalogWatcher.BY_MODEL,
                CatalogSnapshot.key(Objects.requireNonNull(namespace, "namespace"), Objects.requireNonNull(name, "name"))),
                s.subscriptionsByKey());
        result.sort(Comparator.comparingInt(Subscription::priority).reversed().thenComparing(Subscription::name));
        return List.copyOf(result);
    }

    /** The accepted auth policies that name {@code identity}'s user or one of its groups, by name. */
    public List<AuthPolicy> policiesFor(Identity identity) {
        Objects.requireNonNull(identity, "identity");
        List<AuthPolicy> result = resolve(keysFor(ResourceKind.POLICY, identity), watcher.snapshot().policiesByKey());
        result.sort(Comparator.comparing(AuthPolicy::name));
        return List.copyOf(result);
    }

    /** The accepted auth policies that grant the model {@code namespace/name}, by name. */
    public List<AuthPolicy> policiesForModel(String namespace, String name) {
        List<AuthPolicy> result = resolve(watcher.indexed(ResourceKind.POLICY, CatalogWatcher.BY_MODEL,
                CatalogSnapshot.key(Objects.requireNonNull(namespace, "namespace"), Objects.requireNonNull(name, "name"))),
                watcher.snapshot().policiesByKey());
        result.sort(Comparator.comparing(AuthPolicy::name));
        return List.copyOf(result);
    }

    /** The resources skipped as invalid, with the reason, by kind, namespace and name. */
    public List<Rejection> rejections() {
        return watcher.snapshot().rejections();
    }

    /** {@code true}: change the custom resources instead ({@code kubectl apply}). */
    @Override
    public boolean readOnly() {
        return true;
    }

    @Override
    public void putModel(ModelRef model) {
        throw readOnlyError("MaaSModelRef");
    }

    @Override
    public boolean removeModel(String name) {
        throw readOnlyError("MaaSModelRef");
    }

    @Override
    public void putSubscription(Subscription subscription) {
        throw readOnlyError("MaaSSubscription");
    }

    @Override
    public boolean removeSubscription(String name) {
        throw readOnlyError("MaaSSubscription");
    }

    @Override
    public void putPolicy(AuthPolicy policy) {
        throw readOnlyError("MaaSAuthPolicy");
    }

    @Override
    public boolean removePolicy(String name) {
        throw readOnlyError("MaaSAuthPolicy");
    }

    /**
     * Registers a listener told {@link ChangeListener#catalogChanged()} (on the store's worker
     * thread) after each change of the catalog; never {@code keyChanged}.
     */
    @Override
    public void addListener(ChangeListener listener) {
        watcher.addListener(listener);
    }

    /** Stops the informers and the worker thread; the client stays open. */
    @Override
    public void close() {
        watcher.close();
    }

    private Set<String> keysFor(ResourceKind kind, Identity identity) {
        Set<String> keys = new LinkedHashSet<>(watcher.indexed(kind, CatalogWatcher.BY_USER, identity.user()));
        for (String group : identity.groups()) {
            keys.addAll(watcher.indexed(kind, CatalogWatcher.BY_GROUP, group));
        }
        return keys;
    }

    private static <T> List<T> resolve(Collection<String> keys, Map<String, T> byKey) {
        List<T> result = new ArrayList<>();
        for (String key : keys) {
            T value = byKey.get(key);
            if (value != null) {
                result.add(value);
            }
        }
        return result;
    }

    private static UnsupportedOperationException readOnlyError(String kind) {
        return new UnsupportedOperationException("the Kubernetes catalog is read-only: change the " + kind
                + " custom resources instead (kubectl apply)");
    }

    /**
     * Builds a {@link KubernetesCatalogStore}; validates each setting as it is given. Not
     * thread-safe.
     */
    public static final class Builder {
        private final KubernetesClient client;
        private List<String> namespaces;
        private boolean allNamespaces;
        private Duration resyncPeriod = Duration.ofMinutes(5);
        private Duration startTimeout = Duration.ofSeconds(30);
        private boolean statusWriteBack;
        private boolean requireReadyPhase;
        private Clock clock = Clock.systemUTC();

        private Builder(KubernetesClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /**
         * Watches these namespaces (all three kinds in each). Default: the client's namespace. With
         * Open Data Hub's layout that is the model namespaces (MaaSModelRefs) and
         * {@code models-as-a-service} (subscriptions and policies). Needs a Role in each (see
         * {@code rbac/}).
         */
        public Builder namespaces(String... namespaces) {
            return namespaces(List.of(namespaces));
        }

        /** Watches these namespaces; see {@link #namespaces(String...)}. */
        public Builder namespaces(Collection<String> namespaces) {
            if (allNamespaces) {
                throw new IllegalStateException("allNamespaces() was already set: give namespaces or all, not both");
            }
            Set<String> unique = new LinkedHashSet<>();
            for (String namespace : namespaces) {
                if (Objects.requireNonNull(namespace, "namespace").isBlank()) {
                    throw new IllegalArgumentException("namespaces must not be blank");
                }
                unique.add(namespace);
            }
            if (unique.isEmpty()) {
                throw new IllegalArgumentException("namespaces must not be empty: use allNamespaces() to watch all");
            }
            this.namespaces = List.copyOf(unique);
            return this;
        }

        /** Watches every namespace (needs a ClusterRole, see {@code rbac/}). */
        public Builder allNamespaces() {
            if (namespaces != null) {
                throw new IllegalStateException("namespaces were already set to " + namespaces
                        + ": give namespaces or all, not both");
            }
            allNamespaces = true;
            return this;
        }

        /**
         * How often the informers replay their caches, which re-reads the upstream credentials
         * Secrets (a rotated credential is picked up within this period). Default 5 minutes;
         * {@link Duration#ZERO} turns resync off. Changes to the custom resources themselves arrive
         * by watch, whatever this is.
         */
        public Builder resyncPeriod(Duration period) {
            Objects.requireNonNull(period, "resyncPeriod");
            if (period.isNegative() || (!period.isZero() && period.compareTo(Duration.ofSeconds(1)) < 0)) {
                throw new IllegalArgumentException("resyncPeriod must be zero (off) or at least 1s, was " + period);
            }
            resyncPeriod = period;
            return this;
        }

        /**
         * How long {@link #build()} waits for the informers' first list. Default 30 seconds.
         */
        public Builder startTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "startTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
            }
            startTimeout = timeout;
            return this;
        }

        /**
         * Whether to write what the store made of each resource back to its status (default off:
         * it needs {@code patch} on the {@code status} subresources). Subscriptions and auth
         * policies get {@code status.phase} {@code Active} or {@code Failed}; every kind gets a
         * condition of type {@code maas4j.dev/Accepted} with the reason and message. Leave it off
         * where Open Data Hub's controller manages the same resources: their phase is its to write.
         */
        public Builder statusWriteBack(boolean enabled) {
            statusWriteBack = enabled;
            return this;
        }

        /**
         * Whether a model needs {@code status.phase: Ready} to be enabled. Default {@code false}: a
         * model whose status has no phase (no Open Data Hub controller runs) is enabled, and any
         * phase other than {@code Ready} ({@code Pending}, {@code Unhealthy}, {@code Failed},
         * {@code Invalid}) disables it. Set it where the controller runs, so that a model is
         * served only once the controller has found it ready.
         */
        public Builder requireReadyPhase(boolean required) {
            requireReadyPhase = required;
            return this;
        }

        /** The clock for status conditions' transition times (tests). Default the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Starts the informers and waits until they have listed the resources once.
         *
         * @throws IllegalStateException        if no namespace is given and the client has none
         * @throws dev.maas4j.api.StoreException if the informers do not sync within the start timeout
         */
        public KubernetesCatalogStore build() {
            List<String> watched;
            if (allNamespaces) {
                watched = List.of();
            } else if (namespaces != null) {
                watched = namespaces;
            } else if (client.getNamespace() != null && !client.getNamespace().isBlank()) {
                watched = List.of(client.getNamespace());
            } else {
                throw new IllegalStateException("namespaces: none given and the client has no namespace; call "
                        + "namespaces(...) or allNamespaces()");
            }
            ResourceMapper mapper = new ResourceMapper(SecretSource.of(client), requireReadyPhase);
            StatusWriter writer = statusWriteBack ? new StatusWriter(client, clock) : null;
            CatalogWatcher watcher = new CatalogWatcher(client, watched, resyncPeriod, mapper, writer,
                    Duration.ofMillis(25));
            watcher.start(startTimeout);
            return new KubernetesCatalogStore(watcher);
        }
    }
}
