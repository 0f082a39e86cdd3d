package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.maas4j.client.internal.Values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A chat completion request ({@code POST /chat/completions}). Whether the answer is streamed is
 * chosen by the call ({@link ChatCompletions#create} or {@link ChatCompletions#stream}), not here.
 *
 * <pre>{@code
 * ChatCompletionRequest request = ChatCompletionRequest.builder()
 *         .model("granite-3-8b-instruct")
 *         .addMessage(ChatMessage.user("Say hello"))
 *         .temperature(0.2)
 *         .maxCompletionTokens(100)
 *         .build();
 * }</pre>
 *
 * <p>Parameters a server supports beyond the OpenAI API (vLLM's {@code top_k},
 * {@code chat_template_kwargs}, ...) go in {@link Builder#putExtra(String, Object)}.
 *
 * @param model               the model's name
 * @param messages            the conversation so far, at least one message
 * @param temperature         sampling temperature
 * @param topP                nucleus sampling mass
 * @param n                   number of choices
 * @param maxTokens           the legacy completion-length limit ({@code max_tokens})
 * @param maxCompletionTokens the completion-length limit including reasoning ({@code max_completion_tokens})
 * @param stop                stop sequences, possibly empty
 * @param presencePenalty     presence penalty
 * @param frequencyPenalty    frequency penalty
 * @param seed                sampling seed
 * @param user                an end-user id for abuse monitoring
 * @param tools               tools the model may call, possibly empty
 * @param toolChoice          whether and which tool to call
 * @param parallelToolCalls   whether several tools may be called at once
 * @param responseFormat      the output format
 * @param streamOptions       options for streamed calls
 * @param logprobs            whether to return log probabilities
 * @param topLogprobs         how many alternatives per token with log probabilities
 * @param reasoningEffort     reasoning effort of reasoning models ({@code low}, {@code medium}, {@code high})
 * @param extra               further properties, written as given
 */
public record ChatCompletionRequest(
        String model,
        List<ChatMessage> messages,
        Optional<Double> temperature,
        Optional<Double> topP,
        Optional<Integer> n,
        Optional<Integer> maxTokens,
        Optional<Integer> maxCompletionTokens,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> stop,
        Optional<Double> presencePenalty,
        Optional<Double> frequencyPenalty,
        Optional<Long> seed,
        Optional<String> user,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Tool> tools,
        Optional<ToolChoice> toolChoice,
        Optional<Boolean> parallelToolCalls,
        Optional<ResponseFormat> responseFormat,
        Optional<StreamOptions> streamOptions,
        Optional<Boolean> logprobs,
        Optional<Integer> topLogprobs,
        Optional<String> reasoningEffort,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public ChatCompletionRequest {
        Values.notBlank(model, "model");
        messages = Values.list(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        temperature = Values.opt(temperature);
        topP = Values.opt(topP);
        n = Values.opt(n);
        maxTokens = Values.opt(maxTokens);
        maxCompletionTokens = Values.opt(maxCompletionTokens);
        stop = Values.list(stop);
        presencePenalty = Values.opt(presencePenalty);
        frequencyPenalty = Values.opt(frequencyPenalty);
        seed = Values.opt(seed);
        user = Values.opt(user);
        tools = Values.list(tools);
        toolChoice = Values.opt(toolChoice);
        parallelToolCalls = Values.opt(parallelToolCalls);
        responseFormat = Values.opt(responseFormat);
        streamOptions = Values.opt(streamOptions);
        logprobs = Values.opt(logprobs);
        topLogprobs = Values.opt(topLogprobs);
        reasoningEffort = Values.opt(reasoningEffort);
        extra = Values.extra(extra);
    }

    /** A request for {@code model} with one user message. */
    public static ChatCompletionRequest of(String model, String userMessage) {
        return builder().model(model).addMessage(ChatMessage.user(userMessage)).build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this request, e.g. to append the assistant's answer and ask again. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.messages.addAll(messages);
        b.temperature = temperature;
        b.topP = topP;
        b.n = n;
        b.maxTokens = maxTokens;
        b.maxCompletionTokens = maxCompletionTokens;
        b.stop.addAll(stop);
        b.presencePenalty = presencePenalty;
        b.frequencyPenalty = frequencyPenalty;
        b.seed = seed;
        b.user = user;
        b.tools.addAll(tools);
        b.toolChoice = toolChoice;
        b.parallelToolCalls = parallelToolCalls;
        b.responseFormat = responseFormat;
        b.streamOptions = streamOptions;
        b.logprobs = logprobs;
        b.topLogprobs = topLogprobs;
        b.reasoningEffort = reasoningEffort;
        b.extra.putAll(extra);
        return b;
    }

    /** Builds a {@link ChatCompletionRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private final List<ChatMessage> messages = new ArrayList<>();
        private Optional<Double> temperature = Optional.empty();
        private Optional<Double> topP = Optional.empty();
        private Optional<Integer> n = Optional.empty();
        private Optional<Integer> maxTokens = Optional.empty();
        private Optional<Integer> maxCompletionTokens = Optional.empty();
        private final List<String> stop = new ArrayList<>();
        private Optional<Double> presencePenalty = Optional.empty();
        private Optional<Double> frequencyPenalty = Optional.empty();
        private Optional<Long> seed = Optional.empty();
        private Optional<String> user = Optional.empty();
        private final List<Tool> tools = new ArrayList<>();
        private Optional<ToolChoice> toolChoice = Optional.empty();
        private Optional<Boolean> parallelToolCalls = Optional.empty();
        private Optional<ResponseFormat> responseFormat = Optional.empty();
        private Optional<StreamOptions> streamOptions = Optional.empty();
        private Optional<Boolean> logprobs = Optional.empty();
        private Optional<Integer> topLogprobs = Optional.empty();
        private Optional<String> reasoningEffort = Optional.empty();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the model (required). */
        public Builder model(String value) {
            this.model = Values.notBlank(value, "model");
            return this;
        }

        /** Replaces the messages. */
        public Builder messages(List<ChatMessage> values) {
            messages.clear();
            values.forEach(this::addMessage);
            return this;
        }

        /** Appends a message. */
        public Builder addMessage(ChatMessage message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /** Appends a system message. */
        public Builder addSystemMessage(String text) {
            return addMessage(ChatMessage.system(text));
        }

        /** Appends a user message. */
        public Builder addUserMessage(String text) {
            return addMessage(ChatMessage.user(text));
        }

        /** Sets the sampling temperature, 0 to 2. */
        public Builder temperature(double value) {
            if (value < 0 || value > 2) {
                throw new IllegalArgumentException("temperature must be between 0 and 2, was " + value);
            }
            this.temperature = Optional.of(value);
            return this;
        }

        /** Sets nucleus sampling, 0 to 1. */
        public Builder topP(double value) {
            if (value < 0 || value > 1) {
                throw new IllegalArgumentException("topP must be between 0 and 1, was " + value);
            }
            this.topP = Optional.of(value);
            return this;
        }

        /** Sets the number of choices. */
        public Builder n(int value) {
            this.n = Optional.of(positive(value, "n"));
            return this;
        }

        /** Sets {@code max_tokens}, the limit understood by every server. */
        public Builder maxTokens(int value) {
            this.maxTokens = Optional.of(positive(value, "maxTokens"));
            return this;
        }

        /** Sets {@code max_completion_tokens}, which includes reasoning tokens. */
        public Builder maxCompletionTokens(int value) {
            this.maxCompletionTokens = Optional.of(positive(value, "maxCompletionTokens"));
            return this;
        }

        /** Replaces the stop sequences. */
        public Builder stop(String... values) {
            stop.clear();
            stop.addAll(List.of(values));
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

        /** Sets the sampling seed. */
        public Builder seed(long value) {
            this.seed = Optional.of(value);
            return this;
        }

        /** Sets the end-user id. */
        public Builder user(String value) {
            this.user = Optional.of(Values.notBlank(value, "user"));
            return this;
        }

        /** Replaces the tools. */
        public Builder tools(List<Tool> values) {
            tools.clear();
            values.forEach(this::addTool);
            return this;
        }

        /** Adds a tool. */
        public Builder addTool(Tool tool) {
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /** Sets the tool choice. */
        public Builder toolChoice(ToolChoice value) {
            this.toolChoice = Optional.of(Objects.requireNonNull(value, "toolChoice"));
            return this;
        }

        /** Sets whether tools may be called in parallel. */
        public Builder parallelToolCalls(boolean value) {
            this.parallelToolCalls = Optional.of(value);
            return this;
        }

        /** Sets the response format. */
        public Builder responseFormat(ResponseFormat value) {
            this.responseFormat = Optional.of(Objects.requireNonNull(value, "responseFormat"));
            return this;
        }

        /** Sets the stream options, e.g. {@link StreamOptions#INCLUDE_USAGE}. */
        public Builder streamOptions(StreamOptions value) {
            this.streamOptions = Optional.of(Objects.requireNonNull(value, "streamOptions"));
            return this;
        }

        /** Sets whether to return log probabilities. */
        public Builder logprobs(boolean value) {
            this.logprobs = Optional.of(value);
            return this;
        }

        /** Sets how many alternatives per token carry log probabilities. */
        public Builder topLogprobs(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("topLogprobs must not be negative, was " + value);
            }
            this.topLogprobs = Optional.of(value);
            return this;
        }

        /** Sets the reasoning effort ({@code low}, {@code medium}, {@code high}). */
        public Builder reasoningEffort(String value) {
            this.reasoningEffort = Optional.of(Values.notBlank(value, "reasoningEffort"));
            return this;
        }

        /**
         * Adds a property this version has no setter for (a server-specific parameter such as
         * {@code top_k}); it is written as given, in snake_case as named.
         */
        public Builder putExtra(String property, Object value) {
            extra.put(Values.notBlank(property, "property"), value);
            return this;
        }

        /** Builds the request; fails if the model or the messages are missing. */
        public ChatCompletionRequest build() {
            if (model == null) {
                throw new IllegalStateException("model is required");
            }
            return new ChatCompletionRequest(model, messages, temperature, topP, n, maxTokens, maxCompletionTokens,
                    stop, presencePenalty, frequencyPenalty, seed, user, tools, toolChoice, parallelToolCalls,
                    responseFormat, streamOptions, logprobs, topLogprobs, reasoningEffort, extra);
        }

        private static int positive(int value, String setting) {
            if (value < 1) {
                throw new IllegalArgumentException(setting + " must be positive, was " + value);
            }
            return value;
        }
    }
}
