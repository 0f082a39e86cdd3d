package dev.maas4j.client;

/**
 * The root of everything the maas4j clients throw: {@link MaasApiException} when the server
 * answered with an error, {@link ConnectionException} when no answer came. Unchecked, so that
 * callers handle only what they can act on. Messages never contain a credential.
 */
public class MaasClientException extends RuntimeException {

    /** An exception with a message. */
    public MaasClientException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public MaasClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
