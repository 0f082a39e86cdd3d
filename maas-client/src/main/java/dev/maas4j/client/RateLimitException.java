package dev.maas4j.client;

import dev.maas4j.client.internal.DurationText;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * HTTP 429: a request or token rate limit, or a budget, was exceeded. Thrown once the client's
 * own retries (see {@link RetryPolicy}) are used up. {@link #retryAfter()} says when to come
 * back and {@link #rateLimits()} which limit was hit.
 */
public class RateLimitException extends MaasApiException {

    /** An exception for {@code error}. */
    public RateLimitException(ApiError error) {
        super(error);
    }

    /** The delay the server asked for ({@code retry-after-ms} or {@code Retry-After}). */
    public Optional<Duration> retryAfter() {
        return DurationText.retryAfter(headers(), Clock.systemUTC());
    }
}
