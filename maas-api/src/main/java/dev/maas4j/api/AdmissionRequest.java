package dev.maas4j.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the engine needs to know about a request before it reaches the model.
 *
 * <p>The presented key is held as given and never appears in {@link #toString()}.
 *
 * @param presentedKey          the API key as the client sent it ({@code sk-oai-...}), empty when none was sent
 * @param model                 the model named by the request
 * @param endpoint              the kind of endpoint called
 * @param promptTokensEstimate  estimated prompt tokens (from the body size), used for reservations
 * @param maxOutputTokens       the request's {@code max_tokens} / {@code max_completion_tokens}, if given: the
 *                              limit of each choice, not of the whole answer
 * @param choices               how many completions the request asks for ({@code max(n, best_of, 1)}), at
 *                              least 1; every reservation and usage bound multiplies the completion part by it
 * @param stream                whether the client asked for a stream
 * @param requestedSubscription a subscription the client asked to be charged ({@code X-MaaS-Subscription}),
 *                              checked against eligibility
 * @param requestId             a unique id for the request
 * @param namespace             the namespace the request's route names ({@code /<namespace>/<model>/v1/...}), if
 *                              any: a model published in another namespace is not found
 */
public record AdmissionRequest(Optional<Secret> presentedKey, String model, EndpointKind endpoint,
                               long promptTokensEstimate, OptionalLong maxOutputTokens, int choices,
                               boolean stream, Optional<String> requestedSubscription, String requestId,
                               Optional<String> namespace) {

    /** Validates the components. */
    public AdmissionRequest {
        Objects.requireNonNull(presentedKey, "presentedKey");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(endpoint, "endpoint");
        Checks.notNegative(promptTokensEstimate, "promptTokensEstimate");
        Objects.requireNonNull(maxOutputTokens, "maxOutputTokens");
        maxOutputTokens.ifPresent(v -> Checks.notNegative(v, "maxOutputTokens"));
        Checks.positive(choices, "choices");
        Objects.requireNonNull(requestedSubscription, "requestedSubscription");
        requestId = Checks.notBlank(requestId, "requestId");
        Objects.requireNonNull(namespace, "namespace");
    }

    /** A request that names no namespace: the components as before {@code namespace} was added. */
    public AdmissionRequest(Optional<Secret> presentedKey, String model, EndpointKind endpoint,
                            long promptTokensEstimate, OptionalLong maxOutputTokens, int choices, boolean stream,
                            Optional<String> requestedSubscription, String requestId) {
        this(presentedKey, model, endpoint, promptTokensEstimate, maxOutputTokens, choices, stream,
                requestedSubscription, requestId, Optional.empty());
    }

    /**
     * A request for one completion ({@code choices} 1): the components as before {@code choices}
     * was added.
     */
    public AdmissionRequest(Optional<Secret> presentedKey, String model, EndpointKind endpoint,
                            long promptTokensEstimate, OptionalLong maxOutputTokens, boolean stream,
                            Optional<String> requestedSubscription, String requestId) {
        this(presentedKey, model, endpoint, promptTokensEstimate, maxOutputTokens, 1, stream, requestedSubscription,
                requestId);
    }

    /** A builder for a request to {@code model} with the presented key. */
    public static Builder builder(String presentedKey, String model) {
        return new Builder(presentedKey, model);
    }

    /** Builds {@link AdmissionRequest} values; not thread-safe. */
    public static final class Builder {
        private final Optional<Secret> presentedKey;
        private final String model;
        private EndpointKind endpoint = EndpointKind.CHAT_COMPLETIONS;
        private long promptTokensEstimate;
        private OptionalLong maxOutputTokens = OptionalLong.empty();
        private int choices = 1;
        private boolean stream;
        private Optional<String> requestedSubscription = Optional.empty();
        private String requestId;
        private Optional<String> namespace = Optional.empty();

        private Builder(String presentedKey, String model) {
            this.presentedKey = presentedKey == null || presentedKey.isBlank()
                    ? Optional.empty() : Optional.of(Secret.of(presentedKey));
            this.model = Objects.requireNonNull(model, "model");
        }

        /** Sets the endpoint kind (default chat completions). */
        public Builder endpoint(EndpointKind value) {
            endpoint = value;
            return this;
        }

        /** Sets the prompt token estimate. */
        public Builder promptTokensEstimate(long value) {
            promptTokensEstimate = value;
            return this;
        }

        /** Sets {@code max_tokens}, the limit of each choice. */
        public Builder maxOutputTokens(long value) {
            maxOutputTokens = OptionalLong.of(value);
            return this;
        }

        /**
         * Sets how many completions the request asks for, {@code max(n, best_of, 1)} (default 1).
         *
         * @throws IllegalArgumentException if {@code value} is below 1
         */
        public Builder choices(int value) {
            choices = (int) Checks.positive(value, "choices");
            return this;
        }

        /** Marks the request as streamed. */
        public Builder stream(boolean value) {
            stream = value;
            return this;
        }

        /** Asks for a subscription. */
        public Builder requestedSubscription(String value) {
            requestedSubscription = Optional.of(Checks.notBlank(value, "requestedSubscription"));
            return this;
        }

        /** Sets the namespace the request's route names. */
        public Builder namespace(String value) {
            namespace = Optional.of(Checks.notBlank(value, "namespace"));
            return this;
        }

        /** Sets the request id (default: a new {@link RequestIds#next() time-ordered id}). */
        public Builder requestId(String value) {
            requestId = value;
            return this;
        }

        /** Builds the request. */
        public AdmissionRequest build() {
            return new AdmissionRequest(presentedKey, model, endpoint, promptTokensEstimate, maxOutputTokens, choices,
                    stream, requestedSubscription, requestId == null ? RequestIds.next() : requestId, namespace);
        }
    }
}
