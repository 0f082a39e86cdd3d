package dev.maas4j.servlet;

import java.nio.charset.StandardCharsets;

/**
 * The OpenAI Chat Completions answers the test model servers send: a completion with usage, the
 * chunks of a stream and its usage chunk, each as a server-sent event. Stateless.
 */
final class OpenAiBodies {
    private OpenAiBodies() {
    }

    /** A non-streamed chat completion reporting {@code prompt} and {@code completion} tokens. */
    static String completion(String model, long prompt, long completion) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello there\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":"
                + completion + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }

    /** The {@code index}-th content chunk of a stream; its text is {@code "tok<index> "}. */
    static String contentChunk(String model, int index) {
        return contentChunk(model, index, 0);
    }

    /** A content chunk whose text is {@code tok<index> } followed by {@code padding} dots. */
    static String contentChunk(String model, int index, int padding) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok" + index
                + " " + ".".repeat(padding) + "\"},\"finish_reason\":null}]}";
    }

    /** The chunk that ends the choices of a stream. */
    static String stopChunk(String model) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
    }

    /** The last chunk of a stream that asked for {@code stream_options.include_usage}. */
    static String usageChunk(String model, long prompt, long completion) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }

    /** An OpenAI error body. */
    static String error(String message, String type) {
        return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"code\":null}}";
    }

    /** {@code data} as one server-sent event. */
    static String event(String data) {
        return "data: " + data + "\n\n";
    }

    /** {@code data} as one server-sent event, in UTF-8. */
    static byte[] eventBytes(String data) {
        return event(data).getBytes(StandardCharsets.UTF_8);
    }
}
