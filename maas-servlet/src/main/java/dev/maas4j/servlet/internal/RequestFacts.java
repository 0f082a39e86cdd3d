package dev.maas4j.servlet.internal;

import dev.maas4j.core.usage.MalformedRequestException;
import dev.maas4j.core.usage.RequestInfo;
import dev.maas4j.core.usage.StreamOptions;
import dev.maas4j.core.usage.TokenEstimates;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the filter needs from a request body: the model, whether it streams, its output limit and
 * a prompt token estimate. JSON bodies are inspected; other bodies (multipart audio, say) are only
 * measured.
 *
 * @param model                 the body's {@code model}, if any
 * @param stream                whether the client asked for a stream
 * @param maxOutputTokens       {@code max_tokens} / {@code max_completion_tokens}, if given
 * @param includeUsageRequested whether the client already asked for {@code stream_options.include_usage}
 * @param promptTokensEstimate  estimated prompt tokens
 */
public record RequestFacts(Optional<String> model, boolean stream, OptionalLong maxOutputTokens,
                           boolean includeUsageRequested, long promptTokensEstimate) {

    /**
     * Reads the facts from a body.
     *
     * @throws IllegalArgumentException with a client-safe message when a JSON body is malformed
     */
    public static RequestFacts of(byte[] body, String contentType) {
        if (body.length == 0) {
            return new RequestFacts(Optional.empty(), false, OptionalLong.empty(), false, 0);
        }
        if (contentType != null && !contentType.toLowerCase(Locale.ROOT).contains("json")) {
            return new RequestFacts(Optional.empty(), false, OptionalLong.empty(), false,
                    TokenEstimates.fromCharacters(body.length));
        }
        RequestInfo info = RequestInfo.parse(body);
        return new RequestFacts(info.model(), info.stream(), info.maxOutputTokens(), info.includeUsageRequested(),
                info.promptTokensEstimate());
    }

    /** Whether a malformed-request exception came from the inspector. */
    public static boolean isMalformed(RuntimeException e) {
        return e instanceof MalformedRequestException;
    }

    /** The body with {@code stream_options.include_usage} set, so that the upstream reports exact usage. */
    public static byte[] withIncludeUsage(byte[] body) {
        return StreamOptions.withIncludeUsage(body);
    }
}
