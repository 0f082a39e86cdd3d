package dev.maas4j.gateway;

/**
 * A configuration the gateway cannot run with: a YAML syntax error, a setting of the wrong type
 * or out of range, an unknown setting, a catalog entry the management API would refuse, a
 * reference to something that does not exist. The message is one line that names where the
 * problem is (the setting's path, the environment variable that set it, or the file's line and
 * column) and what it is, e.g. {@code upstream.idleTimeout: "5x" is not a duration (e.g. 30s, 5m)}
 * or {@code MAAS_PORT=abc: server.port must be a number from 0 to 65535}; it never contains a
 * secret. {@link Gateway#main} prints it and exits with status 2. Immutable.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** A configuration error with its one-line {@code message}. */
    public ConfigException(String message) {
        super(oneLine(message));
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // a wrong setting, not a bug: the message says all, and a stack trace would bury it
        return this;
    }
}
