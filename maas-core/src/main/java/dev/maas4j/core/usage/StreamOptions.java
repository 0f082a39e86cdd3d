package dev.maas4j.core.usage;

import dev.maas4j.core.usage.internal.IncludeUsageRewriter;

/**
 * Makes a streamed OpenAI-style request ask for its usage. Without
 * {@code "stream_options":{"include_usage":true}}, a streamed Chat Completions or Completions
 * response reports no token counts and the gateway can only estimate them; with it, the server
 * sends a last chunk with {@code usage} (and empty {@code choices}), which clients built on the
 * OpenAI SDKs accept (a client that did not ask for usage sees that extra chunk too).
 *
 * <p>Only for {@link dev.maas4j.api.EndpointKind#CHAT_COMPLETIONS} and
 * {@link dev.maas4j.api.EndpointKind#COMPLETIONS}: the Responses and Anthropic Messages streams
 * always carry their usage, and the Anthropic API rejects fields it does not know.
 *
 * <pre>{@code
 * boolean openAiStream = info.stream()
 *         && (kind == EndpointKind.CHAT_COMPLETIONS || kind == EndpointKind.COMPLETIONS);
 * byte[] forwarded = openAiStream ? StreamOptions.withIncludeUsage(body) : body;
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class StreamOptions {

    private StreamOptions() {
    }

    /**
     * The body with {@code stream_options.include_usage} set to {@code true} when the top-level
     * {@code stream} is {@code true}: merged into an existing {@code stream_options} object (a
     * {@code false} or null {@code include_usage} becomes {@code true} in place, a missing one is
     * appended), or added as the last top-level member. Everything else is kept byte for byte,
     * key order included. The body is parsed with a streaming parser, not read into a tree.
     *
     * <pre>{@code
     * StreamOptions.withIncludeUsage("{\"stream\":true}".getBytes(UTF_8));
     * // {"stream":true,"stream_options":{"include_usage":true}}
     * }</pre>
     *
     * @param body a request body, UTF-8 JSON
     * @return {@code body} itself when nothing needs to change (not streamed, or
     *         {@code include_usage} already true), else a new array
     * @throws MalformedRequestException if the body is not a valid JSON object, {@code stream} is
     *                                   not a boolean, {@code stream_options} is not an object or
     *                                   {@code include_usage} not a boolean, {@code stream} or
     *                                   {@code stream_options} is duplicated, or a body that must
     *                                   change is not UTF-8
     */
    public static byte[] withIncludeUsage(byte[] body) {
        return IncludeUsageRewriter.rewrite(body);
    }
}
