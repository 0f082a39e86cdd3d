package dev.maas4j.management.internal;

import java.util.Optional;

/**
 * An error answered as {@code {"error":{"message","type","code"}}} with an HTTP status. Messages
 * are shown to clients: they name the offending field and never contain a secret.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String code;
    private final transient Optional<String> param;
    private final transient Optional<String> allow;

    ApiException(int status, String type, String code, String message, Optional<String> param,
                 Optional<String> allow) {
        // no stack trace: these are expected outcomes, not bugs, and are built on request paths
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.allow = allow;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The OpenAI-style error type. */
    public String type() {
        return type;
    }

    /** The machine-readable code. */
    public String code() {
        return code;
    }

    /** The request field at fault, if one is. */
    public Optional<String> param() {
        return param;
    }

    /** The {@code Allow} header of a 405. */
    public Optional<String> allow() {
        return allow;
    }

    static ApiException of(int status, String code, String message) {
        return new ApiException(status, typeOf(status), code, message, Optional.empty(), Optional.empty());
    }

    /** 400: the field {@code param} is invalid; the message names it too. */
    public static ApiException invalid(String param, String message) {
        return new ApiException(400, typeOf(400), "invalid_field", message, Optional.of(param), Optional.empty());
    }

    /** 400 with a specific code and the field at fault. */
    public static ApiException badRequest(String code, String param, String message) {
        return new ApiException(400, typeOf(400), code, message, Optional.of(param), Optional.empty());
    }

    /** 400 with a specific code. */
    public static ApiException badRequest(String code, String message) {
        return of(400, code, message);
    }

    /** 401. */
    public static ApiException unauthenticated(String code, String message) {
        return of(401, code, message);
    }

    /** 403. */
    public static ApiException forbidden(String message) {
        return of(403, "forbidden", message);
    }

    /** 404. */
    public static ApiException notFound(String code, String message) {
        return of(404, code, message);
    }

    /** 405 with the methods that are allowed. */
    public static ApiException methodNotAllowed(String method, String path, String allow) {
        return new ApiException(405, typeOf(405), "method_not_allowed",
                "method " + method + " is not allowed on " + path + " (allowed: " + allow + ")", Optional.empty(),
                Optional.of(allow));
    }

    /** 409. */
    public static ApiException conflict(String code, String message) {
        return of(409, code, message);
    }

    /**
     * 429: the client address has failed to authenticate too often; the caller sets
     * {@code Retry-After}.
     */
    public static ApiException tooManyAuthenticationFailures(long retryAfterSeconds) {
        dev.maas4j.api.Denial denial = dev.maas4j.core.AuthFailureThrottle.denial(retryAfterSeconds);
        return of(denial.httpStatus(), denial.reason().errorCode(), denial.message());
    }

    /** 413. */
    public static ApiException tooLarge(long max) {
        return of(413, "request_too_large", "the request body exceeds " + max + " bytes");
    }

    static String typeOf(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 409 -> "conflict_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }
}
