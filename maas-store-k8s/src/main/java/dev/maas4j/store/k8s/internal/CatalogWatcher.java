package dev.maas4j.store.k8s.internal;

import dev.maas4j.api.ChangeListener;
import dev.maas4j.api.StoreException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>This class holds the events, the worker and the publishing of a snapshot;
 * {@link CatalogInformers} the informers and their indexes, {@link SnapshotBuilder} what a rebuild
 * makes of their caches.
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

    private final CatalogInformers informers;
    private final SnapshotBuilder builder;
    private final StatusWriter statusWriter;
    private final long debounceMillis;
    private final ScheduledExecutorService worker;
    private final AtomicBoolean rebuildScheduled = new AtomicBoolean();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private volatile CatalogSnapshot snapshot = CatalogSnapshot.EMPTY;
    /** Set once every informer has listed: before that a rebuild would publish a partial catalog. */
    private volatile boolean synced;
    private volatile boolean closed;

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
        this.builder = new SnapshotBuilder(mapper);
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
        this.informers = new CatalogInformers(client, namespaces, resync, Handler::new);
    }

    /**
     * Starts the informers and waits until each has listed its resources and the first snapshot is
     * built.
     *
     * @throws StoreException if that takes longer than {@code timeout}
     */
    public void start(Duration timeout) {
        try {
            informers.start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // events from here on schedule rebuilds; those before are covered by this first one
            synced = true;
            worker.submit(this::rebuild).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            throw new StoreException("kubernetes", "the informers did not sync within " + timeout + " (are the "
                    + "MaaS CRDs installed, and may the service account list and watch them in "
                    + informers.describeNamespaces() + "? see crds/ and rbac/ in maas-store-k8s)");
        } catch (ExecutionException e) {
            close();
            throw new StoreException("kubernetes", "the informers failed to start: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new StoreException("kubernetes", "interrupted while waiting for the informers");
        }
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
        return informers.indexed(kind, index, value);
    }

    /** Stops the informers and waits (briefly) for a rebuild in progress, so none runs after this returns. */
    @Override
    public void close() {
        closed = true;
        informers.stop();
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
                builder.rereadCredentials(CatalogSnapshot.key(newObj.getMetadata().getNamespace(),
                        newObj.getMetadata().getName()));
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
        SnapshotBuilder.Rebuilt rebuilt = builder.build(informers);
        CatalogSnapshot next = rebuilt.snapshot();
        CatalogSnapshot previous = snapshot;
        snapshot = next;
        if (!next.sameCatalog(previous)) {
            log.debug("catalog changed: {} models, {} subscriptions, {} policies, {} rejected", next.models().size(),
                    next.subscriptions().size(), next.policies().size(), next.rejections().size());
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
            for (SnapshotBuilder.Item item : rebuilt.items()) {
                statusWriter.write(item.kind(), item.resource(), item.outcome());
            }
            statusWriter.retain(rebuilt.present());
        }
        if (rebuilt.retry()) {
            scheduleRetry();
        }
    }
}
