package dev.maas4j.client;

import java.net.http.HttpHeaders;
import java.util.Objects;
import java.util.Optional;

/**
 * The server answered with an error status. Subclasses name the common statuses, so that a
 * caller can catch {@link RateLimitException} or {@link AuthenticationException} alone:
 *
 * <pre>{@code
 * try {
 *     client.chat().create(request);
 * } catch (RateLimitException e) {
 *     Duration wait = e.retryAfter().orElse(Duration.ofSeconds(1));
 * } catch (MaasApiException e) {
 *     log.warn("{} {} (request {})", e.statusCode(), e.errorMessage(), e.requestId().orElse("?"));
 * }
 * }</pre>
 */
public class MaasApiException extends MaasClientException {

    private final ApiError error;

    /** An exception for {@code error}. */
    public MaasApiException(ApiError error) {
        super(describe(Objects.requireNonNull(error, "error")));
        this.error = error;
    }

    /** The exception class that matches the status of {@code error}. */
    public static MaasApiException of(ApiError error) {
        int status = error.statusCode();
        return switch (status) {
            case 400 -> new BadRequestException(error);
            case 401 -> new AuthenticationException(error);
            case 403 -> new PermissionDeniedException(error);
            case 404 -> new NotFoundException(error);
            case 409 -> new ConflictException(error);
            case 422 -> new UnprocessableEntityException(error);
            case 429 -> new RateLimitException(error);
            default -> status >= 500 ? new ServerException(error) : new MaasApiException(error);
        };
    }

    /** The error as received. */
    public ApiError error() {
        return error;
    }

    /** The HTTP status. */
    public int statusCode() {
        return error.statusCode();
    }

    /** OpenAI {@code error.type}, e.g. {@code invalid_request_error}. */
    public Optional<String> type() {
        return error.type();
    }

    /** OpenAI {@code error.code}, e.g. {@code invalid_api_key}. */
    public Optional<String> code() {
        return error.code();
    }

    /** OpenAI {@code error.param}: the request parameter at fault. */
    public Optional<String> param() {
        return error.param();
    }

    /** The server's message alone, without status or request id. */
    public String errorMessage() {
        return error.message();
    }

    /** The server's request id ({@code x-request-id}). */
    public Optional<String> requestId() {
        return error.requestId();
    }

    /** The rate-limit state the error response reported. */
    public RateLimitInfo rateLimits() {
        return error.rateLimits();
    }

    /** The response headers. */
    public HttpHeaders headers() {
        return error.headers();
    }

    private static String describe(ApiError error) {
        StringBuilder s = new StringBuilder().append(error.statusCode()).append(": ").append(error.message());
        StringBuilder details = new StringBuilder();
        error.type().ifPresent(t -> details.append("type: ").append(t));
        error.code().ifPresent(c -> details.append(details.length() > 0 ? ", " : "").append("code: ").append(c));
        error.param().ifPresent(p -> details.append(details.length() > 0 ? ", " : "").append("param: ").append(p));
        error.requestId().ifPresent(r -> details.append(details.length() > 0 ? ", " : "").append("request id: ").append(r));
        if (details.length() > 0) {
            s.append(" (").append(details).append(')');
        }
        return s.toString();
    }
}
