package dev.maas4j.store.jdbc.internal;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The database a store works on: its data source, dialect and name, and the few helpers every
 * repository shares. Thread-safe.
 */
public final class Database {
    /** The PostgreSQL notification channel that wakes the change feeds of every replica. */
    public static final String CHANNEL = "maas4j_changes";

    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final StoreErrors errors;
    private volatile Runnable afterChange = () -> {
    };

    /** A database reached through {@code dataSource}. */
    public Database(DataSource dataSource, Dialect dialect, StoreErrors errors) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.dialect = dialect;
        this.errors = errors;
    }

    /** The data source. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The dialect. */
    public Dialect dialect() {
        return dialect;
    }

    /** The errors, naming the store. */
    public StoreErrors errors() {
        return errors;
    }

    /** Runs {@code callback} on a handle; any failure becomes a {@link dev.maas4j.api.StoreException}. */
    public <T> T call(String operation, HandleCallback<T, Exception> callback) {
        try {
            return jdbi.withHandle(callback);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw errors.wrap(operation, e);
        }
    }

    /** Runs {@code callback} in a transaction; any failure becomes a {@link dev.maas4j.api.StoreException}. */
    public <T> T transaction(String operation, HandleCallback<T, Exception> callback) {
        return call(operation, h -> h.inTransaction(callback));
    }

    /** Called after a transaction that recorded a change has committed (wakes the local feed). */
    public void afterChange(Runnable value) {
        afterChange = value;
    }

    /** Tells the local change feed to look now. */
    public void changed() {
        afterChange.run();
    }

    /**
     * Records a change in the feed, in the caller's transaction. The counter's row lock is held
     * until commit, so change versions become visible in order.
     */
    public void recordChange(Handle handle, String kind, String keyId) {
        handle.createUpdate("UPDATE maas_change_counter SET version = version + 1 WHERE id = 1").execute();
        long version = handle.createQuery("SELECT version FROM maas_change_counter WHERE id = 1")
                .mapTo(Long.class).one();
        handle.createUpdate("INSERT INTO maas_change (version, kind, key_id, changed_at) VALUES (?, ?, ?, ?)")
                .bind(0, version).bind(1, kind).bind(2, keyId).bind(3, timestamp(Instant.now())).execute();
        if (dialect == Dialect.POSTGRESQL) {
            // delivered to every listening session when (and only if) the transaction commits
            handle.createQuery("SELECT pg_notify('" + CHANNEL + "', '')").mapTo(String.class).one();
        }
    }

    /** An instant as a value for a {@code TIMESTAMP WITH TIME ZONE} column. */
    public static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** A {@code TIMESTAMP WITH TIME ZONE} column as an instant. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A nullable {@code TIMESTAMP WITH TIME ZONE} column. */
    public static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(instant(rs, column));
    }
}
