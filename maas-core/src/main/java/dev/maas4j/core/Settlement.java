package dev.maas4j.core;

import dev.maas4j.api.Outcome;
import dev.maas4j.api.TokenUsage;

import java.util.Objects;
import java.util.Optional;

/**
 * What an adapter saw of an admitted request's answer, handed to {@link Lease#settle(Settlement)},
 * which decides from it what the request is charged: every adapter (the servlet filter, the proxy,
 * an ext-authz service) settles by the same rules.
 *
 * <pre>{@code
 * lease.settle(Settlement.builder(response.getStatus())
 *         .usage(observer.usageOrEstimate(promptEstimate))      // reported, or estimated and flagged
 *         .reported(observer.reportedUsage().isPresent())
 *         .outputProduced(observer.generatedCharacters() > 0)
 *         .clientGone(clientWentAway)
 *         .build());
 * }</pre>
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>the client went away mid-answer: charged the usage so far ({@link Outcome#CLIENT_ABORTED});</li>
 *   <li>a 5xx before any output, with no usage reported and the upstream not broken off mid-answer:
 *       charged nothing ({@link Outcome#UPSTREAM_ERROR});</li>
 *   <li>another error status (4xx) with no usage reported and no output: the model refused the
 *       request, charged nothing;</li>
 *   <li>otherwise: charged the usage (reported, or the estimate, flagged), or, when the adapter saw
 *       none, the prompt estimate.</li>
 * </ol>
 * Immutable and thread-safe.
 *
 * @param httpStatus       the status the client got
 * @param usage            the usage seen: reported by the model, or the adapter's estimate (flagged)
 * @param reported         whether the model reported its usage
 * @param outputProduced   whether any output was produced
 * @param clientGone       whether the client went away before the answer ended
 * @param upstreamBrokeOff whether the upstream broke off after output had started
 */
public record Settlement(int httpStatus, Optional<TokenUsage> usage, boolean reported, boolean outputProduced,
                         boolean clientGone, boolean upstreamBrokeOff) {

    /** Validates the components. */
    public Settlement {
        Objects.requireNonNull(usage, "usage");
        if (httpStatus < 0 || httpStatus > 999) {
            throw new IllegalArgumentException("httpStatus must be an HTTP status, was " + httpStatus);
        }
    }

    /** A builder for an answer of {@code httpStatus}. */
    public static Builder builder(int httpStatus) {
        return new Builder(httpStatus);
    }

    /** How the request ends, by the rules above. */
    Outcome outcome() {
        if (clientGone) {
            return Outcome.CLIENT_ABORTED;
        }
        if (httpStatus >= 500 && !reported && !outputProduced && !upstreamBrokeOff) {
            return Outcome.UPSTREAM_ERROR;
        }
        return Outcome.SUCCESS;
    }

    /** What the request is charged, by the rules above. */
    TokenUsage charge(long promptTokensEstimate) {
        if (!clientGone && httpStatus >= 400 && !reported && !outputProduced) {
            return TokenUsage.NONE;
        }
        return usage.orElseGet(() -> TokenUsage.estimated(promptTokensEstimate, 0));
    }

    /** The status recorded with the usage: 499 for a client that went away, as nginx logs it. */
    int recordedStatus() {
        return clientGone ? 499 : httpStatus;
    }

    /** Builds {@link Settlement} values; not thread-safe. */
    public static final class Builder {
        private final int httpStatus;
        private Optional<TokenUsage> usage = Optional.empty();
        private boolean reported;
        private boolean outputProduced;
        private boolean clientGone;
        private boolean upstreamBrokeOff;

        private Builder(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** The usage seen (reported, or estimated and flagged); none when nothing was observed. */
        public Builder usage(TokenUsage value) {
            usage = Optional.of(Objects.requireNonNull(value, "usage"));
            return this;
        }

        /** Whether the model reported its usage. */
        public Builder reported(boolean value) {
            reported = value;
            return this;
        }

        /** Whether any output was produced. */
        public Builder outputProduced(boolean value) {
            outputProduced = value;
            return this;
        }

        /** Whether the client went away before the answer ended. */
        public Builder clientGone(boolean value) {
            clientGone = value;
            return this;
        }

        /** Whether the upstream broke off after output had started. */
        public Builder upstreamBrokeOff(boolean value) {
            upstreamBrokeOff = value;
            return this;
        }

        /** Builds the settlement. */
        public Settlement build() {
            return new Settlement(httpStatus, usage, reported, outputProduced, clientGone, upstreamBrokeOff);
        }
    }
}
