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
 * AdmissionRequest request = AdmissionRequest.builder(key, info.model().orElseThrow())
 *         .promptTokensEstimate(info.promptTokensEstimate())
 *         .choices(info.choices())
 *         .build(); // plus maxOutputTokens when present
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param model                 the top-level {@code model}, empty when absent or null
 * @param stream                whether the top-level {@code stream} is {@code true}
 * @param maxOutputTokens       the first present of {@code max_completion_tokens},
 *                              {@code max_tokens} and {@code max_output_tokens} (Responses API),
 *                              in that order of preference; empty when none is set. It limits each
 *                              choice: the whole answer may hold {@code choices} times as many
 * @param includeUsageRequested whether {@code stream_options.include_usage} is {@code true}
 * @param promptCharacters      characters (UTF-16 code units) of all string values under
 *                              {@code messages}, {@code prompt}, {@code input}, {@code system},
 *                              {@code instructions} and {@code tools}; binary payloads (strings
 *                              that are {@code data:} URLs, and values of {@code data} and
 *                              {@code file_data} fields, as base64 images, audio and files are
 *                              sent) are left out, because their characters say nothing of their
 *                              tokens
 * @param promptTokensEstimate  {@link TokenEstimates#fromText(long, long)} of the prompt
 *                              characters, plus 4 per element of {@code messages} for the
 *                              per-message framing tokens chat templates add, plus the
 *                              {@link MediaEstimates} figure of each media part
 * @param choices               how many completions the request asks for: the larger of
 *                              {@code n} and {@code best_of}, 1 when neither is given
 * @param mediaParts            how many image, audio and file parts the prompt holds (outside
 *                              {@code tools}); their estimates are in {@code promptTokensEstimate}
 */
public record RequestInfo(
        Optional<String> model,
        boolean stream,
        OptionalLong maxOutputTokens,
        boolean includeUsageRequested,
        long promptCharacters,
        long promptTokensEstimate,
        int choices,
        int mediaParts) {

    /**
     * The largest value {@link #parse} accepts in a max-tokens field: 10,000,000. The largest
     * output limits of current models are around 100,000 tokens, so no real request is refused,
     * while {@code max_tokens: 9223372036854775807} is refused as malformed (400) instead of
     * overflowing a reservation; times {@link #MAX_CHOICES} it stays far from overflow.
     */
    public static final long MAX_OUTPUT_TOKENS = 10_000_000;

    /**
     * The largest {@code n} or {@code best_of} {@link #parse} accepts: 128. Far more than a client
     * needs (OpenAI's Completions API accepts a {@code best_of} of at most 20); every choice may
     * produce {@code max_tokens}, so an unbounded {@code n} is an unbounded reservation.
     */
    public static final int MAX_CHOICES = 128;

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
        if (choices < 1) {
            throw new IllegalArgumentException("choices must be at least 1, was " + choices);
        }
        if (mediaParts < 0) {
            throw new IllegalArgumentException("mediaParts must not be negative, was " + mediaParts);
        }
    }

    /**
     * A request for one choice without media parts: the components as before {@code choices} and
     * {@code mediaParts} were added.
     */
    public RequestInfo(Optional<String> model, boolean stream, OptionalLong maxOutputTokens,
                       boolean includeUsageRequested, long promptCharacters, long promptTokensEstimate) {
        this(model, stream, maxOutputTokens, includeUsageRequested, promptCharacters, promptTokensEstimate, 1, 0);
    }

    /**
     * Reads a request body (UTF-8 JSON) in one streaming pass, without building a tree, counting
     * media parts at {@link MediaEstimates#DEFAULTS}.
     *
     * <p>Besides invalid JSON and a body that is not one JSON object, the fields read are
     * checked: {@code model} must be a string, {@code stream} a boolean, the max-tokens fields
     * integers from 0 to {@link #MAX_OUTPUT_TOKENS}, {@code n} and {@code best_of} integers from 1
     * to {@link #MAX_CHOICES}, {@code stream_options} an object whose {@code include_usage} is a
     * boolean (each may also be null, meaning absent). These fields may not appear twice at the
     * top level: parsers differ on which duplicate wins, and the gateway must govern the model
     * the server will run and the output it may produce.
     *
     * <pre>{@code
     * RequestInfo info = RequestInfo.parse("{\"model\":\"llama\",\"messages\":[]}".getBytes(UTF_8));
     * }</pre>
     *
     * @param body the request body
     * @return what the body says
     * @throws MalformedRequestException if the body is not valid JSON, not a JSON object, or a
     *                                   field read has the wrong type or an absurd value; the
     *                                   message names the field and holds no content of the body
     */
    public static RequestInfo parse(byte[] body) {
        return RequestScanner.scan(body, MediaEstimates.DEFAULTS);
    }

    /**
     * Reads a request body as {@link #parse(byte[])} does, counting each image, audio and file
     * part at the figures of {@code media}.
     *
     * <pre>{@code
     * MediaEstimates media = new MediaEstimates(765, 1_500, 20_000);
     * RequestInfo info = RequestInfo.parse(body, media);
     * }</pre>
     *
     * @param body  the request body
     * @param media the tokens of one image, audio and file part
     * @return what the body says
     * @throws MalformedRequestException as {@link #parse(byte[])}
     */
    public static RequestInfo parse(byte[] body, MediaEstimates media) {
        return RequestScanner.scan(body, Objects.requireNonNull(media, "media"));
    }
}
