package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.util.Map;
import java.util.Optional;

/**
 * Options of a streamed call ({@code stream_options}). With {@link #INCLUDE_USAGE} the server
 * sends a last chunk with the token usage, which {@link ChatCompletionStream#usage()} then returns.
 *
 * @param includeUsage whether to send the usage in a last chunk
 * @param extra        properties this version does not know
 */
public record StreamOptions(Optional<Boolean> includeUsage,
                            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** {@code {"include_usage": true}}. */
    public static final StreamOptions INCLUDE_USAGE = new StreamOptions(Optional.of(true), Map.of());

    /** Copies the components. */
    public StreamOptions {
        includeUsage = Values.opt(includeUsage);
        extra = Values.extra(extra);
    }
}
