package dev.maas4j.client.internal;

import dev.maas4j.client.RetryPolicy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides whether a failed attempt is retried and after how long (the rules are documented on
 * {@link RetryPolicy}). The one question it must get right is whether a request may already have
 * been processed: a model call that ran is billed, so it is repeated only when the server said it
 * refused it before doing anything (429, 503) or when it was provably never sent.
 */
public final class RetryRules {

    private final RetryPolicy policy;
    private final Clock clock;

    /** Rules applying {@code policy}, reading HTTP-date {@code Retry-After} values against {@code clock}. */
    public RetryRules(RetryPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** The delay before retrying after attempt {@code attempt} answered {@code status}, or empty to give up. */
    public Optional<Duration> afterStatus(boolean idempotent, int attempt, int status, HttpHeaders headers) {
        if (attempt >= policy.maxAttempts()) {
            return Optional.empty();
        }
        // 429 and 503 are answered by the gateway before the request reaches a model; a 502 or
        // 504 may come after the upstream started working, so only idempotent calls repeat them.
        boolean retryable = status == 429 || status == 503 || (idempotent && (status == 502 || status == 504));
        if (!retryable) {
            return Optional.empty();
        }
        Optional<Duration> asked = DurationText.retryAfter(headers, clock);
        if (asked.isPresent()) {
            Duration d = asked.get();
            return Optional.of(d.compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : d);
        }
        return Optional.of(policy.backoff(attempt));
    }

    /** The delay before retrying after attempt {@code attempt} failed with {@code failure}, or empty to give up. */
    public Optional<Duration> afterFailure(boolean idempotent, int attempt, IOException failure) {
        if (attempt >= policy.maxAttempts()) {
            return Optional.empty();
        }
        if (neverSent(failure)) {
            return Optional.of(policy.backoff(attempt));
        }
        // A timeout waiting for the response means the server may be working on it right now.
        if (failure instanceof HttpTimeoutException) {
            return Optional.empty();
        }
        return idempotent ? Optional.of(policy.backoff(attempt)) : Optional.empty();
    }

    /** Whether the failure happened before any byte of the request left (connection refused or timed out). */
    public static boolean neverSent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
