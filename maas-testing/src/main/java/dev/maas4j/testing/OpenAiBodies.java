package dev.maas4j.testing;

import java.nio.charset.StandardCharsets;

/**
 * The OpenAI Chat Completions answers {@link FakeOpenAiUpstream} sends, for fakes of one's own
 * (a host servlet, an h2c server) to send the same: a completion, the chunks of a stream, its
 * usage chunk, errors, each as JSON text or as a server-sent event. Completions and usage carry
 * what newer servers such as vLLM add and clients must tolerate: unknown properties at every
 * level, {@code reasoning_content}, token details.
 *
 * <pre>{@code
 * out.write(OpenAiBodies.eventBytes(OpenAiBodies.contentChunk("granite", 0)));   // data: {...tok0 ...}
 * out.write(OpenAiBodies.eventBytes("[DONE]"));
 * }</pre>
 *
 * <p>Stateless.
 */
public final class OpenAiBodies {
    /** The assistant's text in {@link #completion}. */
    public static final String ANSWER = "Hello from upstream";
    /** The reasoning in {@link #completion}. */
    public static final String REASONING = "The user greets; greet back.";

    private OpenAiBodies() {
    }

    /**
     * A non-streamed chat completion with {@link #ANSWER} and {@link #REASONING}, reporting
     * {@code prompt} and {@code completion} tokens, and unknown properties in the completion
     * ({@code kv_transfer_params}), the message ({@code x_citations}), the choice
     * ({@code stop_reason}) and the usage ({@code x_queue_seconds}, token details).
     */
    public static String completion(String model, long prompt, long completion) {
        return "{\"id\":\"chatcmpl-upstream-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\""
                + model + "\",\"system_fingerprint\":\"fp_upstream\","
                + "\"kv_transfer_params\":{\"remote_engine_id\":\"engine-7\"},"
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\","
                + "\"reasoning_content\":\"" + REASONING + "\",\"x_citations\":[{\"source\":\"kb-1\"}]},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\",\"stop_reason\":128001}],"
                + "\"usage\":" + usage(prompt, completion) + "}";
    }

    /**
     * A usage object: the counts and their total, with {@code prompt_tokens_details} (up to 4
     * cached tokens), {@code completion_tokens_details} (up to 3 reasoning tokens) and an unknown
     * {@code x_queue_seconds}.
     */
    public static String usage(long prompt, long completion) {
        return "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
                + (prompt + completion) + ",\"prompt_tokens_details\":{\"cached_tokens\":" + Math.min(4, prompt)
                + ",\"x_audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":" + Math.min(3, completion)
                + "},\"x_queue_seconds\":0.25}";
    }

    /** The {@code index}-th content chunk of a stream; its text is {@code "tok<index> "}. */
    public static String contentChunk(String model, int index) {
        return contentChunk(model, index, 0);
    }

    /** A content chunk whose text is {@code tok<index> } followed by {@code padding} dots. */
    public static String contentChunk(String model, int index, int padding) {
        return chunk(model, "{\"content\":\"tok" + index + " " + ".".repeat(padding) + "\"}", null);
    }

    /**
     * A chunk of one choice whose delta is the JSON object {@code delta}, with {@code finishReason}
     * (or {@code null}) and an unknown {@code x_chunk_field}.
     */
    public static String chunk(String model, String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-upstream-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
                + model + "\",\"x_chunk_field\":\"v1\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"")
                + "}]}";
    }

    /** The chunk that ends the choices of a stream. */
    public static String stopChunk(String model) {
        return chunk(model, "{}", "stop");
    }

    /** The last chunk of a stream that asked for {@code stream_options.include_usage}: no choice, the usage. */
    public static String usageChunk(String model, long prompt, long completion) {
        return "{\"id\":\"chatcmpl-upstream-2\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
                + model + "\",\"choices\":[],\"usage\":" + usage(prompt, completion) + "}";
    }

    /** An OpenAI error body. */
    public static String error(String message, String type) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"code\":null}}";
    }

    /** {@code data} as one server-sent event. */
    public static String event(String data) {
        return "data: " + data + "\n\n";
    }

    /** {@code data} as one server-sent event, in UTF-8. */
    public static byte[] eventBytes(String data) {
        return event(data).getBytes(StandardCharsets.UTF_8);
    }
}
