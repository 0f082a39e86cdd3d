package dev.maas4j.core;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Secret;

import java.util.Objects;

/**
 * A key just created: the stored key and its secret, shown this once and never again.
 *
 * @param key    the stored key (holds only a hash of the secret)
 * @param secret the full key to hand to the user ({@code sk-oai-...}); redacted in {@link #toString()}
 */
public record CreatedKey(ApiKey key, Secret secret) {

    /** Validates the components. */
    public CreatedKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(secret, "secret");
    }
}
