package dev.maas4j.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Why a request was refused and what to tell the client.
 *
 * @param reason     the reason
 * @param message    a message for the client; never contains a secret
 * @param retryAfter how long to wait before retrying, {@link Duration#ZERO} when retrying will not help
 */
public record Denial(DenialReason reason, String message, Duration retryAfter) {

    /** Validates the components. */
    public Denial {
        Objects.requireNonNull(reason, "reason");
        message = Checks.notBlank(message, "message");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
    }

    /** A denial that retrying does not cure. */
    public static Denial of(DenialReason reason, String message) {
        return new Denial(reason, message, Duration.ZERO);
    }

    /** The HTTP status to answer with. */
    public int httpStatus() {
        return reason.httpStatus();
    }

    /** {@code Retry-After} in whole seconds, rounded up; 0 when not applicable. */
    public long retryAfterSeconds() {
        long seconds = retryAfter.toSeconds();
        return retryAfter.equals(Duration.ofSeconds(seconds)) ? seconds : seconds + 1;
    }
}
