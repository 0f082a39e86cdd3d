package dev.maas4j.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored API key: everything about a key but its secret, of which only a hash is kept.
 *
 * <p>The presented form is {@code sk-oai-{id}_{secret}} (Open Data Hub's MaaS format). The
 * {@link #id()} is public and used to look the key up; the secret is shown once at creation.
 *
 * <p>Immutable; use {@link #toBuilder()} to derive a changed copy.
 *
 * @param id            the public key id, unique
 * @param name          a short name given by the owner
 * @param description   free text, possibly empty
 * @param owner         the user, group or service account that owns the key
 * @param secretHash    the hash of the key's id and secret
 * @param displayPrefix a prefix safe to display, e.g. {@code sk-oai-Ab3x…}
 * @param createdAt     when the key was created
 * @param expiresAt     when the key stops working, if ever
 * @param lastUsedAt    when the key was last used successfully, if ever
 * @param revokedAt     when the key was revoked, if it was
 * @param subscription  the subscription the key is bound to, if any
 * @param scope         the assets the key may reach
 * @param limits        the key's own limits
 * @param metadata       free-form labels
 * @param previousSecret the secret replaced by the last rotation, while it is still accepted (a
 *                       store may drop it once {@link PreviousSecret#validUntil()} has passed)
 */
public record ApiKey(String id, String name, String description, Subject owner, SecretHash secretHash,
                     String displayPrefix, Instant createdAt, Optional<Instant> expiresAt,
                     Optional<Instant> lastUsedAt, Optional<Instant> revokedAt, Optional<String> subscription,
                     KeyScope scope, KeyLimits limits, Map<String, String> metadata,
                     Optional<PreviousSecret> previousSecret) {

    /**
     * A key without a previous secret: the components as before rotation was added (what a store
     * that does not rotate builds).
     */
    public ApiKey(String id, String name, String description, Subject owner, SecretHash secretHash,
                  String displayPrefix, Instant createdAt, Optional<Instant> expiresAt, Optional<Instant> lastUsedAt,
                  Optional<Instant> revokedAt, Optional<String> subscription, KeyScope scope, KeyLimits limits,
                  Map<String, String> metadata) {
        this(id, name, description, owner, secretHash, displayPrefix, createdAt, expiresAt, lastUsedAt, revokedAt,
                subscription, scope, limits, metadata, Optional.empty());
    }

    /** Validates and copies the components. */
    public ApiKey {
        id = Checks.notBlank(id, "id");
        name = Checks.notBlank(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(secretHash, "secretHash");
        displayPrefix = Checks.notBlank(displayPrefix, "displayPrefix");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(limits, "limits");
        metadata = Checks.map(metadata, "metadata");
        Objects.requireNonNull(previousSecret, "previousSecret");
        if (expiresAt.isPresent() && expiresAt.get().isBefore(createdAt)) {
            throw new IllegalArgumentException("expiresAt must not be before createdAt");
        }
    }

    /** The key's status at {@code now}: revoked wins over expired. */
    public KeyStatus status(Instant now) {
        if (revokedAt.isPresent()) {
            return KeyStatus.REVOKED;
        }
        if (expiresAt.isPresent() && !now.isBefore(expiresAt.get())) {
            return KeyStatus.EXPIRED;
        }
        return KeyStatus.ACTIVE;
    }

    /** A builder pre-filled with this key's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder for a new key; id, name, owner, secret hash, display prefix and creation time are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ApiKey} values; not thread-safe. */
    public static final class Builder {
        private String id;
        private String name;
        private String description = "";
        private Subject owner;
        private SecretHash secretHash;
        private String displayPrefix;
        private Instant createdAt;
        private Optional<Instant> expiresAt = Optional.empty();
        private Optional<Instant> lastUsedAt = Optional.empty();
        private Optional<Instant> revokedAt = Optional.empty();
        private Optional<String> subscription = Optional.empty();
        private KeyScope scope = KeyScope.UNRESTRICTED;
        private KeyLimits limits = KeyLimits.NONE;
        private Map<String, String> metadata = new LinkedHashMap<>();
        private Optional<PreviousSecret> previousSecret = Optional.empty();

        private Builder() {
        }

        private Builder(ApiKey key) {
            id = key.id;
            name = key.name;
            description = key.description;
            owner = key.owner;
            secretHash = key.secretHash;
            displayPrefix = key.displayPrefix;
            createdAt = key.createdAt;
            expiresAt = key.expiresAt;
            lastUsedAt = key.lastUsedAt;
            revokedAt = key.revokedAt;
            subscription = key.subscription;
            scope = key.scope;
            limits = key.limits;
            metadata = new LinkedHashMap<>(key.metadata);
            previousSecret = key.previousSecret;
        }

        /** Sets the public id. */
        public Builder id(String value) {
            id = value;
            return this;
        }

        /** Sets the name. */
        public Builder name(String value) {
            name = value;
            return this;
        }

        /** Sets the description. */
        public Builder description(String value) {
            description = Objects.requireNonNull(value, "description");
            return this;
        }

        /** Sets the owner. */
        public Builder owner(Subject value) {
            owner = value;
            return this;
        }

        /** Sets the secret hash. */
        public Builder secretHash(SecretHash value) {
            secretHash = value;
            return this;
        }

        /** Sets the display prefix. */
        public Builder displayPrefix(String value) {
            displayPrefix = value;
            return this;
        }

        /** Sets the creation time. */
        public Builder createdAt(Instant value) {
            createdAt = value;
            return this;
        }

        /** Sets the expiry. */
        public Builder expiresAt(Instant value) {
            expiresAt = Optional.of(value);
            return this;
        }

        /** Sets or clears the expiry. */
        public Builder expiresAt(Optional<Instant> value) {
            expiresAt = Objects.requireNonNull(value, "expiresAt");
            return this;
        }

        /** Sets the last-used time. */
        public Builder lastUsedAt(Instant value) {
            lastUsedAt = Optional.of(value);
            return this;
        }

        /** Sets the revocation time. */
        public Builder revokedAt(Instant value) {
            revokedAt = Optional.of(value);
            return this;
        }

        /** Binds the key to a subscription. */
        public Builder subscription(String value) {
            subscription = Optional.of(Checks.notBlank(value, "subscription"));
            return this;
        }

        /** Binds the key to a subscription, or unbinds it. */
        public Builder subscription(Optional<String> value) {
            subscription = Objects.requireNonNull(value, "subscription");
            return this;
        }

        /** Sets the scope. */
        public Builder scope(KeyScope value) {
            scope = Objects.requireNonNull(value, "scope");
            return this;
        }

        /** Sets the limits. */
        public Builder limits(KeyLimits value) {
            limits = Objects.requireNonNull(value, "limits");
            return this;
        }

        /** Replaces the metadata. */
        public Builder metadata(Map<String, String> value) {
            metadata = new LinkedHashMap<>(Objects.requireNonNull(value, "metadata"));
            return this;
        }

        /** Adds one metadata entry. */
        public Builder putMetadata(String key, String value) {
            metadata.put(Checks.notBlank(key, "metadata key"), Objects.requireNonNull(value, "metadata value"));
            return this;
        }

        /** Sets or clears the previous secret (kept by a rotation for its overlap). */
        public Builder previousSecret(Optional<PreviousSecret> value) {
            previousSecret = Objects.requireNonNull(value, "previousSecret");
            return this;
        }

        /** Builds the key. */
        public ApiKey build() {
            return new ApiKey(id, name, description, owner, secretHash, displayPrefix, createdAt, expiresAt,
                    lastUsedAt, revokedAt, subscription, scope, limits, metadata, previousSecret);
        }
    }
}
