package dev.maas4j.core;

import java.util.Objects;

/**
 * A key request the {@link KeyService} refused, naming the field at fault, so that an API can
 * answer 400 with it without reading the message.
 *
 * <pre>{@code
 * try {
 *     engine.keys().create(request);
 * } catch (KeyRequestException e) {
 *     return badRequest(e.code(), e.field(), e.getMessage());   // e.g. invalid_subscription, subscription
 * }
 * }</pre>
 */
public final class KeyRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The code of a subscription that does not exist or is not the owner's (one code for both). */
    public static final String INVALID_SUBSCRIPTION = "invalid_subscription";
    /**
     * The code of a key refused because its owner already holds the most active keys allowed for
     * the subscription ({@link KeyRequest#maxActiveKeysPerSubscription()}).
     */
    public static final String KEY_LIMIT_REACHED = "key_limit_reached";
    /** The code of any other invalid field. */
    public static final String INVALID_REQUEST = "invalid_request";

    private final String field;
    private final String code;

    /**
     * @param field   the request's field at fault, e.g. {@code expiresAt}
     * @param code    a machine-readable code ({@link #INVALID_SUBSCRIPTION}, {@link #INVALID_REQUEST})
     * @param message a message naming the field, safe to show the caller
     */
    public KeyRequestException(String field, String code, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The field at fault. */
    public String field() {
        return field;
    }

    /** The machine-readable code. */
    public String code() {
        return code;
    }
}
