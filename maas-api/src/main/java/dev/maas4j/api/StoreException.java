package dev.maas4j.api;

/**
 * A store could not do what was asked (unreachable, failed, conflicting). The message names the
 * store; the cause, if any, carries the driver's detail and is for logs, not for clients.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String store;

    /** A failure of {@code store}. */
    public StoreException(String store, String message, Throwable cause) {
        super(store + ": " + message, cause);
        this.store = store;
    }

    /** A failure of {@code store} with no cause. */
    public StoreException(String store, String message) {
        this(store, message, null);
    }

    /** The name of the store that failed. */
    public String store() {
        return store;
    }
}
