package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A chat completion ({@code object: chat.completion}).
 *
 * <pre>{@code
 * ChatCompletion completion = client.chat().create(request);
 * String answer = completion.text().orElse("");
 * completion.usage().ifPresent(u -> log.info("{} tokens", u.totalTokens()));
 * }</pre>
 *
 * @param id                the completion id
 * @param object            {@code chat.completion}
 * @param created           creation time, epoch seconds
 * @param model             the model that answered
 * @param choices           the choices, usually one
 * @param usage             token usage
 * @param systemFingerprint the backend configuration fingerprint, if sent
 * @param serviceTier       the service tier used, if sent
 * @param extra             properties this version does not know (e.g. {@code prompt_logprobs}, {@code kv_transfer_params})
 */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
                             Optional<Usage> usage, Optional<String> systemFingerprint, Optional<String> serviceTier,
                             @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Copies the components. */
    public ChatCompletion {
        id = Values.text(id);
        object = Values.text(object);
        model = Values.text(model);
        choices = Values.list(choices);
        usage = Values.opt(usage);
        systemFingerprint = Values.opt(systemFingerprint);
        serviceTier = Values.opt(serviceTier);
        extra = Values.extra(extra);
    }

    /** The first choice's message, or empty if the server returned no choice. */
    public Optional<ChatMessage> message() {
        return choices.isEmpty() ? Optional.empty() : Optional.of(choices.get(0).message());
    }

    /** The first choice's text, or empty if it has none (a pure tool call, say). */
    public Optional<String> text() {
        return message().flatMap(ChatMessage::text);
    }

    /** The first choice's tool calls, possibly empty. */
    public List<ToolCall> toolCalls() {
        return message().map(ChatMessage::toolCalls).orElse(List.of());
    }

    /**
     * One choice.
     *
     * @param index        its index
     * @param message      the generated message
     * @param finishReason why generation stopped: {@code stop}, {@code length}, {@code tool_calls}, ...
     * @param extra        properties this version does not know (e.g. {@code logprobs}, {@code stop_reason})
     */
    public record Choice(int index, ChatMessage message, Optional<String> finishReason,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Copies the components. */
        public Choice {
            Objects.requireNonNull(message, "message");
            finishReason = Values.opt(finishReason);
            extra = Values.extra(extra);
        }
    }
}
