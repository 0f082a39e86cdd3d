package dev.maas4j.core;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Denial;
import dev.maas4j.api.Identity;

import java.util.Optional;

/**
 * The result of checking a presented API key: the key and the identity it acts as, or why it
 * was refused.
 *
 * @param key      the key, when valid
 * @param identity its owner's identity now, when valid
 * @param denial   why it was refused (401), when invalid
 */
public record Authentication(Optional<ApiKey> key, Optional<Identity> identity, Optional<Denial> denial) {

    /** Whether the key is valid. */
    public boolean succeeded() {
        return denial.isEmpty();
    }

    static Authentication success(ApiKey key, Identity identity) {
        return new Authentication(Optional.of(key), Optional.of(identity), Optional.empty());
    }

    static Authentication failure(Denial denial) {
        return new Authentication(Optional.empty(), Optional.empty(), Optional.of(denial));
    }
}
