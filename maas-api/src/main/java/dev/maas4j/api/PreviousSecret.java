package dev.maas4j.api;

import java.time.Instant;
import java.util.Objects;

/**
 * The secret a key had before it was rotated, still accepted until {@link #validUntil()} so that
 * the clients holding it can move to the new one (the rotation's overlap). Only its hash is kept,
 * as for the current secret.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hash       the hash of the previous presented key
 * @param validUntil the instant from which it is refused
 */
public record PreviousSecret(SecretHash hash, Instant validUntil) {

    /** Validates the components. */
    public PreviousSecret {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(validUntil, "validUntil");
    }

    /** Whether the previous secret is still accepted at {@code now}. */
    public boolean validAt(Instant now) {
        return now.isBefore(validUntil);
    }
}
