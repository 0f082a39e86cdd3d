package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.maas4j.client.internal.ContentJson;
import dev.maas4j.client.internal.Values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A message of a chat conversation: sent in a {@link ChatCompletionRequest}, received in a
 * {@link ChatCompletion}. Immutable.
 *
 * <pre>{@code
 * List.of(ChatMessage.system("Answer in one sentence."),
 *         ChatMessage.user("What is a token bucket?"));
 * }</pre>
 *
 * @param role             who wrote it
 * @param content          its content; a single text part is the usual case (see {@link #text()})
 * @param name             a participant name, if any
 * @param toolCalls        tool calls the assistant asked for, possibly empty
 * @param toolCallId       for a {@link Role#TOOL} message, the call it answers
 * @param refusal          the model's refusal message, if it refused
 * @param reasoningContent reasoning text of reasoning models ({@code reasoning_content}: DeepSeek, older vLLM)
 * @param reasoning        reasoning text of reasoning models ({@code reasoning}: newer vLLM, gpt-oss)
 * @param extra            properties this version does not know, kept as read and written back
 */
public record ChatMessage(
        Role role,
        @JsonSerialize(using = ContentJson.Serializer.class)
        @JsonDeserialize(using = ContentJson.Deserializer.class)
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<ContentPart> content,
        Optional<String> name,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCall> toolCalls,
        Optional<String> toolCallId,
        Optional<String> refusal,
        Optional<String> reasoningContent,
        Optional<String> reasoning,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        content = Values.list(content);
        name = Values.opt(name);
        toolCalls = Values.list(toolCalls);
        toolCallId = Values.opt(toolCallId);
        refusal = Values.opt(refusal);
        reasoningContent = Values.opt(reasoningContent);
        reasoning = Values.opt(reasoning);
        extra = Values.extra(extra);
    }

    /** A system message. */
    public static ChatMessage system(String text) {
        return builder(Role.SYSTEM).content(text).build();
    }

    /** A developer message (the newer name of system instructions). */
    public static ChatMessage developer(String text) {
        return builder(Role.DEVELOPER).content(text).build();
    }

    /** A user message with text. */
    public static ChatMessage user(String text) {
        return builder(Role.USER).content(text).build();
    }

    /** A user message with several parts, e.g. text and images. */
    public static ChatMessage user(ContentPart... parts) {
        return builder(Role.USER).content(List.of(parts)).build();
    }

    /** An assistant message with text, to replay a conversation. */
    public static ChatMessage assistant(String text) {
        return builder(Role.ASSISTANT).content(text).build();
    }

    /** An assistant message that called tools, to replay before the tool results. */
    public static ChatMessage assistantToolCalls(List<ToolCall> toolCalls) {
        return builder(Role.ASSISTANT).toolCalls(toolCalls).build();
    }

    /** The result of tool call {@code toolCallId}. */
    public static ChatMessage tool(String toolCallId, String result) {
        return builder(Role.TOOL).toolCallId(toolCallId).content(result).build();
    }

    /** A builder for a message by {@code role}. */
    public static Builder builder(Role role) {
        return new Builder(role);
    }

    /** A builder starting from this message. */
    public Builder toBuilder() {
        Builder b = new Builder(role);
        b.content.addAll(content);
        b.name = name;
        b.toolCalls.addAll(toolCalls);
        b.toolCallId = toolCallId;
        b.refusal = refusal;
        b.reasoningContent = reasoningContent;
        b.reasoning = reasoning;
        b.extra.putAll(extra);
        return b;
    }

    /** The text parts joined, or empty when the message has no text (a pure tool call, say). */
    public Optional<String> text() {
        List<String> texts = content.stream().filter(p -> p instanceof ContentPart.Text)
                .map(p -> ((ContentPart.Text) p).text()).toList();
        return texts.isEmpty() ? Optional.empty() : Optional.of(texts.stream().collect(Collectors.joining()));
    }

    /** The reasoning text, whichever of {@code reasoning_content} and {@code reasoning} the server used. */
    public Optional<String> reasoningText() {
        return reasoningContent.or(() -> reasoning);
    }

    /** Builds a {@link ChatMessage}; not thread-safe. */
    public static final class Builder {
        private final Role role;
        private final List<ContentPart> content = new ArrayList<>();
        private Optional<String> name = Optional.empty();
        private final List<ToolCall> toolCalls = new ArrayList<>();
        private Optional<String> toolCallId = Optional.empty();
        private Optional<String> refusal = Optional.empty();
        private Optional<String> reasoningContent = Optional.empty();
        private Optional<String> reasoning = Optional.empty();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder(Role role) {
            this.role = Objects.requireNonNull(role, "role");
        }

        /** Replaces the content with one text part. */
        public Builder content(String text) {
            content.clear();
            content.add(ContentPart.text(text));
            return this;
        }

        /** Replaces the content with {@code parts}. */
        public Builder content(List<? extends ContentPart> parts) {
            content.clear();
            content.addAll(parts);
            return this;
        }

        /** Adds a content part. */
        public Builder addContent(ContentPart part) {
            content.add(Objects.requireNonNull(part, "part"));
            return this;
        }

        /** Sets the participant name. */
        public Builder name(String value) {
            this.name = Optional.of(Values.notBlank(value, "name"));
            return this;
        }

        /** Replaces the tool calls. */
        public Builder toolCalls(List<ToolCall> calls) {
            toolCalls.clear();
            toolCalls.addAll(calls);
            return this;
        }

        /** Sets the id of the tool call this message answers. */
        public Builder toolCallId(String value) {
            this.toolCallId = Optional.of(Values.notBlank(value, "toolCallId"));
            return this;
        }

        /** Sets the refusal. */
        public Builder refusal(String value) {
            this.refusal = Optional.of(Objects.requireNonNull(value, "refusal"));
            return this;
        }

        /** Sets {@code reasoning_content}. */
        public Builder reasoningContent(String value) {
            this.reasoningContent = Optional.of(Objects.requireNonNull(value, "reasoningContent"));
            return this;
        }

        /** Sets {@code reasoning}. */
        public Builder reasoning(String value) {
            this.reasoning = Optional.of(Objects.requireNonNull(value, "reasoning"));
            return this;
        }

        /** Adds a property this version has no setter for; it is written as given. */
        public Builder putExtra(String property, Object value) {
            extra.put(Values.notBlank(property, "property"), value);
            return this;
        }

        /** Builds the message. */
        public ChatMessage build() {
            return new ChatMessage(role, content, name, toolCalls, toolCallId, refusal, reasoningContent,
                    reasoning, extra);
        }
    }
}
