package dev.maas4j.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Assembles chat chunks into the {@link ChatCompletion} a non-streamed call would have returned. */
final class ChatAccumulator {

    private ChatCompletionChunk first;
    private Optional<Usage> usage = Optional.empty();
    private final Map<Integer, ChoiceState> choices = new TreeMap<>();

    void add(ChatCompletionChunk chunk) {
        if (first == null) {
            first = chunk;
        }
        chunk.usage().ifPresent(u -> usage = Optional.of(u));
        for (ChatCompletionChunk.Choice c : chunk.choices()) {
            choices.computeIfAbsent(c.index(), i -> new ChoiceState()).add(c);
        }
    }

    Optional<Usage> usage() {
        return usage;
    }

    ChatCompletion result() {
        List<ChatCompletion.Choice> list = new ArrayList<>();
        choices.forEach((index, state) -> list.add(state.toChoice(index)));
        String id = first == null ? "" : first.id();
        long created = first == null ? 0 : first.created();
        String model = first == null ? "" : first.model();
        Optional<String> fingerprint = first == null ? Optional.empty() : first.systemFingerprint();
        return new ChatCompletion(id, "chat.completion", created, model, list, usage, fingerprint,
                Optional.empty(), Map.of());
    }

    private static final class ChoiceState {
        private Role role = Role.ASSISTANT;
        private StringBuilder content;
        private StringBuilder reasoningContent;
        private StringBuilder reasoning;
        private StringBuilder refusal;
        private Optional<String> finishReason = Optional.empty();
        private final Map<Integer, ToolCallState> toolCalls = new TreeMap<>();

        void add(ChatCompletionChunk.Choice c) {
            ChatCompletionChunk.Delta d = c.delta();
            if (d.role().isPresent()) {
                role = d.role().get();
            }
            content = append(content, d.content());
            reasoningContent = append(reasoningContent, d.reasoningContent());
            reasoning = append(reasoning, d.reasoning());
            refusal = append(refusal, d.refusal());
            for (ChatCompletionChunk.ToolCallDelta t : d.toolCalls()) {
                toolCalls.computeIfAbsent(t.index(), i -> new ToolCallState()).add(t);
            }
            if (c.finishReason().isPresent()) {
                finishReason = c.finishReason();
            }
        }

        ChatCompletion.Choice toChoice(int index) {
            ChatMessage.Builder m = ChatMessage.builder(role);
            if (content != null) {
                m.content(content.toString());
            }
            if (reasoningContent != null) {
                m.reasoningContent(reasoningContent.toString());
            }
            if (reasoning != null) {
                m.reasoning(reasoning.toString());
            }
            if (refusal != null) {
                m.refusal(refusal.toString());
            }
            m.toolCalls(toolCalls.values().stream().map(ToolCallState::toToolCall).toList());
            return new ChatCompletion.Choice(index, m.build(), finishReason, Map.of());
        }

        private static StringBuilder append(StringBuilder sb, Optional<String> piece) {
            if (piece.isEmpty()) {
                return sb;
            }
            return (sb == null ? new StringBuilder() : sb).append(piece.get());
        }
    }

    private static final class ToolCallState {
        private String id = "";
        private String type = "function";
        private String name = "";
        private final StringBuilder arguments = new StringBuilder();

        void add(ChatCompletionChunk.ToolCallDelta t) {
            t.id().ifPresent(v -> id = v);
            t.type().ifPresent(v -> type = v);
            t.function().ifPresent(f -> {
                f.name().ifPresent(v -> name = v);
                f.arguments().ifPresent(arguments::append);
            });
        }

        ToolCall toToolCall() {
            return new ToolCall(id, type, new ToolCall.Function(name, arguments.toString(), Map.of()), Map.of());
        }
    }
}
