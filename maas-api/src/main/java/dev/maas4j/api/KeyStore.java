package dev.maas4j.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where API keys are kept. Only hashes of secrets are ever stored.
 *
 * <p>Implementations must be thread-safe. The engine calls {@link #findById(String)} only on a
 * cache miss and writes last-used times in the background.
 */
public interface KeyStore {

    /**
     * Stores a new key.
     *
     * @throws IllegalStateException if a key with the same id exists
     * @throws StoreException        if the store fails
     */
    void create(ApiKey key);

    /** The key with this id, if any (revoked and expired keys included). */
    Optional<ApiKey> findById(String id);

    /** The keys owned by {@code owner}, newest first. */
    List<ApiKey> findByOwner(Subject owner);

    /** Every key, newest first. */
    List<ApiKey> findAll();

    /**
     * Marks a key revoked at {@code at}.
     *
     * @return {@code true} if the key existed and was not yet revoked
     */
    boolean revoke(String id, Instant at);

    /**
     * Rotates a key's secret: replaces its hash by {@code replacement}, keeping its id, settings,
     * last use and usage, and keeps {@code previous} (the hash replaced, accepted until its instant),
     * or none. A compare-and-set: it changes nothing unless the key exists, is not revoked and its
     * hash is still {@code expected}, so that of two concurrent rotations one wins and the other
     * learns it. Listeners are told {@code keyChanged(id)}, as for a revocation, so that caches drop
     * the old hash.
     *
     * <p>A database store keeps the previous hash apart from the current one (the current hash is
     * what keys are looked up by, and is unique).
     *
     * @return {@code true} if the secret was replaced
     * @throws UnsupportedOperationException if the store cannot rotate secrets (the default)
     * @throws StoreException                if the store fails
     */
    default boolean replaceSecret(String id, SecretHash expected, SecretHash replacement,
                                  java.util.Optional<PreviousSecret> previous) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot rotate API keys:"
                + " it does not implement KeyStore.replaceSecret");
    }

    /** Records that the keys were used, keeping the latest time per key; unknown ids are ignored. */
    void recordLastUsed(java.util.Map<String, Instant> lastUsedByKeyId);

    /** Registers a listener told of changes, including changes by other processes where the store can see them. */
    /**
     * One page of the keys {@code query} matches at {@code now}, in its order. The default filters
     * {@link #findByOwner} or {@link #findAll} in memory; a database store should push the query down.
     */
    default KeyQuery.Page search(KeyQuery query, Instant now) {
        List<ApiKey> candidates = query.owner().isPresent() ? findByOwner(query.owner().get()) : findAll();
        List<ApiKey> matching = candidates.stream().filter(k -> query.matches(k, now)).sorted(query.comparator())
                .toList();
        int from = Math.min(query.offset(), matching.size());
        int to = (int) Math.min((long) from + query.limit(), matching.size());
        return new KeyQuery.Page(matching.subList(from, to), to < matching.size());
    }

    default void addListener(ChangeListener listener) {
    }
}
