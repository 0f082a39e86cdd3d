package dev.maas4j.api;

/**
 * Why a request was denied, with the HTTP status and the OpenAI-style error {@code type} and
 * {@code code} a gateway answers with.
 */
public enum DenialReason {
    /** No key was presented. */
    MISSING_KEY(401, "authentication_error", "missing_api_key"),
    /**
     * The request path is not in normal form (dot segments, {@code //}, escaped separators): an
     * upstream would normalize it outside the model's base URL.
     */
    INVALID_PATH(400, "invalid_request_error", "invalid_path"),
    /** The client sent a header of the gateway's own namespace ({@code X-MaaS-*}). */
    FORBIDDEN_HEADER(403, "permission_error", "forbidden_header"),
    /** A token endpoint's body is not JSON in UTF-8. */
    UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error", "unsupported_media_type"),
    /** The body is longer than the gateway accepts. */
    REQUEST_TOO_LARGE(413, "invalid_request_error", "request_too_large"),
    /** The body did not arrive within the deadline, or arrived too slowly. */
    REQUEST_TIMEOUT(408, "invalid_request_error", "request_timeout"),
    /** Too many bodies are arriving at once from the client's address. */
    TOO_MANY_UPLOADS(429, "rate_limit_error", "too_many_uploads"),
    /** The body is not valid JSON (or a field read has the wrong type or an absurd value). */
    MALFORMED_REQUEST(400, "invalid_request_error", "invalid_json"),
    /** Neither the route nor the body names a model. */
    MODEL_REQUIRED(400, "invalid_request_error", "model_required"),
    /** The route and the body name different models. */
    MODEL_MISMATCH(400, "invalid_request_error", "model_mismatch"),
    /** The key is malformed, unknown or its secret does not match. */
    INVALID_KEY(401, "authentication_error", "invalid_api_key"),
    /** The key has expired. */
    EXPIRED_KEY(401, "authentication_error", "expired_api_key"),
    /** The key was revoked. */
    REVOKED_KEY(401, "authentication_error", "revoked_api_key"),
    /** No such model in the catalog. */
    MODEL_NOT_FOUND(404, "not_found_error", "model_not_found"),
    /** The model exists but is disabled. */
    MODEL_DISABLED(403, "permission_error", "model_disabled"),
    /** No auth policy grants the model to the key's owner. */
    NOT_AUTHORIZED(403, "permission_error", "model_not_authorized"),
    /** The key's scope excludes the model. */
    OUT_OF_SCOPE(403, "permission_error", "model_out_of_key_scope"),
    /** No subscription covers the model for the key's owner. */
    NO_SUBSCRIPTION(403, "permission_error", "no_subscription"),
    /** The subscription asked for is not one the key may use for this model. */
    SUBSCRIPTION_NOT_ELIGIBLE(403, "permission_error", "subscription_not_eligible"),
    /** The key's requests-per-minute limit is reached. */
    REQUEST_RATE_LIMITED(429, "rate_limit_error", "rate_limit_exceeded"),
    /** The key's tokens-per-minute limit is reached. */
    TOKEN_RATE_LIMITED(429, "rate_limit_error", "rate_limit_exceeded"),
    /** A subscription token or request window is exhausted. */
    QUOTA_EXCEEDED(429, "rate_limit_error", "quota_exceeded"),
    /** Too many requests in flight for the key. */
    TOO_MANY_PARALLEL_REQUESTS(429, "rate_limit_error", "too_many_parallel_requests"),
    /**
     * The client's address failed to authenticate too often: it is refused without its credential
     * being looked at until its window ends ({@code AuthFailureThrottle}).
     */
    TOO_MANY_AUTHENTICATION_FAILURES(429, "rate_limit_error", "too_many_authentication_failures"),
    /**
     * The request can never be admitted, however long the client waits: with
     * {@code ReservationStrategy.WORST_CASE} its reservation (prompt estimate plus
     * {@code max_tokens × choices}) is larger than the whole capacity of one of its token windows
     * or budgets. A smaller {@code max_tokens} (or {@code n}) may fit; the message says which.
     */
    REQUEST_EXCEEDS_LIMIT(400, "invalid_request_error", "request_exceeds_limit"),
    /** A budget (key, user, group or subscription) is spent for the period. */
    BUDGET_EXCEEDED(429, "insufficient_quota", "budget_exceeded"),
    /** The engine cannot take more work now (the usage buffer is full). */
    OVERLOADED(503, "server_error", "overloaded"),
    /** A store the decision needs is unreachable and the engine fails closed. */
    STORE_UNAVAILABLE(503, "server_error", "store_unavailable");

    private final int httpStatus;
    private final String errorType;
    private final String errorCode;

    DenialReason(int httpStatus, String errorType, String errorCode) {
        this.httpStatus = httpStatus;
        this.errorType = errorType;
        this.errorCode = errorCode;
    }

    /** The HTTP status to answer with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The OpenAI-style error {@code type}. */
    public String errorType() {
        return errorType;
    }

    /** The OpenAI-style error {@code code}. */
    public String errorCode() {
        return errorCode;
    }
}
