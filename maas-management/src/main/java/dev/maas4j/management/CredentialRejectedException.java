package dev.maas4j.management;

import java.util.Objects;

/**
 * Thrown by an {@link IdentityResolver} that recognises the request's credential as its own (a
 * token of its issuer, say) and rejects it: the management API answers 401 with the
 * {@link Reason#code() reason's code}, so the caller learns why ({@code token_expired},
 * {@code wrong_audience}, ...), and the failure counts against the client's address like every
 * 401. Unlike an empty answer, no further resolver is asked: a token that was recognised and found
 * bad must not be reinterpreted by a weaker resolver.
 *
 * <pre>{@code
 * if (claims.getExpirationTime().toInstant().isBefore(now)) {
 *     throw new CredentialRejectedException(CredentialRejectedException.Reason.EXPIRED, "the token has expired");
 * }
 * }</pre>
 *
 * <p>The message is shown to the client: it must never contain the credential, nor anything
 * taken from it that could be one. Immutable and thread-safe; it carries no stack trace, as it is
 * an expected outcome built on the request path.
 */
public final class CredentialRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    /**
     * A rejection for {@code reason}.
     *
     * @param reason  why the credential is refused
     * @param message shown to the client; never the credential
     */
    public CredentialRejectedException(Reason reason, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the credential is refused. */
    public Reason reason() {
        return reason;
    }

    /** The error code the management API answers, the {@link Reason#code() reason's}. */
    public String code() {
        return reason.code();
    }

    /** Why a credential is refused, each with the {@code error.code} of its 401. */
    public enum Reason {
        /** {@code exp} is past (beyond the clock skew allowed). */
        EXPIRED("token_expired"),
        /** {@code nbf} is still to come (beyond the clock skew allowed). */
        NOT_YET_VALID("token_not_yet_valid"),
        /** The token's issuer is none the API trusts (raised by the management API itself). */
        UNKNOWN_ISSUER("unknown_issuer"),
        /** {@code aud} does not name the configured audience. */
        WRONG_AUDIENCE("wrong_audience"),
        /** The signature does not verify with the issuer's key, or the token was altered. */
        BAD_SIGNATURE("bad_signature"),
        /** The key the token names ({@code kid}) is not in the issuer's key set, even refetched. */
        UNKNOWN_KEY("unknown_key"),
        /** The token is unsigned ({@code alg: none}), encrypted, or signed with an algorithm not allowed. */
        ALGORITHM_NOT_ALLOWED("algorithm_not_allowed"),
        /** A claim the token needs ({@code exp}, the user claim) is missing or of the wrong type. */
        MISSING_CLAIM("missing_claim"),
        /** The token cannot be read (its header or claims are not valid JSON, say). */
        MALFORMED("malformed_token");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The {@code error.code} of the 401, e.g. {@code token_expired}. */
        public String code() {
            return code;
        }
    }
}
