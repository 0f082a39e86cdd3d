package dev.maas4j.client;

/**
 * No response arrived within the configured request timeout. A {@code POST} that timed out is
 * never retried: the server may still be processing (and billing) it.
 */
public class RequestTimeoutException extends ConnectionException {

    /** An exception with a message and the timeout. */
    public RequestTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
