package dev.maas4j.api;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The stored hash of an API key's secret. Compares in constant time and never shows its bytes in
 * {@link #toString()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SecretHash {
    private final byte[] bytes;

    private SecretHash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of the hash bytes. */
    public static SecretHash of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < 16) {
            throw new IllegalArgumentException("a secret hash must have at least 16 bytes");
        }
        return new SecretHash(bytes.clone());
    }

    /** Parses the hexadecimal form produced by {@link #toHex()}. */
    public static SecretHash fromHex(String hex) {
        return of(HexFormat.of().parseHex(Checks.notBlank(hex, "hex")));
    }

    /** The hash in lower-case hexadecimal, for storage. */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** A copy of the hash bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Whether {@code candidate} equals this hash, compared in constant time. */
    public boolean matches(byte[] candidate) {
        return MessageDigest.isEqual(bytes, candidate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretHash other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "SecretHash[redacted]";
    }
}
