package dev.maas4j.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.PreviousSecret;
import dev.maas4j.api.SecretHash;
import dev.maas4j.api.StoreException;
import dev.maas4j.api.TimeSource;
import dev.maas4j.core.AuthFailureThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Stage 1, authenticate: a presented secret to its verified {@link KeyEntry}, or a refusal. Checks
 * the format, finds the key (a cache of verified keys, a negative cache of unknown ids, the store
 * on a miss: at most once per id and negative-cache period, concurrent requests for one id waiting
 * for one lookup), compares the secret in constant time (the current one, else the one a rotation
 * replaced while its overlap lasts), then revocation and expiry. An unknown id
 * is refused after the same comparison as a wrong secret (against a fixed hash), so the two take
 * the same time. Every 401 is counted in {@code maas.auth.failures{api="model",reason}}.
 *
 * <p>Thread-safe; the hot path (a cached key) does no I/O, takes no lock and allocates nothing.
 */
public final class KeyAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(KeyAuthenticator.class);
    /** What an unknown id is compared with: no key hashes to it, the comparison costs the same. */
    private static final SecretHash UNKNOWN_KEY_HASH = SecretHash.of(new byte[32]);

    private final KeyStore store;
    private final KeyCodec codec;
    private final TimeSource time;
    private final Cache<String, KeyEntry> keys;
    private final Cache<String, Boolean> unknownKeys;
    private final Function<String, KeyEntry> loader = this::load;
    private final EnumMap<DenialReason, Counter> failures = new EnumMap<>(DenialReason.class);
    private final KeyRefusal missing;
    private final KeyRefusal invalid;
    private final KeyRefusal revoked;
    private final KeyRefusal expired;
    private final KeyRefusal storeUnavailable = new KeyRefusal(Denial.of(DenialReason.STORE_UNAVAILABLE,
            "The key store is unavailable, try again later"));

    /**
     * @param onEviction told of every verified key that leaves the cache (its last use is still to
     *                   be written)
     */
    public KeyAuthenticator(KeyStore store, KeyCodec codec, TimeSource time, long cacheSize, Duration cacheTtl,
                            long negativeCacheSize, Duration negativeCacheTtl, MeterRegistry registry,
                            Consumer<KeyEntry> onEviction) {
        this.store = store;
        this.codec = codec;
        this.time = time;
        this.keys = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(cacheTtl)
                .removalListener((String id, KeyEntry entry, RemovalCause cause) -> {
                    if (entry != null) {
                        onEviction.accept(entry);
                    }
                })
                .build();
        // on the engine's clock, so that the negative-cache period is the configured one in tests too
        this.unknownKeys = Caffeine.newBuilder().maximumSize(negativeCacheSize).expireAfterWrite(negativeCacheTtl)
                .ticker(time::epochNanos).build();
        for (DenialReason reason : DenialReason.values()) {
            if (reason.httpStatus() == 401) {
                failures.put(reason, AuthFailureMeters.counter(registry, AuthFailureThrottle.Api.MODEL.tag(),
                        reason.errorCode()));
            }
        }
        this.missing = new KeyRefusal(Denial.of(DenialReason.MISSING_KEY,
                "No API key provided: send it as 'Authorization: Bearer sk-oai-...'"));
        this.invalid = new KeyRefusal(Denial.of(DenialReason.INVALID_KEY, "Invalid API key"));
        this.revoked = new KeyRefusal(Denial.of(DenialReason.REVOKED_KEY, "This API key has been revoked"));
        this.expired = new KeyRefusal(Denial.of(DenialReason.EXPIRED_KEY, "This API key has expired"));
    }

    /** Checks a presented key. */
    public KeyCheck check(String presented) {
        String id = KeyCodec.idOf(presented);
        if (id == null) {
            return refuse(invalid);
        }
        KeyEntry entry = keys.getIfPresent(id);
        if (entry == null) {
            if (unknownKeys.getIfPresent(id) != null) {
                return unknownKey(presented);
            }
            try {
                // a load runs inside the cache's computation for this id: requests arriving with the
                // same id meanwhile wait for it instead of asking the store too
                entry = keys.get(id, loader);
            } catch (StoreException e) {
                log.warn("key store unavailable while authenticating a request: {}", e.getMessage());
                return storeUnavailable;
            }
            if (entry == null) {
                return unknownKey(presented);
            }
        }
        if (!codec.verify(presented, entry.key().secretHash()) && !previousAccepted(presented, entry.key())) {
            return refuse(invalid);
        }
        return stillValid(entry);
    }

    /**
     * Whether {@code presented} is the key's secret before its last rotation, within the overlap.
     * Only asked when the current secret did not match, so the hot path pays nothing for it.
     */
    private boolean previousAccepted(String presented, ApiKey key) {
        Optional<PreviousSecret> previous = key.previousSecret();
        return previous.isPresent() && previous.get().validAt(time.now())
                && codec.verify(presented, previous.get().hash());
    }

    /**
     * Checks again a key verified a moment ago (before its request's body was read): revocation
     * evicts the cached entry, so a different (or no) cached entry means "look again".
     */
    public KeyCheck recheck(KeyEntry verified) {
        String id = verified.key().id();
        KeyEntry entry = keys.getIfPresent(id);
        if (entry != verified) {
            try {
                entry = keys.get(id, loader);
            } catch (StoreException e) {
                log.warn("key store unavailable while admitting a request: {}", e.getMessage());
                return storeUnavailable;
            }
            if (entry == null || !sameSecret(entry.key(), verified.key())) {
                return refuse(invalid);
            }
        }
        return stillValid(entry);
    }

    /**
     * Whether a key read again still accepts the secret verified against {@code verified}: the same
     * hash, or, rotated since, the previous one within its overlap.
     */
    private boolean sameSecret(ApiKey current, ApiKey verified) {
        if (current.secretHash().equals(verified.secretHash())) {
            return true;
        }
        Optional<PreviousSecret> previous = current.previousSecret();
        return previous.isPresent() && previous.get().validAt(time.now())
                && previous.get().hash().equals(verified.secretHash());
    }

    /** The refusal of a request that presented no key (counted like the others). */
    public KeyRefusal missing() {
        return refuse(missing);
    }

    private KeyCheck stillValid(KeyEntry entry) {
        if (entry.revoked()) {
            return refuse(revoked);
        }
        if (entry.expiredAt(time.epochNanos())) {
            return refuse(expired);
        }
        return entry;
    }

    /**
     * The stored key with this id, or {@code null} (and the id remembered as unknown) if there is
     * none. Runs inside the key cache's computation for {@code id}, one at a time per id: a request
     * that waited for another's lookup of an unknown id finds it remembered and asks nobody.
     */
    private KeyEntry load(String id) {
        if (unknownKeys.getIfPresent(id) != null) {
            return null;
        }
        Optional<ApiKey> stored = store.findById(id);
        if (stored.isEmpty()) {
            unknownKeys.put(id, Boolean.TRUE);
            return null;
        }
        return new KeyEntry(stored.get());
    }

    /** Refuses a key whose id does not exist, after the same work as for a wrong secret. */
    private KeyRefusal unknownKey(String presented) {
        // the result is known, the time it takes is what matters: as long as a real comparison's
        codec.verify(presented, UNKNOWN_KEY_HASH);
        return refuse(invalid);
    }

    /** Counts a 401 in {@code maas.auth.failures{api="model"}} and returns it. */
    private KeyRefusal refuse(KeyRefusal refusal) {
        failures.get(refusal.denial().reason()).increment();
        return refusal;
    }

    /** Drops a key from the caches, so that the next request reads it from the store. */
    public void invalidate(String keyId) {
        keys.invalidate(keyId);
        unknownKeys.invalidate(keyId);
    }

    /** The verified keys now cached (for writing their last use). */
    public Collection<KeyEntry> cached() {
        return keys.asMap().values();
    }
}
