package dev.maas4j.client;

import dev.maas4j.client.internal.DurationText;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The rate-limit state a response reported in its {@code x-ratelimit-*} headers (the OpenAI
 * convention, which the maas4j gateway follows). Every value is optional: a server may send some,
 * all or none of them.
 *
 * <pre>{@code
 * ApiResponse<ChatCompletion> r = client.chat().createWithResponse(request);
 * r.rateLimits().remainingTokens().ifPresent(left -> log.debug("{} tokens left", left));
 * }</pre>
 *
 * @param limitRequests     {@code x-ratelimit-limit-requests}: requests allowed per window
 * @param remainingRequests {@code x-ratelimit-remaining-requests}
 * @param resetRequests     {@code x-ratelimit-reset-requests}: time until the request window resets
 * @param limitTokens       {@code x-ratelimit-limit-tokens}: tokens allowed per window
 * @param remainingTokens   {@code x-ratelimit-remaining-tokens}
 * @param resetTokens       {@code x-ratelimit-reset-tokens}: time until the token window resets
 */
public record RateLimitInfo(OptionalLong limitRequests, OptionalLong remainingRequests,
                            Optional<Duration> resetRequests, OptionalLong limitTokens,
                            OptionalLong remainingTokens, Optional<Duration> resetTokens) {

    /** No rate-limit header at all. */
    public static final RateLimitInfo NONE = new RateLimitInfo(OptionalLong.empty(), OptionalLong.empty(),
            Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), Optional.empty());

    /** Validates the components. */
    public RateLimitInfo {
        Objects.requireNonNull(limitRequests, "limitRequests");
        Objects.requireNonNull(remainingRequests, "remainingRequests");
        Objects.requireNonNull(resetRequests, "resetRequests");
        Objects.requireNonNull(limitTokens, "limitTokens");
        Objects.requireNonNull(remainingTokens, "remainingTokens");
        Objects.requireNonNull(resetTokens, "resetTokens");
    }

    /**
     * Reads the six headers. Reset values may be Go durations ({@code 1s}, {@code 6m0s},
     * {@code 20ms}) or plain seconds; a value that cannot be parsed is treated as absent.
     */
    public static RateLimitInfo from(HttpHeaders headers) {
        Objects.requireNonNull(headers, "headers");
        return new RateLimitInfo(
                count(headers, "x-ratelimit-limit-requests"),
                count(headers, "x-ratelimit-remaining-requests"),
                headers.firstValue("x-ratelimit-reset-requests").flatMap(DurationText::parse),
                count(headers, "x-ratelimit-limit-tokens"),
                count(headers, "x-ratelimit-remaining-tokens"),
                headers.firstValue("x-ratelimit-reset-tokens").flatMap(DurationText::parse));
    }

    /** Whether no value is present. */
    public boolean isEmpty() {
        return this.equals(NONE);
    }

    private static OptionalLong count(HttpHeaders headers, String name) {
        Optional<String> value = headers.firstValue(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        // Some servers append parameters ("100;w=60", draft IETF RateLimit syntax): keep the leading number.
        String v = value.get().strip();
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        if (end == 0 || end > 18) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(v.substring(0, end)));
    }
}
