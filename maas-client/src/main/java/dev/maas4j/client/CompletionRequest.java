package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.maas4j.client.internal.StringOrListJson;
import dev.maas4j.client.internal.Values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A legacy text completion request ({@code POST /completions}).
 *
 * <pre>{@code
 * CompletionRequest request = CompletionRequest.builder().model("granite").prompt("Once upon a time").maxTokens(50).build();
 * }</pre>
 *
 * @param model            the model's name
 * @param prompt           one or more prompts
 * @param maxTokens        completion length limit
 * @param temperature      sampling temperature
 * @param topP             nucleus sampling mass
 * @param n                choices per prompt
 * @param stop             stop sequences, possibly empty
 * @param echo             whether to echo the prompt
 * @param logprobs         how many log probabilities per token
 * @param seed             sampling seed
 * @param suffix           text after the completion
 * @param user             an end-user id
 * @param presencePenalty  presence penalty
 * @param frequencyPenalty frequency penalty
 * @param streamOptions    options for streamed calls
 * @param extra            further properties, written as given
 */
public record CompletionRequest(
        String model,
        @JsonSerialize(using = StringOrListJson.class) List<String> prompt,
        Optional<Integer> maxTokens,
        Optional<Double> temperature,
        Optional<Double> topP,
        Optional<Integer> n,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> stop,
        Optional<Boolean> echo,
        Optional<Integer> logprobs,
        Optional<Long> seed,
        Optional<String> suffix,
        Optional<String> user,
        Optional<Double> presencePenalty,
        Optional<Double> frequencyPenalty,
        Optional<StreamOptions> streamOptions,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public CompletionRequest {
        Values.notBlank(model, "model");
        prompt = Values.list(prompt);
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("prompt must not be empty");
        }
        maxTokens = Values.opt(maxTokens);
        temperature = Values.opt(temperature);
        topP = Values.opt(topP);
        n = Values.opt(n);
        stop = Values.list(stop);
        echo = Values.opt(echo);
        logprobs = Values.opt(logprobs);
        seed = Values.opt(seed);
        suffix = Values.opt(suffix);
        user = Values.opt(user);
        presencePenalty = Values.opt(presencePenalty);
        frequencyPenalty = Values.opt(frequencyPenalty);
        streamOptions = Values.opt(streamOptions);
        extra = Values.extra(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CompletionRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private final List<String> prompt = new ArrayList<>();
        private Optional<Integer> maxTokens = Optional.empty();
        private Optional<Double> temperature = Optional.empty();
        private Optional<Double> topP = Optional.empty();
        private Optional<Integer> n = Optional.empty();
        private final List<String> stop = new ArrayList<>();
        private Optional<Boolean> echo = Optional.empty();
        private Optional<Integer> logprobs = Optional.empty();
        private Optional<Long> seed = Optional.empty();
        private Optional<String> suffix = Optional.empty();
        private Optional<String> user = Optional.empty();
        private Optional<Double> presencePenalty = Optional.empty();
        private Optional<Double> frequencyPenalty = Optional.empty();
        private Optional<StreamOptions> streamOptions = Optional.empty();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the model (required). */
        public Builder model(String value) {
            this.model = Values.notBlank(value, "model");
            return this;
        }

        /** Replaces the prompts (one or more, required). */
        public Builder prompt(String... values) {
            prompt.clear();
            for (String v : values) {
                prompt.add(Objects.requireNonNull(v, "prompt"));
            }
            return this;
        }

        /** Sets the completion length limit. */
        public Builder maxTokens(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxTokens must be positive, was " + value);
            }
            this.maxTokens = Optional.of(value);
            return this;
        }

        /** Sets the sampling temperature. */
        public Builder temperature(double value) {
            this.temperature = Optional.of(value);
            return this;
        }

        /** Sets nucleus sampling. */
        public Builder topP(double value) {
            this.topP = Optional.of(value);
            return this;
        }

        /** Sets the number of choices per prompt. */
        public Builder n(int value) {
            this.n = Optional.of(value);
            return this;
        }

        /** Replaces the stop sequences. */
        public Builder stop(String... values) {
            stop.clear();
            stop.addAll(List.of(values));
            return this;
        }

        /** Sets whether to echo the prompt. */
        public Builder echo(boolean value) {
            this.echo = Optional.of(value);
            return this;
        }

        /** Sets how many log probabilities per token. */
        public Builder logprobs(int value) {
            this.logprobs = Optional.of(value);
            return this;
        }

        /** Sets the sampling seed. */
        public Builder seed(long value) {
            this.seed = Optional.of(value);
            return this;
        }

        /** Sets the suffix. */
        public Builder suffix(String value) {
            this.suffix = Optional.of(Objects.requireNonNull(value, "suffix"));
            return this;
        }

        /** Sets the end-user id. */
        public Builder user(String value) {
            this.user = Optional.of(Values.notBlank(value, "user"));
            return this;
        }

        /** Sets the presence penalty. */
        public Builder presencePenalty(double value) {
            this.presencePenalty = Optional.of(value);
            return this;
        }

        /** Sets the frequency penalty. */
        public Builder frequencyPenalty(double value) {
            this.frequencyPenalty = Optional.of(value);
            return this;
        }

        /** Sets the stream options. */
        public Builder streamOptions(StreamOptions value) {
            this.streamOptions = Optional.of(Objects.requireNonNull(value, "streamOptions"));
            return this;
        }

        /** Adds a property this version has no setter for; it is written as given. */
        public Builder putExtra(String property, Object value) {
            extra.put(Values.notBlank(property, "property"), value);
            return this;
        }

        /** Builds the request; fails if the model or the prompt is missing. */
        public CompletionRequest build() {
            if (model == null) {
                throw new IllegalStateException("model is required");
            }
            return new CompletionRequest(model, prompt, maxTokens, temperature, topP, n, stop, echo, logprobs,
                    seed, suffix, user, presencePenalty, frequencyPenalty, streamOptions, extra);
        }
    }
}
