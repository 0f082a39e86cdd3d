package dev.maas4j.client;

import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded body together with the HTTP response it came in: status, headers, the request id
 * and the rate-limit state. Returned by the {@code ...WithResponse} variants of every call.
 *
 * <pre>{@code
 * ApiResponse<ChatCompletion> r = client.chat().createWithResponse(request);
 * System.out.println(r.body().text().orElse("") + " (request " + r.requestId().orElse("?") + ")");
 * }</pre>
 *
 * @param statusCode the HTTP status
 * @param headers    the response headers
 * @param body       the decoded body
 * @param <T>        the body type
 */
public record ApiResponse<T>(int statusCode, HttpHeaders headers, T body) {

    /** Validates the components. */
    public ApiResponse {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** The rate-limit state reported by the {@code x-ratelimit-*} headers. */
    public RateLimitInfo rateLimits() {
        return RateLimitInfo.from(headers);
    }

    /** The server's request id ({@code x-request-id}), to quote when reporting a problem. */
    public Optional<String> requestId() {
        return headers.firstValue("x-request-id");
    }

    /** The same response with another body. */
    public <U> ApiResponse<U> withBody(U newBody) {
        return new ApiResponse<>(statusCode, headers, newBody);
    }
}
