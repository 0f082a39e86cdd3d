package dev.maas4j.core.usage;

import dev.maas4j.core.usage.internal.RequestScanner;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the gateway needs from a request body before forwarding it: which model, whether the
 * response streams, and how many tokens to reserve. Works for the OpenAI Chat Completions,
 * Completions, Embeddings and Responses APIs and the Anthropic Messages API.
 *
 * <pre>{@code
 * RequestInfo info = RequestInfo.parse(body); // MalformedRequestException -> 400
 * long reservation = info.promptTokensEstimate() + info.maxOutputTokens().orElse(defaultMaxTokens);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param model                 the top-level {@code model}, empty when absent or null
 * @param stream                whether the top-level {@code stream} is {@code true}
 * @param maxOutputTokens       the first present of {@code max_completion_tokens},
 *                              {@code max_tokens} and {@code max_output_tokens} (Responses API),
 *                              in that order of preference; empty when none is set
 * @param includeUsageRequested whether {@code stream_options.include_usage} is {@code true}
 * @param promptCharacters      characters (UTF-16 code units) of all string values under
 *                              {@code messages}, {@code prompt}, {@code input}, {@code system},
 *                              {@code instructions} and {@code tools}; binary payloads (strings
 *                              that are {@code data:} URLs, and values of {@code data} fields, as
 *                              base64 images and audio are sent) are left out, because their
 *                              characters say nothing of their tokens
 * @param promptTokensEstimate  {@link TokenEstimates#fromCharacters} of the prompt characters,
 *                              plus 4 per element of {@code messages} for the per-message
 *                              framing tokens chat templates add
 */
public record RequestInfo(
        Optional<String> model,
        boolean stream,
        OptionalLong maxOutputTokens,
        boolean includeUsageRequested,
        long promptCharacters,
        long promptTokensEstimate) {

    /** Validates the components. */
    public RequestInfo {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(maxOutputTokens, "maxOutputTokens");
        if (maxOutputTokens.isPresent() && maxOutputTokens.getAsLong() < 0) {
            throw new IllegalArgumentException(
                    "maxOutputTokens must not be negative, was " + maxOutputTokens.getAsLong());
        }
        if (promptCharacters < 0) {
            throw new IllegalArgumentException("promptCharacters must not be negative, was " + promptCharacters);
        }
        if (promptTokensEstimate < 0) {
            throw new IllegalArgumentException(
                    "promptTokensEstimate must not be negative, was " + promptTokensEstimate);
        }
    }

    /**
     * Reads a request body (UTF-8 JSON) in one streaming pass, without building a tree.
     *
     * <p>Besides invalid JSON and a body that is not one JSON object, the fields read are
     * checked: {@code model} must be a string, {@code stream} a boolean, the max-tokens fields
     * non-negative integers, {@code stream_options} an object whose {@code include_usage} is a
     * boolean (each may also be null, meaning absent). These fields may not appear twice at the
     * top level: parsers differ on which duplicate wins, and the gateway must govern the model
     * the server will run.
     *
     * <pre>{@code
     * RequestInfo info = RequestInfo.parse("{\"model\":\"llama\",\"messages\":[]}".getBytes(UTF_8));
     * }</pre>
     *
     * @param body the request body
     * @return what the body says
     * @throws MalformedRequestException if the body is not valid JSON, not a JSON object, or a
     *                                   field read has the wrong type; the message names the
     *                                   problem and holds no content of the body
     */
    public static RequestInfo parse(byte[] body) {
        return RequestScanner.scan(body);
    }
}
