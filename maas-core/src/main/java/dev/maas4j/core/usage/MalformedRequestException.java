package dev.maas4j.core.usage;

/**
 * A request body that maas4j cannot govern: not JSON, not a JSON object, or a field that the
 * gateway reads (such as {@code model} or {@code max_tokens}) of the wrong type. The message names
 * the problem and never includes content of the body, so it can be returned to the client and
 * logged. The gateway answers such a request with 400 rather than forward it.
 */
public final class MalformedRequestException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, without content of the body,
     *                e.g. {@code "'model' must be a string"}
     */
    public MalformedRequestException(String message) {
        super(message);
    }
}
