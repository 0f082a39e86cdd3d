package dev.maas4j.servlet.internal;

import dev.maas4j.api.DurationText;

import java.io.IOException;
import java.time.Duration;

/**
 * Why the gateway ended a response the upstream had not finished: the upstream went silent, the
 * response ran longer or grew larger than the model's limit, or the API key was revoked. A stream
 * is told in a last SSE error event with {@link #code}; a response not started yet is answered
 * {@link #status} instead. Immutable.
 */
final class Cut extends IOException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final String code;

    private Cut(int status, String type, String code, String message) {
        super(message, null);
        this.status = status;
        this.type = type;
        this.code = code;
    }

    static Cut idle(Duration timeout) {
        return new Cut(504, "server_error", "upstream_timeout", "The model sent nothing for longer than "
                + DurationText.format(timeout));
    }

    static Cut tooLong(Duration limit) {
        return new Cut(504, "server_error", "response_too_long", "The response ran longer than the model's limit of "
                + DurationText.format(limit));
    }

    static Cut tooLarge(long limit) {
        return new Cut(502, "server_error", "response_too_large", "The response grew larger than the model's limit of "
                + limit + " bytes");
    }

    static Cut revoked() {
        return new Cut(401, "authentication_error", "revoked_api_key", "This API key has been revoked");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // a decision, not a failure: no stack to record
        return this;
    }
}
