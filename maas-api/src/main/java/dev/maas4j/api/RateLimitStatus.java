package dev.maas4j.api;

/**
 * The tightest request and token limits that applied to a request, for the
 * {@code x-ratelimit-*} response headers. A limit that did not apply has {@code limit} {@code -1};
 * check {@link #hasRequestLimit()} and {@link #hasTokenLimit()}.
 *
 * @param requestLimit       {@code x-ratelimit-limit-requests}
 * @param remainingRequests  {@code x-ratelimit-remaining-requests}
 * @param requestResetMillis {@code x-ratelimit-reset-requests}, milliseconds until the window refills
 * @param tokenLimit         {@code x-ratelimit-limit-tokens}
 * @param remainingTokens    {@code x-ratelimit-remaining-tokens}
 * @param tokenResetMillis   {@code x-ratelimit-reset-tokens}, milliseconds until the window refills
 */
public record RateLimitStatus(long requestLimit, long remainingRequests, long requestResetMillis,
                              long tokenLimit, long remainingTokens, long tokenResetMillis) {

    /** No limit applied. */
    public static final RateLimitStatus NONE = new RateLimitStatus(-1, -1, 0, -1, -1, 0);

    /** Whether a request limit applied. */
    public boolean hasRequestLimit() {
        return requestLimit >= 0;
    }

    /** Whether a token limit applied. */
    public boolean hasTokenLimit() {
        return tokenLimit >= 0;
    }
}
