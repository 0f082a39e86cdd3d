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
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectType;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
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
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryStore.class);

    /** Newest first; the id breaks ties so that the order is total and stable across calls. */
    private static final Comparator<ApiKey> NEWEST_FIRST =
            Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id).reversed();

    // --- keys
    private final ConcurrentMap<String, ApiKey> keys = new ConcurrentHashMap<>();
    /** Key ids by owner. Keys are never deleted and never change owner, so the index only grows. */
    private final ConcurrentMap<Subject, Set<String>> keysByOwner = new ConcurrentHashMap<>();

    // --- catalog
    private final ConcurrentMap<String, ModelRef> models = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AuthPolicy> policies = new ConcurrentHashMap<>();

    // --- ledger: one map for idempotence, one ordered by start time for range queries
    private final ConcurrentMap<String, UsageEvent> eventsByRequestId = new ConcurrentHashMap<>();
    private final ConcurrentNavigableMap<EventKey, UsageEvent> eventsByTime = new ConcurrentSkipListMap<>();

    // --- directory
    /** Identities of users with groups, built once per change so resolving one on the hot path allocates nothing. */
    private final ConcurrentMap<String, Identity> identitiesByName = new ConcurrentHashMap<>();

    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

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
        Objects.requireNonNull(key, "key");
        ApiKey existing = keys.putIfAbsent(key.id(), key);
        if (existing != null) {
            throw new IllegalStateException("a key with id " + key.id() + " already exists");
        }
        keysByOwner.computeIfAbsent(key.owner(), owner -> ConcurrentHashMap.newKeySet()).add(key.id());
        fire(listener -> listener.keyChanged(key.id()));
    }

    @Override
    public Optional<ApiKey> findById(String id) {
        Objects.requireNonNull(id, "id");
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public List<ApiKey> findByOwner(Subject owner) {
        Objects.requireNonNull(owner, "owner");
        Set<String> ids = keysByOwner.get(owner);
        if (ids == null) {
            return List.of();
        }
        List<ApiKey> result = new ArrayList<>(ids.size());
        for (String id : ids) {
            ApiKey key = keys.get(id);
            if (key != null) {
                result.add(key);
            }
        }
        result.sort(NEWEST_FIRST);
        return Collections.unmodifiableList(result);
    }

    @Override
    public List<ApiKey> findAll() {
        List<ApiKey> result = new ArrayList<>(keys.values());
        result.sort(NEWEST_FIRST);
        return Collections.unmodifiableList(result);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Tells the listeners {@code keyChanged(id)} when the key was revoked by this call.
     */
    @Override
    public boolean revoke(String id, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        boolean[] revoked = {false};
        keys.computeIfPresent(id, (k, key) -> {
            if (key.revokedAt().isPresent()) {
                return key;
            }
            revoked[0] = true;
            return key.toBuilder().revokedAt(at).build();
        });
        if (revoked[0]) {
            fire(listener -> listener.keyChanged(id));
        }
        return revoked[0];
    }

    /**
     * {@inheritDoc}
     *
     * <p>Listeners are not told: a last-used time does not change whether a key is usable, and
     * telling them would evict cached keys on every write-back.
     */
    @Override
    public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) {
        Objects.requireNonNull(lastUsedByKeyId, "lastUsedByKeyId");
        lastUsedByKeyId.forEach((id, at) -> {
            Objects.requireNonNull(at, "lastUsedAt");
            keys.computeIfPresent(id, (k, key) ->
                    key.lastUsedAt().isPresent() && !key.lastUsedAt().get().isBefore(at)
                            ? key
                            : key.toBuilder().lastUsedAt(at).build());
        });
    }

    /**
     * Registers a listener told of key and catalog changes made through this store. The same
     * listener list serves both roles, so a listener registered once hears both kinds.
     */
    @Override
    public void addListener(ChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // ---------------------------------------------------------------------------------- catalog

    /** Every model, by name. */
    @Override
    public List<ModelRef> models() {
        return sortedByName(models, ModelRef::name);
    }

    /** Every subscription, by name. */
    @Override
    public List<Subscription> subscriptions() {
        return sortedByName(subscriptions, Subscription::name);
    }

    /** Every auth policy, by name. */
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

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()}. */
    @Override
    public void putModel(ModelRef model) {
        models.put(Objects.requireNonNull(model, "model").name(), model);
        fire(ChangeListener::catalogChanged);
    }

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()} when the model existed. */
    @Override
    public boolean removeModel(String name) {
        return removed(models.remove(Objects.requireNonNull(name, "name")) != null);
    }

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()}. */
    @Override
    public void putSubscription(Subscription subscription) {
        subscriptions.put(Objects.requireNonNull(subscription, "subscription").name(), subscription);
        fire(ChangeListener::catalogChanged);
    }

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()} when the subscription existed. */
    @Override
    public boolean removeSubscription(String name) {
        return removed(subscriptions.remove(Objects.requireNonNull(name, "name")) != null);
    }

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()}. */
    @Override
    public void putPolicy(AuthPolicy policy) {
        policies.put(Objects.requireNonNull(policy, "policy").name(), policy);
        fire(ChangeListener::catalogChanged);
    }

    /** {@inheritDoc} Tells the listeners {@code catalogChanged()} when the policy existed. */
    @Override
    public boolean removePolicy(String name) {
        return removed(policies.remove(Objects.requireNonNull(name, "name")) != null);
    }

    private boolean removed(boolean existed) {
        if (existed) {
            fire(ChangeListener::catalogChanged);
        }
        return existed;
    }

    private static <T> List<T> sortedByName(Map<String, T> byName, Function<T, String> name) {
        List<T> result = new ArrayList<>(byName.values());
        result.sort(Comparator.comparing(name));
        return Collections.unmodifiableList(result);
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
        Objects.requireNonNull(batch, "batch");
        // validate first: the SPI promises all or nothing
        for (UsageEvent event : batch) {
            Objects.requireNonNull(event, "batch element");
        }
        int stored = 0;
        for (UsageEvent event : batch) {
            // the id map decides atomically which of several concurrent appenders stores the event
            if (eventsByRequestId.putIfAbsent(event.requestId(), event) == null) {
                eventsByTime.put(EventKey.of(event), event);
                stored++;
            }
        }
        return stored;
    }

    @Override
    public UsageTotals totals(UsageQuery query) {
        Accumulator total = new Accumulator();
        scan(query, total::add);
        return total.toTotals();
    }

    /** {@inheritDoc} Buckets are ascending by start and aligned by {@link Granularity#bucketStart}. */
    @Override
    public List<UsageBucket> series(UsageQuery query, Granularity granularity) {
        Objects.requireNonNull(granularity, "granularity");
        TreeMap<Instant, Accumulator> buckets = new TreeMap<>();
        scan(query, event -> buckets.computeIfAbsent(granularity.bucketStart(event.startedAt()),
                start -> new Accumulator()).add(event));
        List<UsageBucket> result = new ArrayList<>(buckets.size());
        buckets.forEach((start, acc) -> result.add(new UsageBucket(start, acc.toTotals())));
        return Collections.unmodifiableList(result);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The map iterates in the natural order of the values. With {@link UsageDimension#GROUP}
     * an event counts once for each of its groups, and events without groups are left out.
     */
    @Override
    public Map<String, UsageTotals> totalsBy(UsageDimension dimension, UsageQuery query) {
        Objects.requireNonNull(dimension, "dimension");
        TreeMap<String, Accumulator> byValue = new TreeMap<>();
        scan(query, event -> {
            if (dimension == UsageDimension.GROUP) {
                for (String group : event.groups()) {
                    byValue.computeIfAbsent(group, g -> new Accumulator()).add(event);
                }
            } else {
                byValue.computeIfAbsent(valueOf(dimension, event), v -> new Accumulator()).add(event);
            }
        });
        Map<String, UsageTotals> result = new LinkedHashMap<>();
        byValue.forEach((value, acc) -> result.put(value, acc.toTotals()));
        return Collections.unmodifiableMap(result);
    }

    /** {@inheritDoc} Events with the same start are streamed by request id. */
    @Override
    public void forEach(UsageQuery query, Consumer<UsageEvent> sink) {
        Objects.requireNonNull(sink, "sink");
        scan(query, sink);
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
        Objects.requireNonNull(cutoff, "cutoff");
        int removed = 0;
        for (Map.Entry<EventKey, UsageEvent> entry : eventsByTime.headMap(EventKey.first(cutoff)).entrySet()) {
            // time index first: while the id stays in the other map a concurrent replay is skipped
            if (eventsByTime.remove(entry.getKey(), entry.getValue())) {
                eventsByRequestId.remove(entry.getKey().requestId(), entry.getValue());
                removed++;
            }
        }
        return removed;
    }

    private void scan(UsageQuery query, Consumer<UsageEvent> sink) {
        Objects.requireNonNull(query, "query");
        // the range is matched by the index; the filters (and the range again) by the query itself
        for (UsageEvent event : eventsByTime.subMap(EventKey.first(query.from()), EventKey.first(query.to()))
                .values()) {
            if (query.matches(event)) {
                sink.accept(event);
            }
        }
    }

    private static String valueOf(UsageDimension dimension, UsageEvent event) {
        return switch (dimension) {
            case KEY -> event.keyId();
            case USER -> event.user();
            case MODEL -> event.model();
            case SUBSCRIPTION -> event.subscription();
            case GROUP -> throw new IllegalArgumentException("an event has several groups");
        };
    }

    /** Orders events by start, then request id (unique). */
    private record EventKey(Instant startedAt, String requestId) implements Comparable<EventKey> {
        static EventKey of(UsageEvent event) {
            return new EventKey(event.startedAt(), event.requestId());
        }

        /** Sorts before every event that starts at {@code at}: request ids are never empty. */
        static EventKey first(Instant at) {
            return new EventKey(at, "");
        }

        @Override
        public int compareTo(EventKey other) {
            int byTime = startedAt.compareTo(other.startedAt);
            return byTime != 0 ? byTime : requestId.compareTo(other.requestId);
        }
    }

    /** Sums events without allocating per event; the cost sum is exact. */
    private static final class Accumulator {
        private long requests;
        private long successful;
        private long promptTokens;
        private long completionTokens;
        private long estimated;
        private BigDecimal cost = BigDecimal.ZERO;

        void add(UsageEvent event) {
            requests++;
            if (event.successful()) {
                successful++;
            }
            promptTokens += event.promptTokens();
            completionTokens += event.completionTokens();
            if (event.estimated()) {
                estimated++;
            }
            cost = cost.add(event.cost());
        }

        UsageTotals toTotals() {
            return new UsageTotals(requests, successful, promptTokens, completionTokens, estimated, cost);
        }
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
        Objects.requireNonNull(user, "user");
        if (user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        Set<String> copy = Set.copyOf(Objects.requireNonNull(groups, "groups"));
        for (String group : copy) {
            if (group.isBlank()) {
                throw new IllegalArgumentException("group names must not be blank");
            }
        }
        if (copy.isEmpty()) {
            identitiesByName.remove(user);
        } else {
            identitiesByName.put(user, new Identity(user, copy));
        }
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
        Objects.requireNonNull(owner, "owner");
        if (owner.type() == SubjectType.GROUP) {
            return new Identity(owner.name(), Set.of(owner.name()));
        }
        Identity identity = identitiesByName.get(owner.name());
        return identity != null ? identity : new Identity(owner.name(), Set.of());
    }

    // ------------------------------------------------------------------------------- listeners

    private void fire(Consumer<ChangeListener> event) {
        for (ChangeListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                // a broken listener must not undo or hide a change that is already made
                LOG.warn("change listener {} failed", listener, e);
            }
        }
    }
}
