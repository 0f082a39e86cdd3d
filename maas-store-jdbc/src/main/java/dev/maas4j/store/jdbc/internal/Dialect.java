package dev.maas4j.store.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The databases the store speaks to; the SQL that differs between them is chosen by this. */
public enum Dialect {
    /** PostgreSQL 12 or later. */
    POSTGRESQL("postgresql"),
    /** H2 2.x, in memory or in a file. */
    H2("h2");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /** The folder under {@code db/maas4j/} that holds this dialect's migrations. */
    public String folder() {
        return folder;
    }

    /** The dialect of the database behind {@code connection}. */
    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("h2")) {
            return H2;
        }
        throw new SQLException("unsupported database '" + product + "': maas4j supports PostgreSQL and H2");
    }
}
