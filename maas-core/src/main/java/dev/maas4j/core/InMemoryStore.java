package dev.maas4j.core;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.ChangeListener;
import dev.maas4j.api.Granularity;
import dev.maas4j.api.Identity;
import dev.maas4j.api.IdentityDirectory;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.PreviousSecret;
import dev.maas4j.api.SecretHash;
import dev.maas4j.api.Subject;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import dev.maas4j.core.internal.ChangeListeners;
import dev.maas4j.core.internal.MemoryCatalog;
import dev.maas4j.core.internal.MemoryIdentities;
import dev.maas4j.core.internal.MemoryKeys;
import dev.maas4j.core.internal.MemoryLedger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The default store: keys, catalog, usage ledger and identity directory, all held in memory.
 *
 * <p>Suited to tests, demos and single-process deployments whose keys and usage may be lost on
 * restart; for anything durable use a JDBC or Kubernetes store. One instance can play every role:
 *
 * <pre>{@code
 * InMemoryStore store = new InMemoryStore()
 *         .setGroups("alice", "data-science", "staff");
 * store.putModel(ModelRef.builder("granite-8b").endpoint("http://localhost:8000").build());
 * store.putPolicy(AuthPolicy.of("ds-granite", SubjectSet.groups("data-science"), "granite-8b"));
 * // hand the same instance to the engine as KeyStore, CatalogStore, UsageLedger and IdentityDirectory
 * }</pre>
 *
 * <p>Thread-safe. Reads take no lock: keys, catalog entries and events live in concurrent maps,
 * and single-key updates ({@link #revoke}, {@link #recordLastUsed}) are atomic per key. Listeners
 * are called on the thread that made the change, after the change is visible to readers; a
 * listener that throws is logged and otherwise ignored.
 *
 * <p>Ordering: {@link #findByOwner} and {@link #findAll} list newest first (by
 * {@link ApiKey#createdAt()} descending, then {@link ApiKey#id()} descending); {@link #models()},
 * {@link #subscriptions()} and {@link #policies()} list by name. Usage events are ordered by
 * {@link UsageEvent#startedAt()}, then request id.
 *
 * <p>Memory grows with every usage event; call {@link #purgeBefore(Instant)} periodically to
 * apply a retention period.
 */
public final class InMemoryStore implements KeyStore, CatalogStore, UsageLedger, IdentityDirectory {
    // one list for both roles; failures are logged under this class, where users look for them
    private final ChangeListeners listeners = new ChangeListeners(LoggerFactory.getLogger(InMemoryStore.class));
    private final MemoryKeys keys = new MemoryKeys(listeners);
    private final MemoryCatalog catalog = new MemoryCatalog(listeners);
    private final MemoryLedger ledger = new MemoryLedger();
    private final MemoryIdentities identities = new MemoryIdentities();

    /** An empty store. */
    public InMemoryStore() {
    }

    /**
     * This store as every part of a bundle (keys, catalog, ledger, identities) with an in-memory
     * audit log of the last 10,000 changes and limits in this process.
     */
    public StoreBundle bundle() {
        return new StoreBundle(this, this, this, new InMemoryAuditLog(10_000), this, java.util.Optional.empty());
    }

    // ------------------------------------------------------------------------------------- keys

    /**
     * {@inheritDoc}
     *
     * <p>Tells the listeners {@code keyChanged(id)}.
     */
    @Override
    public void create(ApiKey key) {
        keys.create(key);
    }

    @Override
    public Optional<ApiKey> findById(String id) {
        return keys.findById(id);
    }

    @Override
    public List<ApiKey> findByOwner(Subject owner) {
        return keys.findByOwner(owner);
    }

    @Override
    public List<ApiKey> findAll() {
        return keys.findAll();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Tells the listeners {@code keyChanged(id)} when the key was revoked by this call.
     */
    @Override
    public boolean revoke(String id, Instant at) {
        return keys.revoke(id, at);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Tells the listeners {@code keyChanged(id)} when the secret was replaced.
     */
    @Override
    public boolean replaceSecret(String id, SecretHash expected, SecretHash replacement,
                                 Optional<PreviousSecret> previous) {
        return keys.replaceSecret(id, expected, replacement, previous);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Listeners are not told: a last-used time does not change whether a key is usable, and
     * telling them would evict cached keys on every write-back.
     */
    @Override
    public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) {
        keys.recordLastUsed(lastUsedByKeyId);
    }

    /**
     * Registers a listener told of key and catalog changes made through this store. The same
     * listener list serves both roles, so a listener registered once hears both kinds.
     */
    @Override
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }

    // ---------------------------------------------------------------------------------- catalog

    /** Every model, by name. */
    @Override
    public List<ModelRef> models() {
        return catalog.models();
    }

    /** Every subscription, by name. */
    @Override
    public List<Subscription> subscriptions() {
        return catalog.subscriptions();
    }

    /** Every auth policy, by name. */
    @Override
    public List<AuthPolicy> policies() {
        return catalog.policies();
    }

    @Override
    public Optional<ModelRef> findModel(String name) {
        return catalog.findModel(name);
    }

    @Override
    public Optional<Subscription> findSubscription(String name) {
        return catalog.findSubscription(name);
    }

    @Override
    public Optional<AuthPolicy> findPolicy(String name) {
        return catalog.findPolicy(name);
    }

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()}. */
    @Override
    public void putModel(ModelRef model) {
        catalog.putModel(model);
    }

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()} when the model existed. */
    @Override
    public boolean removeModel(String name) {
        return catalog.removeModel(name);
    }

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()}. */
    @Override
    public void putSubscription(Subscription subscription) {
        catalog.putSubscription(subscription);
    }

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()} when the subscription existed. */
    @Override
    public boolean removeSubscription(String name) {
        return catalog.removeSubscription(name);
    }

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()}. */
    @Override
    public void putPolicy(AuthPolicy policy) {
        catalog.putPolicy(policy);
    }

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()} when the policy existed. */
    @Override
    public boolean removePolicy(String name) {
        return catalog.removePolicy(name);
    }

    // ---------------------------------------------------------------------------------- ledger

    /**
     * {@inheritDoc}
     *
     * <p>Duplicates within the batch and events whose request id is already stored are skipped.
     * Nothing is stored if the batch holds a {@code null}.
     */
    @Override
    public int append(List<UsageEvent> batch) {
        return ledger.append(batch);
    }

    @Override
    public UsageTotals totals(UsageQuery query) {
        return ledger.totals(query);
    }

    /** {@inheritDoc} Buckets are ascending by start and aligned by {@link Granularity#bucketStart}. */
    @Override
    public List<UsageBucket> series(UsageQuery query, Granularity granularity) {
        return ledger.series(query, granularity);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The map iterates in the natural order of the values. With {@link UsageDimension#GROUP}
     * an event counts once for each of its groups, and events without groups are left out.
     */
    @Override
    public Map<String, UsageTotals> totalsBy(UsageDimension dimension, UsageQuery query) {
        return ledger.totalsBy(dimension, query);
    }

    /** {@inheritDoc} Events with the same start are streamed by request id. */
    @Override
    public void forEach(UsageQuery query, Consumer<UsageEvent> sink) {
        ledger.forEach(query, sink);
    }

    /**
     * Removes the usage events that started before {@code cutoff}, to bound memory: call it
     * periodically with {@code now.minus(retention)}.
     *
     * <p>The request ids of removed events are forgotten too, so a replay of a removed event would
     * be stored again; replays come from the recorder within seconds, long before any sensible
     * retention period ends.
     *
     * @param cutoff events that started before it are removed; those at or after it are kept
     * @return how many events were removed
     */
    public int purgeBefore(Instant cutoff) {
        return ledger.purgeBefore(cutoff);
    }

    // ------------------------------------------------------------------------------- directory

    /**
     * Sets the groups of a user or service account, replacing any set before; no groups clears
     * them. Takes effect for the next {@link #identityOf} call.
     *
     * @param user   the user or service account name
     * @param groups its groups
     * @return this store
     */
    public InMemoryStore setGroups(String user, String... groups) {
        return setGroups(user, Set.of(Objects.requireNonNull(groups, "groups")));
    }

    /**
     * Sets the groups of a user or service account, replacing any set before; an empty set clears
     * them. Takes effect for the next {@link #identityOf} call.
     *
     * @param user   the user or service account name
     * @param groups its groups, copied
     * @return this store
     */
    public InMemoryStore setGroups(String user, Set<String> groups) {
        identities.setGroups(user, groups);
        return this;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A user or service account acts with the groups set for its name by {@link #setGroups}
     * (none if never set); a group acts as a member of itself only.
     */
    @Override
    public Identity identityOf(Subject owner) {
        return identities.identityOf(owner);
    }
}
