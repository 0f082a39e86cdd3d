package dev.maas4j.store.jdbc.internal;

import dev.maas4j.api.StoreException;
import org.jdbi.v3.core.JdbiException;

import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names the store in every error and turns driver exceptions into {@link StoreException}s whose
 * message is safe to log: credentials are stripped from URLs and driver messages, and the driver's
 * exception is kept only as the cause. Immutable and thread-safe.
 */
public final class StoreErrors {
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password|pwd)\\s*=\\s*[^&;\\s]*");
    private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");

    private final String name;

    /** Errors of the store at {@code jdbcUrl}. */
    public StoreErrors(String jdbcUrl) {
        this.name = "jdbc store (" + describe(jdbcUrl) + ")";
    }

    /** The store's name, e.g. {@code jdbc store (postgresql://db:5432/maas)}. */
    public String name() {
        return name;
    }

    /**
     * A URL safe to show: no {@code jdbc:} prefix, no user info, no parameters (they may carry a
     * password), e.g. {@code postgresql://db:5432/maas} or {@code h2:file:/data/maas}.
     */
    public static String describe(String jdbcUrl) {
        String url = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
        int query = url.indexOf('?');
        if (query >= 0) {
            url = url.substring(0, query);
        }
        int h2Settings = url.indexOf(';');
        if (h2Settings >= 0) {
            url = url.substring(0, h2Settings);
        }
        return USER_INFO.matcher(url).replaceFirst("//");
    }

    /** A store exception for {@code operation} caused by {@code cause}. */
    public StoreException wrap(String operation, Throwable cause) {
        if (cause instanceof StoreException se) {
            return se;
        }
        return new StoreException(name, operation + " failed: " + summary(cause), cause);
    }

    /** A store exception with no cause. */
    public StoreException failure(String message) {
        return new StoreException(name, message);
    }

    /** The SQL state of the first {@link SQLException} in the chain, or {@code ""}. */
    public static String sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "";
    }

    /** Whether the failure is a duplicate key. */
    public static boolean isUniqueViolation(Throwable t) {
        return "23505".equals(sqlState(t));
    }

    /** Whether running the transaction again may succeed (deadlock, serialization or lock timeout). */
    public static boolean isRetryable(Throwable t) {
        String state = sqlState(t);
        return state.equals("40001") || state.equals("40P01") || state.equals("HYT00") || state.equals("23505");
    }

    /** Whether the database could not be reached (connection refused, lost or shut down). */
    public static boolean isConnectionFailure(Throwable t) {
        String state = sqlState(t).toUpperCase(Locale.ROOT);
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.isEmpty() && t instanceof SQLException;
    }

    private static String summary(Throwable cause) {
        Throwable root = cause;
        for (Throwable c = cause; c != null; c = c.getCause()) {
            root = c;
            if (c instanceof SQLException) {
                break;
            }
        }
        if (root instanceof JdbiException && root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        message = PASSWORD.matcher(message).replaceAll("$1=***");
        String state = sqlState(root);
        return state.isEmpty() ? message : message + " [SQLState " + state + "]";
    }
}
