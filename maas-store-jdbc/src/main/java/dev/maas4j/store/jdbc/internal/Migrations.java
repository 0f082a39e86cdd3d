package dev.maas4j.store.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Applies the versioned SQL files {@code db/maas4j/<dialect>/V<n>__<description>.sql} that the
 * database has not recorded in {@code maas_schema_version}, in order.
 *
 * <p>Concurrent starts do not race. On PostgreSQL every migration runs in one transaction holding
 * a transaction-scoped advisory lock, so a second replica waits, then sees the version recorded
 * and applies nothing. H2 commits DDL at once, so there the migrations of one database are
 * serialised in the JVM (an embedded H2 file belongs to one process) and every statement is
 * idempotent ({@code IF NOT EXISTS}, {@code MERGE}), so even an interleaved run is harmless.
 * Thread-safe.
 */
public final class Migrations {
    /** The versions shipped with this build, in order. */
    public static final List<String> FILES = List.of("V1__initial_schema.sql", "V2__usage_event_anomalous.sql");
    /** The schema version this build needs. */
    public static final int LATEST = FILES.size();
    /** An arbitrary constant naming maas4j's advisory lock ("maas4j" in ASCII). */
    private static final long ADVISORY_LOCK = 0x6d61617334_6aL;
    private static final ConcurrentMap<String, Object> H2_LOCKS = new ConcurrentHashMap<>();

    private Migrations() {
    }

    /**
     * Applies the missing migrations.
     *
     * @return the versions applied by this call, possibly none
     */
    public static List<Integer> migrate(Connection connection, Dialect dialect) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK + ")");
                }
                List<Integer> applied = applyMissing(connection, dialect);
                connection.commit();
                return applied;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
        String database = connection.getMetaData().getURL();
        synchronized (H2_LOCKS.computeIfAbsent(database, k -> new Object())) {
            return applyMissing(connection, dialect);
        }
    }

    /** The highest version recorded, 0 when the schema was never created. */
    public static int currentVersion(Connection connection) throws SQLException {
        if (!tableExists(connection, "maas_schema_version")) {
            return 0;
        }
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT MAX(version) FROM maas_schema_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    private static List<Integer> applyMissing(Connection connection, Dialect dialect) throws SQLException {
        Set<Integer> done = new HashSet<>();
        if (tableExists(connection, "maas_schema_version")) {
            try (Statement s = connection.createStatement();
                 ResultSet r = s.executeQuery("SELECT version FROM maas_schema_version")) {
                while (r.next()) {
                    done.add(r.getInt(1));
                }
            }
        }
        List<Integer> applied = new ArrayList<>();
        for (int i = 0; i < FILES.size(); i++) {
            int version = i + 1;
            if (done.contains(version)) {
                continue;
            }
            for (String statement : statements(script(dialect, FILES.get(i)))) {
                try (Statement s = connection.createStatement()) {
                    s.execute(statement);
                }
            }
            applied.add(version);
        }
        return applied;
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String name : new String[] {table, table.toUpperCase(java.util.Locale.ROOT)}) {
            try (ResultSet r = meta.getTables(null, null, name, new String[] {"TABLE", "BASE TABLE"})) {
                if (r.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The text of one shipped migration. */
    public static String script(Dialect dialect, String file) {
        String path = "/db/maas4j/" + dialect.folder() + "/" + file;
        try (InputStream in = Migrations.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("migration " + path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a script into statements: comments dropped, statements end with {@code ;} at the end of a line. */
    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }
}
