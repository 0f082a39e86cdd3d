package dev.maas4j.client;

/**
 * No HTTP answer: the connection could not be made, or broke before or while the response was
 * read (including a stream cut off mid-way). Its message names the method and URL, never a
 * credential.
 */
public class ConnectionException extends MaasClientException {

    /** An exception with a message and the I/O failure. */
    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
