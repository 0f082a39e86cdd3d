package dev.maas4j.client;

import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * An error response: the HTTP status and the OpenAI error body
 * {@code {"error": {"message", "type", "code", "param"}}} (or the closest a server sent), with the
 * response headers for the request id and rate limits. The message never contains the API key or
 * management token the client was built with: it is masked if a server echoes it.
 *
 * @param statusCode the HTTP status (for an error sent inside a stream, the stream's status)
 * @param message    the error message, or the status line when the body had none
 * @param type       OpenAI {@code error.type}, e.g. {@code invalid_request_error}
 * @param code       OpenAI {@code error.code}, e.g. {@code rate_limit_exceeded}; numbers become text
 * @param param      OpenAI {@code error.param}: the request parameter at fault
 * @param headers    the response headers
 */
public record ApiError(int statusCode, String message, Optional<String> type, Optional<String> code,
                       Optional<String> param, HttpHeaders headers) {

    /** Validates the components. */
    public ApiError {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(headers, "headers");
    }

    /** The server's request id ({@code x-request-id}). */
    public Optional<String> requestId() {
        return headers.firstValue("x-request-id");
    }

    /** The rate-limit state from the {@code x-ratelimit-*} headers. */
    public RateLimitInfo rateLimits() {
        return RateLimitInfo.from(headers);
    }
}
