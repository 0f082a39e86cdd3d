package dev.maas4j.management;

import dev.maas4j.api.Secret;
import jakarta.servlet.http.HttpServletRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Accepts management tokens declared in configuration ({@code Authorization: Bearer <token>}):
 * the bootstrap administrator, and users of small set-ups with no identity provider.
 *
 * <p>Only SHA-256 hashes of the tokens are kept. A presented token is hashed and compared with
 * every declared hash in constant time, without stopping at a match, so neither the comparison nor
 * the position of a match shows in the response time. Configuration can hold the hash alone
 * ({@link Builder#addHashedToken}), so that the plain token lives only with its holder.
 *
 * <pre>{@code
 * Secret bootstrap = BearerTokenResolver.generateToken();      // print once, then forget
 * BearerTokenResolver tokens = BearerTokenResolver.builder()
 *         .addHashedToken(BearerTokenResolver.sha256Hex(bootstrap.reveal()),
 *                 Caller.of("bootstrap-admin", Set.of(), Role.ADMIN))
 *         .addToken(System.getenv("REPORTING_TOKEN"), Caller.of("reporting", Set.of(), Role.ADMIN_READONLY))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class BearerTokenResolver implements IdentityResolver {
    /** Tokens shorter than this are refused at configuration time: they could be guessed. */
    public static final int MIN_TOKEN_LENGTH = 16;
    private static final String GENERATED_PREFIX = "mgmt-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<Entry> entries;

    private BearerTokenResolver(List<Entry> entries) {
        this.entries = entries;
    }

    /** A builder with no token. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A new random token (256 bits, URL-safe) for a bootstrap administrator. Its
     * {@code toString()} is redacted; {@link Secret#reveal()} it once to show it to the operator.
     */
    public static Secret generateToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Secret.of(GENERATED_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** The lower-case hexadecimal SHA-256 of a token, the form {@link Builder#addHashedToken} takes. */
    public static String sha256Hex(String plainToken) {
        return HexFormat.of().formatHex(sha256(Objects.requireNonNull(plainToken, "plainToken")));
    }

    /** How many tokens are declared. */
    public int size() {
        return entries.size();
    }

    @Override
    public Optional<Caller> resolve(HttpServletRequest request) {
        Optional<String> token = bearerToken(request);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(token.get());
        Caller match = null;
        for (Entry entry : entries) {
            // no early exit: the time taken must not depend on which entry, if any, matches
            if (MessageDigest.isEqual(presented, entry.hash) && match == null) {
                match = entry.caller;
            }
        }
        return Optional.ofNullable(match);
    }

    @Override
    public String toString() {
        return "BearerTokenResolver[" + entries.size() + " token(s)]";
    }

    /** The credential of {@code Authorization: Bearer <token>}, if the request has one. */
    static Optional<String> bearerToken(HttpServletRequest request) {
        return dev.maas4j.core.Credentials.bearer(request.getHeader("Authorization"));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private record Entry(byte[] hash, Caller caller) {
        @Override
        public String toString() {
            return "Entry[" + caller.user() + "]";
        }
    }

    /** Builds a {@link BearerTokenResolver}; not thread-safe. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        private Builder() {
        }

        /**
         * Declares a token in plain text; only its hash is kept.
         *
         * @throws IllegalArgumentException if the token is shorter than {@value #MIN_TOKEN_LENGTH}
         *                                  characters, contains white space, looks like an API key
         *                                  or is declared already
         */
        public Builder addToken(String plainToken, Caller caller) {
            Objects.requireNonNull(plainToken, "plainToken");
            if (plainToken.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("a management token must have at least " + MIN_TOKEN_LENGTH
                        + " characters");
            }
            if (plainToken.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a management token must not contain white space");
            }
            if (plainToken.startsWith("sk-oai-")) {
                throw new IllegalArgumentException(
                        "a management token must not look like an API key (sk-oai-...): API keys are refused on the management API");
            }
            return add(sha256(plainToken), caller);
        }

        /** Declares a token in plain text held as a {@link Secret}; only its hash is kept. */
        public Builder addToken(Secret plainToken, Caller caller) {
            return addToken(Objects.requireNonNull(plainToken, "plainToken").reveal(), caller);
        }

        /**
         * Declares a token by its SHA-256 in hexadecimal, as {@link #sha256Hex(String)} computes it
         * (e.g. {@code printf %s "$TOKEN" | sha256sum}).
         *
         * @throws IllegalArgumentException if the hash is not 64 hexadecimal digits or is declared already
         */
        public Builder addHashedToken(String sha256Hex, Caller caller) {
            Objects.requireNonNull(sha256Hex, "sha256Hex");
            if (!sha256Hex.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("sha256Hex must be 64 hexadecimal digits");
            }
            return add(HexFormat.of().parseHex(sha256Hex.toLowerCase(java.util.Locale.ROOT)), caller);
        }

        private Builder add(byte[] hash, Caller caller) {
            Objects.requireNonNull(caller, "caller");
            for (Entry entry : entries) {
                if (MessageDigest.isEqual(entry.hash, hash)) {
                    throw new IllegalArgumentException("this token is already declared (for '"
                            + entry.caller.user() + "')");
                }
            }
            entries.add(new Entry(hash, caller));
            return this;
        }

        /** Builds the resolver; a resolver with no token accepts nobody. */
        public BearerTokenResolver build() {
            return new BearerTokenResolver(List.copyOf(entries));
        }
    }
}
