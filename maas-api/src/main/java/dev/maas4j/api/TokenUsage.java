package dev.maas4j.api;

/**
 * Token counts of one request.
 *
 * @param promptTokens     input tokens
 * @param completionTokens output tokens
 * @param estimated        {@code true} when the counts are an estimate, not reported by the model
 */
public record TokenUsage(long promptTokens, long completionTokens, boolean estimated) {

    /** No tokens, as reported. */
    public static final TokenUsage NONE = new TokenUsage(0, 0, false);

    /** Validates the components. */
    public TokenUsage {
        Checks.notNegative(promptTokens, "promptTokens");
        Checks.notNegative(completionTokens, "completionTokens");
    }

    /** Counts reported by the model. */
    public static TokenUsage reported(long promptTokens, long completionTokens) {
        return new TokenUsage(promptTokens, completionTokens, false);
    }

    /** Counts estimated by the gateway. */
    public static TokenUsage estimated(long promptTokens, long completionTokens) {
        return new TokenUsage(promptTokens, completionTokens, true);
    }

    /** Prompt plus completion tokens, {@link Long#MAX_VALUE} if the sum does not fit in a long. */
    public long totalTokens() {
        long total = promptTokens + completionTokens;
        // both are non-negative, so the sum overflowed exactly when it is negative
        return total < 0 ? Long.MAX_VALUE : total;
    }
}
