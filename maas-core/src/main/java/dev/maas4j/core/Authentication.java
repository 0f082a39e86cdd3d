package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Denial;
import dev.maas4j.api.Identity;
import dev.maas4j.core.internal.KeyEntry;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of checking a presented API key with {@link MaasEngine#authenticate(String)}: the key
 * and the identity it acts as, or why it was refused.
 *
 * <p>A successful authentication can be handed to {@link MaasEngine#admit(AdmissionRequest, Authentication)}
 * once the rest of the request is known, so that an adapter refuses a bad key from the headers alone,
 * before reading a byte of the body, and the key is not verified twice. Only the engine creates
 * instances. Immutable and thread-safe; {@link #toString()} shows no secret.
 */
public final class Authentication {
    // kept bare, not as Optionals: the request path asks only succeeded(), and allocates one object
    /** The verified cache entry, for {@link MaasEngine#admit(AdmissionRequest, Authentication)}; null on failure. */
    private final KeyEntry entry;
    private final Identity identity;
    private final Denial denial;
    private final MaasEngine engine;

    private Authentication(KeyEntry entry, Identity identity, Denial denial, MaasEngine engine) {
        this.entry = entry;
        this.identity = identity;
        this.denial = denial;
        this.engine = engine;
    }

    /** The key, when valid. */
    public Optional<ApiKey> key() {
        return entry == null ? Optional.empty() : Optional.of(entry.key());
    }

    /** Its owner's identity at authentication, when valid. */
    public Optional<Identity> identity() {
        return Optional.ofNullable(identity);
    }

    /** Why it was refused (401, or 503 when the key store is unavailable), when invalid. */
    public Optional<Denial> denial() {
        return Optional.ofNullable(denial);
    }

    /** Whether the key is valid. */
    public boolean succeeded() {
        return denial == null;
    }

    /** The identity of a successful authentication (null otherwise), without an Optional. */
    Identity identityOrNull() {
        return identity;
    }

    static Authentication success(KeyEntry entry, Identity identity, MaasEngine engine) {
        return new Authentication(Objects.requireNonNull(entry, "entry"), Objects.requireNonNull(identity, "identity"),
                null, engine);
    }

    static Authentication failure(Denial denial) {
        return new Authentication(null, null, Objects.requireNonNull(denial, "denial"), null);
    }

    KeyEntry entry() {
        return entry;
    }

    /** Whether {@code candidate} is the engine that produced this authentication. */
    boolean issuedBy(MaasEngine candidate) {
        return engine == candidate;
    }

    @Override
    public String toString() {
        return succeeded() ? "Authentication[key " + entry.key().id() + ", " + identity.user() + "]"
                : "Authentication[refused: " + denial.reason() + "]";
    }
}
