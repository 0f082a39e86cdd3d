package dev.maas4j.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The decision for one request: allowed with a {@link Grant}, or refused with a {@link Denial};
 * either way with the {@link RateLimitStatus} for the {@code x-ratelimit-*} headers.
 *
 * @param requestId      the request's id
 * @param grant          present when allowed
 * @param denial         present when refused
 * @param rateLimits     the limits that applied
 * @param reservedTokens the tokens set aside against the limits until the request is settled (0 when refused)
 */
public record Admission(String requestId, Optional<Grant> grant, Optional<Denial> denial,
                        RateLimitStatus rateLimits, long reservedTokens) {

    /** Validates the components: exactly one of grant and denial is present. */
    public Admission {
        requestId = Checks.notBlank(requestId, "requestId");
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(denial, "denial");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Checks.notNegative(reservedTokens, "reservedTokens");
        if (grant.isPresent() == denial.isPresent()) {
            throw new IllegalArgumentException("exactly one of grant and denial must be present");
        }
    }

    /** An allowed request. */
    public static Admission allowed(String requestId, Grant grant, RateLimitStatus rateLimits, long reservedTokens) {
        return new Admission(requestId, Optional.of(grant), Optional.empty(), rateLimits, reservedTokens);
    }

    /**
     * An allowed request, with a grant already wrapped: lets an engine reuse one
     * {@code Optional<Grant>} for every request under the same grant.
     */
    public static Admission allowed(String requestId, Optional<Grant> grant, RateLimitStatus rateLimits,
                                    long reservedTokens) {
        if (grant.isEmpty()) {
            throw new IllegalArgumentException("an allowed admission needs a grant");
        }
        return new Admission(requestId, grant, Optional.empty(), rateLimits, reservedTokens);
    }

    /** A refused request. */
    public static Admission denied(String requestId, Denial denial, RateLimitStatus rateLimits) {
        return new Admission(requestId, Optional.empty(), Optional.of(denial), rateLimits, 0);
    }

    /** Whether the request may proceed. */
    public boolean allowed() {
        return grant.isPresent();
    }
}
