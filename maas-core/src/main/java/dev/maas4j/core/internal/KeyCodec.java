package dev.maas4j.core.internal;

import dev.maas4j.api.Secret;
import dev.maas4j.api.SecretHash;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code sk-oai-{keyId}_{secret}} key format of Open Data Hub's MaaS: a public id of 128
 * random bits and a secret of 256 random bits, both base62. Stores keep
 * {@code SHA-256(id "_" secret)}, or {@code HMAC-SHA256(serverSecret, id "_" secret)} when a server
 * secret is configured, so a leaked table cannot be checked offline without it.
 *
 * <p>Thread-safe: digests are per thread.
 */
public final class KeyCodec {
    /** The prefix of every key. */
    public static final String PREFIX = "sk-oai-";
    static final int ID_BYTES = 16;
    static final int SECRET_BYTES = 32;
    static final int ID_LENGTH = Base62.lengthFor(ID_BYTES);
    static final int SECRET_LENGTH = Base62.lengthFor(SECRET_BYTES);
    private static final int KEY_LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH;

    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Hasher> hashers;

    /** A codec with an optional server secret for keyed hashing. */
    public KeyCodec(Optional<Secret> serverSecret) {
        byte[] pepper = serverSecret.map(s -> s.reveal().getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.hashers = ThreadLocal.withInitial(() -> new Hasher(pepper));
    }

    /** A new key: its public id and the full presented form (shown once). */
    public NewKey generate() {
        byte[] idBytes = new byte[ID_BYTES];
        byte[] secretBytes = new byte[SECRET_BYTES];
        random.nextBytes(idBytes);
        random.nextBytes(secretBytes);
        String id = Base62.encode(idBytes, ID_LENGTH);
        String presented = PREFIX + id + "_" + Base62.encode(secretBytes, SECRET_LENGTH);
        return new NewKey(id, Secret.of(presented), hash(presented), PREFIX + id.substring(0, 4) + "\u2026");
    }

    /**
     * A new secret for the existing key {@code id} (a rotation): the same id, so that the key keeps
     * its settings and usage, and a new presented form and hash.
     */
    public NewKey generateFor(String id) {
        if (id.length() != ID_LENGTH) {
            throw new IllegalArgumentException("not a key id of this format");
        }
        byte[] secretBytes = new byte[SECRET_BYTES];
        random.nextBytes(secretBytes);
        String presented = PREFIX + id + "_" + Base62.encode(secretBytes, SECRET_LENGTH);
        return new NewKey(id, Secret.of(presented), hash(presented), PREFIX + id.substring(0, 4) + "\u2026");
    }

    /** A generated key. */
    public record NewKey(String id, Secret presented, SecretHash hash, String displayPrefix) {
    }

    /**
     * The key id of a presented key, or {@code null} when the text is not in the key format.
     * Allocates only the id string.
     */
    public static String idOf(String presented) {
        if (presented.length() != KEY_LENGTH || !presented.startsWith(PREFIX)
                || presented.charAt(PREFIX.length() + ID_LENGTH) != '_') {
            return null;
        }
        for (int i = PREFIX.length(); i < KEY_LENGTH; i++) {
            if (i != PREFIX.length() + ID_LENGTH && !Base62.isBase62(presented.charAt(i))) {
                return null;
            }
        }
        return presented.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
    }

    /** The stored hash of a presented key. */
    public SecretHash hash(String presented) {
        return SecretHash.of(hashers.get().digest(presented).clone());
    }

    /** Whether the presented key hashes to {@code expected}, compared in constant time. */
    public boolean verify(String presented, SecretHash expected) {
        return expected.matches(hashers.get().digest(presented));
    }

    /** A per-thread digest with reusable buffers: hashing a presented key allocates nothing. */
    private static final class Hasher {
        private final MessageDigest sha256;
        private final Mac hmac;
        private final byte[] input = new byte[KEY_LENGTH * 3];
        private final byte[] output = new byte[32];

        Hasher(byte[] pepper) {
            try {
                if (pepper == null) {
                    sha256 = MessageDigest.getInstance("SHA-256");
                    hmac = null;
                } else {
                    sha256 = null;
                    hmac = Mac.getInstance("HmacSHA256");
                    hmac.init(new SecretKeySpec(pepper, "HmacSHA256"));
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        }

        /** The digest in a buffer reused by the next call on this thread. */
        byte[] digest(String presented) {
            byte[] bytes = input;
            int length = presented.length();
            if (length > bytes.length) {
                bytes = presented.getBytes(StandardCharsets.UTF_8);
                length = bytes.length;
            } else {
                // keys are ASCII; a non-ASCII char only makes the hash differ, which is the right answer
                for (int i = 0; i < length; i++) {
                    bytes[i] = (byte) presented.charAt(i);
                }
            }
            try {
                if (sha256 != null) {
                    sha256.update(bytes, 0, length);
                    sha256.digest(output, 0, output.length);
                } else {
                    hmac.update(bytes, 0, length);
                    hmac.doFinal(output, 0);
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("digest failed", e);
            }
            return output;
        }
    }
}
