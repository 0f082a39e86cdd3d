package dev.maas4j.core;

import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.KeyScope;
import dev.maas4j.api.Subject;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to create a key with. Build with {@link #builder(Subject, String)}.
 *
 * @param owner        who owns the key
 * @param name         a short name
 * @param description  free text
 * @param expiresAt    an absolute expiry
 * @param expiresIn    an expiry relative to creation (used when {@code expiresAt} is empty)
 * @param subscription the subscription to bind the key to
 * @param scope        the assets the key may reach
 * @param limits       the key's own limits
 * @param metadata     free-form labels
 * @param maxLifetime  the longest life this key may have, below the engine's maximum (an ephemeral
 *                     key's, say); a key given no expiry gets the shorter of the two
 * @param maxActiveKeysPerSubscription the most active keys the owner may hold bound to the
 *                     request's subscription, this one included ({@code 0}: no limit)
 */
public record KeyRequest(Subject owner, String name, String description, Optional<Instant> expiresAt,
                         Optional<Duration> expiresIn, Optional<String> subscription, KeyScope scope, KeyLimits limits,
                         Map<String, String> metadata, Optional<Duration> maxLifetime,
                         int maxActiveKeysPerSubscription) {

    /** Validates and copies the components. */
    public KeyRequest {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(expiresIn, "expiresIn");
        expiresIn.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("expiresIn must be positive, was " + d);
            }
        });
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(limits, "limits");
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        maxLifetime.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("maxLifetime must be positive, was " + d);
            }
        });
        if (maxActiveKeysPerSubscription < 0) {
            throw new IllegalArgumentException("maxActiveKeysPerSubscription must not be negative, was "
                    + maxActiveKeysPerSubscription);
        }
    }

    /** A request without a limit on active keys: the components as before that limit was added. */
    public KeyRequest(Subject owner, String name, String description, Optional<Instant> expiresAt,
                      Optional<Duration> expiresIn, Optional<String> subscription, KeyScope scope, KeyLimits limits,
                      Map<String, String> metadata, Optional<Duration> maxLifetime) {
        this(owner, name, description, expiresAt, expiresIn, subscription, scope, limits, metadata, maxLifetime, 0);
    }

    /** A request without a lifetime of its own: the components as before {@code maxLifetime} was added. */
    public KeyRequest(Subject owner, String name, String description, Optional<Instant> expiresAt,
                      Optional<Duration> expiresIn, Optional<String> subscription, KeyScope scope, KeyLimits limits,
                      Map<String, String> metadata) {
        this(owner, name, description, expiresAt, expiresIn, subscription, scope, limits, metadata, Optional.empty());
    }

    /** A builder for a key owned by {@code owner} named {@code name}. */
    public static Builder builder(Subject owner, String name) {
        return new Builder(owner, name);
    }

    /** Builds {@link KeyRequest} values; not thread-safe. */
    public static final class Builder {
        private final Subject owner;
        private final String name;
        private String description = "";
        private Optional<Instant> expiresAt = Optional.empty();
        private Optional<Duration> expiresIn = Optional.empty();
        private Optional<String> subscription = Optional.empty();
        private KeyScope scope = KeyScope.UNRESTRICTED;
        private KeyLimits limits = KeyLimits.NONE;
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private Optional<Duration> maxLifetime = Optional.empty();
        private int maxActiveKeysPerSubscription;

        private Builder(Subject owner, String name) {
            this.owner = owner;
            this.name = name;
        }

        /** Sets the description. */
        public Builder description(String value) {
            description = value;
            return this;
        }

        /** Sets an absolute expiry. */
        public Builder expiresAt(Instant value) {
            expiresAt = Optional.of(value);
            return this;
        }

        /** Sets an expiry relative to creation. */
        public Builder expiresIn(Duration value) {
            expiresIn = Optional.of(value);
            return this;
        }

        /** Binds the key to a subscription. */
        public Builder subscription(String value) {
            subscription = Optional.of(value);
            return this;
        }

        /** Sets the scope. */
        public Builder scope(KeyScope value) {
            scope = value;
            return this;
        }

        /** Sets the key's own limits. */
        public Builder limits(KeyLimits value) {
            limits = value;
            return this;
        }

        /** Adds a label. */
        public Builder putMetadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        /** Sets the longest life this key may have (below the engine's maximum). */
        public Builder maxLifetime(Duration value) {
            maxLifetime = Optional.of(value);
            return this;
        }

        /**
         * Sets the most active keys the owner may hold bound to the subscription, this one included
         * ({@code 0}, the default: no limit).
         */
        public Builder maxActiveKeysPerSubscription(int value) {
            maxActiveKeysPerSubscription = value;
            return this;
        }

        /** Builds the request. */
        public KeyRequest build() {
            return new KeyRequest(owner, name, description, expiresAt, expiresIn, subscription, scope, limits,
                    metadata, maxLifetime, maxActiveKeysPerSubscription);
        }
    }
}
