package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.util.Map;
import java.util.Optional;

/**
 * Token usage of a call, as the server counted (and the gateway metered) it.
 *
 * @param promptTokens            tokens of the input
 * @param completionTokens        tokens generated, reasoning included
 * @param totalTokens             their sum
 * @param promptTokensDetails     a breakdown of the prompt tokens, if sent
 * @param completionTokensDetails a breakdown of the completion tokens, if sent
 * @param extra                   properties this version does not know
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens,
                    Optional<PromptTokensDetails> promptTokensDetails,
                    Optional<CompletionTokensDetails> completionTokensDetails,
                    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Copies the components. */
    public Usage {
        promptTokensDetails = Values.opt(promptTokensDetails);
        completionTokensDetails = Values.opt(completionTokensDetails);
        extra = Values.extra(extra);
    }

    /**
     * Prompt token breakdown.
     *
     * @param cachedTokens prompt tokens served from a prefix cache
     * @param extra        properties this version does not know
     */
    public record PromptTokensDetails(Optional<Long> cachedTokens,
                                      @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Copies the components. */
        public PromptTokensDetails {
            cachedTokens = Values.opt(cachedTokens);
            extra = Values.extra(extra);
        }
    }

    /**
     * Completion token breakdown.
     *
     * @param reasoningTokens tokens spent reasoning
     * @param extra           properties this version does not know
     */
    public record CompletionTokensDetails(Optional<Long> reasoningTokens,
                                          @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        /** Copies the components. */
        public CompletionTokensDetails {
            reasoningTokens = Values.opt(reasoningTokens);
            extra = Values.extra(extra);
        }
    }
}
