package dev.maas4j.api;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * A plain-text secret (a freshly created API key, an upstream credential) that never shows itself
 * in {@link #toString()}, logs or exception messages. Call {@link #reveal()} only where the value
 * must leave the process (the response that shows a new key once, an upstream request header).
 *
 * <p>Immutable and thread-safe; {@link #equals(Object)} compares in constant time.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Wraps a secret value. */
    public static Secret of(String value) {
        return new Secret(Checks.notBlank(value, "secret"));
    }

    /** The secret itself. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 31; // a hash of the value could leak information about it
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
