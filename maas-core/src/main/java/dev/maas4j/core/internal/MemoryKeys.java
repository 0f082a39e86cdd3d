package dev.maas4j.core.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.ChangeListener;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.PreviousSecret;
import dev.maas4j.api.SecretHash;
import dev.maas4j.api.Subject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The keys of {@link dev.maas4j.core.InMemoryStore}: by id, and by owner for
 * {@link #findByOwner}. Lists are newest first ({@link ApiKey#createdAt()} descending, then
 * {@link ApiKey#id()} descending).
 *
 * <p>Thread-safe: reads take no lock, and each update is atomic per key.
 */
public final class MemoryKeys implements KeyStore {
    /** Newest first; the id breaks ties so that the order is total and stable across calls. */
    private static final Comparator<ApiKey> NEWEST_FIRST =
            Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id).reversed();

    private final ConcurrentMap<String, ApiKey> keys = new ConcurrentHashMap<>();
    /** Key ids by owner. Keys are never deleted and never change owner, so the index only grows. */
    private final ConcurrentMap<Subject, Set<String>> keysByOwner = new ConcurrentHashMap<>();
    private final ChangeListeners listeners;

    /** @param listeners told {@code keyChanged(id)} when a key is created, revoked or rotated */
    public MemoryKeys(ChangeListeners listeners) {
        this.listeners = Objects.requireNonNull(listeners, "listeners");
    }

    @Override
    public void create(ApiKey key) {
        Objects.requireNonNull(key, "key");
        ApiKey existing = keys.putIfAbsent(key.id(), key);
        if (existing != null) {
            throw new IllegalStateException("a key with id " + key.id() + " already exists");
        }
        keysByOwner.computeIfAbsent(key.owner(), owner -> ConcurrentHashMap.newKeySet()).add(key.id());
        listeners.fire(listener -> listener.keyChanged(key.id()));
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
            listeners.fire(listener -> listener.keyChanged(id));
        }
        return revoked[0];
    }

    @Override
    public boolean replaceSecret(String id, SecretHash expected, SecretHash replacement,
                                 Optional<PreviousSecret> previous) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(replacement, "replacement");
        Objects.requireNonNull(previous, "previous");
        boolean[] replaced = {false};
        // atomic per key: a revocation or another rotation of it is either before or after this one
        keys.computeIfPresent(id, (k, key) -> {
            if (key.revokedAt().isPresent() || !key.secretHash().equals(expected)) {
                return key;
            }
            replaced[0] = true;
            return key.toBuilder().secretHash(replacement).previousSecret(previous).build();
        });
        if (replaced[0]) {
            listeners.fire(listener -> listener.keyChanged(id));
        }
        return replaced[0];
    }

    /** {@inheritDoc} Listeners are not told: see {@link dev.maas4j.core.InMemoryStore#recordLastUsed}. */
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

    @Override
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
    }
}
