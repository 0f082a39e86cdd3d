package dev.maas4j.core;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.DurationText;
import dev.maas4j.api.Identity;
import dev.maas4j.api.IdentityDirectory;
import dev.maas4j.api.KeyQuery;
import dev.maas4j.api.KeyStatus;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.PreviousSecret;
import dev.maas4j.api.Subject;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.TimeSource;
import dev.maas4j.core.internal.KeyAuthenticator;
import dev.maas4j.core.internal.KeyCodec;
import dev.maas4j.core.internal.RevocationWatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * API keys: create one (with every check, in one place), rotate its secret, revoke one or many, find
 * and search them,
 * and the subscription a new key is bound to by default. What every front end (the management
 * API, a portal, an embedding application) calls, so that they all follow the same rules.
 * Obtained from {@link MaasEngine#keys()}.
 *
 * <pre>{@code
 * KeyService keys = engine.keys();
 * Subject owner = Subject.user("alice");
 * CreatedKey created = keys.create(KeyRequest.builder(owner, "laptop")
 *         .subscription(keys.defaultSubscription(owner).orElseThrow())
 *         .expiresIn(Duration.ofDays(30)).build());            // KeyRequestException names a bad field
 * String secret = created.secret().reveal();                   // shown once
 * }</pre>
 *
 * <p>Thread-safe; the store does the I/O.
 */
public final class KeyService {
    /** The longest a rotated key's old secret may still be accepted ({@link #rotate}). */
    public static final Duration MAX_ROTATION_OVERLAP = Duration.ofDays(7);

    private final KeyStore store;
    private final CatalogService catalog;
    private final IdentityDirectory directory;
    private final KeyCodec codec;
    private final TimeSource time;
    private final Optional<Duration> maxKeyLifetime;
    private final KeyAuthenticator authenticator;
    private final RevocationWatch revocations;

    KeyService(KeyStore store, CatalogService catalog, IdentityDirectory directory, KeyCodec codec, TimeSource time,
               Optional<Duration> maxKeyLifetime, KeyAuthenticator authenticator, RevocationWatch revocations) {
        this.store = store;
        this.catalog = catalog;
        this.directory = directory;
        this.codec = codec;
        this.time = time;
        this.maxKeyLifetime = maxKeyLifetime;
        this.authenticator = authenticator;
        this.revocations = revocations;
    }

    /**
     * Creates a key and returns its secret, which is shown this once: only its hash is stored.
     * Checked: the expiry is in the future and within the key's longest life (the engine's
     * {@code maxKeyLifetime}, or the request's own if shorter; a key given no expiry gets that life);
     * the subscription, if given, exists and includes the owner; every model of the scope exists.
     *
     * @throws KeyRequestException naming the field at fault
     */
    public CreatedKey create(KeyRequest request) {
        Objects.requireNonNull(request, "request");
        Instant now = time.now();
        Optional<Instant> expiresAt = expiry(request, now);
        if (request.subscription().isPresent()) {
            checkSubscription(request.subscription().get(), request.owner());
            checkActiveKeys(request);
        }
        for (String model : request.scope().models()) {
            if (catalog.findModel(model).isEmpty()) {
                throw new KeyRequestException("models", KeyRequestException.INVALID_REQUEST,
                        "models: no model named '" + model + "'");
            }
        }
        KeyCodec.NewKey generated = codec.generate();
        ApiKey key = ApiKey.builder()
                .id(generated.id())
                .name(request.name())
                .description(request.description())
                .owner(request.owner())
                .secretHash(generated.hash())
                .displayPrefix(generated.displayPrefix())
                .createdAt(now)
                .expiresAt(expiresAt)
                .subscription(request.subscription())
                .scope(request.scope())
                .limits(request.limits())
                .metadata(request.metadata())
                .build();
        store.create(key);
        authenticator.invalidate(key.id());
        return new CreatedKey(key, generated.presented());
    }

    /** The expiry a new key gets, checked against the longest life it may have. */
    private Optional<Instant> expiry(KeyRequest request, Instant now) {
        // the field named in an error is the one the request used
        String field = request.expiresAt().isPresent() || request.expiresIn().isEmpty() ? "expiresAt" : "expiresIn";
        Optional<Instant> expiresAt = request.expiresAt().or(() -> request.expiresIn().map(now::plus));
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
            throw new KeyRequestException(field, KeyRequestException.INVALID_REQUEST, field + " must be in the future");
        }
        Optional<Duration> longest = longestLife(request);
        if (longest.isEmpty()) {
            return expiresAt;
        }
        Instant latest = now.plus(longest.get());
        if (expiresAt.isEmpty()) {
            return Optional.of(latest);
        }
        if (expiresAt.get().isAfter(latest)) {
            throw new KeyRequestException(field, KeyRequestException.INVALID_REQUEST, field
                    + " exceeds the maximum of " + DurationText.format(longest.get())
                    + (field.equals("expiresAt") ? " from now" : ""));
        }
        return expiresAt;
    }

    private Optional<Duration> longestLife(KeyRequest request) {
        if (request.maxLifetime().isEmpty()) {
            return maxKeyLifetime;
        }
        Duration own = request.maxLifetime().get();
        return Optional.of(maxKeyLifetime.filter(engine -> engine.compareTo(own) < 0).orElse(own));
    }

    private void checkSubscription(String name, Subject owner) {
        Identity identity = directory.identityOf(owner);
        boolean available = catalog.findSubscription(name).map(s -> s.owner().includes(identity)).orElse(false);
        if (!available) {
            // one code and message whether it does not exist or is not the owner's (as Open Data Hub
            // does), so that subscription names cannot be probed
            throw new KeyRequestException("subscription", KeyRequestException.INVALID_SUBSCRIPTION,
                    "subscription '" + name + "' does not exist or is not available to the key's owner");
        }
    }

    /**
     * Refuses a key beyond {@link KeyRequest#maxActiveKeysPerSubscription()}. Checked, not reserved:
     * creations of one owner racing each other may together pass the limit by their number.
     */
    private void checkActiveKeys(KeyRequest request) {
        int max = request.maxActiveKeysPerSubscription();
        if (max == 0) {
            return;
        }
        String subscription = request.subscription().orElseThrow();
        int active = active(Optional.of(request.owner()), Optional.of(subscription)).size();
        if (active >= max) {
            throw new KeyRequestException("subscription", KeyRequestException.KEY_LIMIT_REACHED,
                    "the key's owner already holds " + active + " active API key(s) for subscription '"
                            + subscription + "', the maximum of " + max + ": revoke one to create another");
        }
    }

    /**
     * Gives a key a new secret: the same id, so that it keeps its settings, its usage history and
     * its last use; the secret is shown this once. The old secret is accepted for {@code overlap}
     * more (zero: it stops at once), so that its clients can move; a secret replaced by an earlier
     * rotation stops now, whatever was left of its overlap. Needs a store that implements
     * {@link KeyStore#replaceSecret}.
     *
     * @param keyId   the key
     * @param overlap how long the old secret is still accepted, zero to {@link #MAX_ROTATION_OVERLAP}
     * @return the rotated key and its new secret; empty if there is no active key with this id
     * @throws KeyRequestException           naming {@code overlap} when it is out of range
     * @throws UnsupportedOperationException if the key store cannot rotate secrets
     */
    public Optional<CreatedKey> rotate(String keyId, Duration overlap) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(overlap, "overlap");
        if (overlap.isNegative() || overlap.compareTo(MAX_ROTATION_OVERLAP) > 0) {
            throw new KeyRequestException("overlap", KeyRequestException.INVALID_REQUEST,
                    "overlap must be between 0s and " + DurationText.format(MAX_ROTATION_OVERLAP));
        }
        // a rotation that lost a race with another is tried again on the key as the winner left it
        for (int attempt = 0; attempt < 3; attempt++) {
            Instant now = time.now();
            Optional<ApiKey> found = store.findById(keyId);
            if (found.isEmpty() || found.get().status(now) != KeyStatus.ACTIVE) {
                return Optional.empty();
            }
            ApiKey key = found.get();
            KeyCodec.NewKey generated = codec.generateFor(keyId);
            Optional<PreviousSecret> previous = overlap.isZero() ? Optional.empty()
                    : Optional.of(new PreviousSecret(key.secretHash(), now.plus(overlap)));
            if (store.replaceSecret(keyId, key.secretHash(), generated.hash(), previous)) {
                authenticator.invalidate(keyId);
                ApiKey rotated = key.toBuilder().secretHash(generated.hash()).previousSecret(previous).build();
                return Optional.of(new CreatedKey(rotated, generated.presented()));
            }
        }
        throw new ConcurrentModificationException("key " + keyId + " was changed concurrently, try again");
    }

    /**
     * The subscription a new key of {@code owner} is bound to when none is asked for: the best of
     * theirs in the one subscription order (higher priority, then the larger token limit, then name),
     * the order admission chooses in.
     */
    public Optional<String> defaultSubscription(Subject owner) {
        List<Subscription> best = catalog.subscriptionsOf(directory.identityOf(owner));
        return best.isEmpty() ? Optional.empty() : Optional.of(best.get(0).name());
    }

    /**
     * Revokes a key; the next request with it is refused, and the requests in flight under it are
     * told ({@link Lease#onRevocation}).
     *
     * @return {@code true} if the key existed and was active
     */
    public boolean revoke(String keyId) {
        boolean revoked = store.revoke(keyId, time.now());
        authenticator.invalidate(keyId);
        revocations.revoked(keyId);
        return revoked;
    }

    /**
     * Revokes every active key of {@code owner} (if given) bound to {@code subscription} (if given).
     *
     * @return the ids of the keys this call revoked
     * @throws IllegalArgumentException if neither is given
     */
    public List<String> revokeAll(Optional<Subject> owner, Optional<String> subscription) {
        List<String> revoked = new ArrayList<>();
        for (ApiKey key : active(owner, subscription)) {
            if (revoke(key.id())) {
                revoked.add(key.id());
            }
        }
        return revoked;
    }

    /** The active keys {@link #revokeAll} would revoke. */
    public List<ApiKey> active(Optional<Subject> owner, Optional<String> subscription) {
        if (owner.isEmpty() && subscription.isEmpty()) {
            throw new IllegalArgumentException("an owner or a subscription is required");
        }
        List<ApiKey> result = new ArrayList<>();
        int offset = 0;
        while (true) {
            KeyQuery.Page page = search(new KeyQuery(owner, Set.of(KeyStatus.ACTIVE), subscription, Map.of(), Map.of(),
                    KeyQuery.Sort.CREATED_AT, true, offset, 1_000));
            result.addAll(page.keys());
            if (!page.hasMore()) {
                return result;
            }
            offset += page.keys().size();
        }
    }

    /** One page of the keys {@code query} matches now. */
    public KeyQuery.Page search(KeyQuery query) {
        return store.search(Objects.requireNonNull(query, "query"), time.now());
    }

    /** The key with this id, as stored. */
    public Optional<ApiKey> find(String keyId) {
        return store.findById(keyId);
    }

    /** The keys owned by {@code owner}, newest first. */
    public List<ApiKey> ownedBy(Subject owner) {
        return store.findByOwner(owner);
    }

    /**
     * Drops a key from the engine's caches, so that its next request reads it from the store: for
     * a store changed behind the engine's back that does not notify its listeners.
     */
    public void invalidate(String keyId) {
        authenticator.invalidate(Objects.requireNonNull(keyId, "keyId"));
    }
}
