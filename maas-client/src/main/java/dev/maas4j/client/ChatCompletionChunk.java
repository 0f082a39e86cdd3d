package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One chunk of a streamed chat completion ({@code object: chat.completion.chunk}). With
 * {@link StreamOptions#INCLUDE_USAGE}, the last chunk has no choice and carries the {@link #usage()}.
 *
 * @param id                the completion id, the same in every chunk
 * @param object            {@code chat.completion.chunk}
 * @param created           creation time, epoch seconds
 * @param model             the model that answers
 * @param choices           the deltas of this chunk, possibly none
 * @param usage             token usage, in the last chunk only
 * @param systemFingerprint the backend configuration fingerprint, if sent
 * @param extra             properties this version does not know
 */
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
                                  Optional<Usage> usage, Optional<String> systemFingerprint,
                                  @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Copies the components. */
    public ChatCompletionChunk {
        id = Values.text(id);
        object = Values.text(object);
        model = Values.text(model);
        choices = Values.list(choices);
        usage = Values.opt(usage);
        systemFingerprint = Values.opt(systemFingerprint);
        extra = Values.extra(extra);
    }

    /** The text added by the first choice in this chunk, or empty. */
    public Optional<String> text() {
        return choices.isEmpty() ? Optional.empty() : choices.get(0).delta().content();
    }

    /**
     * One choice's delta.
     *
     * @param index        the choice's index
     * @param delta        what this chunk adds
     * @param finishReason why generation stopped, in the choice's last chunk
     * @param extra        properties this version does not know
     */
    public record Choice(int index, Delta delta, Optional<String> finishReason,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Copies the components. */
        public Choice {
            delta = delta == null ? Delta.EMPTY : delta;
            finishReason = Values.opt(finishReason);
            extra = Values.extra(extra);
        }
    }

    /**
     * What a chunk adds to a message.
     *
     * @param role             the role, in the first chunk
     * @param content          text to append
     * @param reasoningContent reasoning text to append ({@code reasoning_content})
     * @param reasoning        reasoning text to append ({@code reasoning})
     * @param toolCalls        tool call fragments, possibly empty
     * @param refusal          refusal text to append
     * @param extra            properties this version does not know
     */
    public record Delta(Optional<Role> role, Optional<String> content, Optional<String> reasoningContent,
                        Optional<String> reasoning, List<ToolCallDelta> toolCalls, Optional<String> refusal,
                        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

        static final Delta EMPTY = new Delta(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), Map.of());

        /** Copies the components. */
        public Delta {
            role = Values.opt(role);
            content = Values.opt(content);
            reasoningContent = Values.opt(reasoningContent);
            reasoning = Values.opt(reasoning);
            toolCalls = Values.list(toolCalls);
            refusal = Values.opt(refusal);
            extra = Values.extra(extra);
        }

        /** The reasoning text to append, whichever property the server used. */
        public Optional<String> reasoningText() {
            return reasoningContent.or(() -> reasoning);
        }
    }

    /**
     * A fragment of a tool call: the first has the id and name, the following ones pieces of the
     * arguments, all with the same {@link #index()}.
     *
     * @param index    which tool call of the message
     * @param id       the call id, in the first fragment
     * @param type     {@code function}, in the first fragment
     * @param function name and argument pieces
     * @param extra    properties this version does not know
     */
    public record ToolCallDelta(int index, Optional<String> id, Optional<String> type,
                                Optional<FunctionDelta> function,
                                @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Copies the components. */
        public ToolCallDelta {
            id = Values.opt(id);
            type = Values.opt(type);
            function = Values.opt(function);
            extra = Values.extra(extra);
        }
    }

    /**
     * A fragment of a function call.
     *
     * @param name      the function name, in the first fragment
     * @param arguments a piece of the JSON arguments
     * @param extra     properties this version does not know
     */
    public record FunctionDelta(Optional<String> name, Optional<String> arguments,
                                @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Copies the components. */
        public FunctionDelta {
            name = Values.opt(name);
            arguments = Values.opt(arguments);
            extra = Values.extra(extra);
        }
    }
}
