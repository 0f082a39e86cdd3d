package dev.maas4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link H2Database}: the class's database outlives its connections; more databases are separate. */
class H2DatabaseTest {
    @RegisterExtension
    static final H2Database H2 = H2Database.inMemory();

    @Test
    void theClassDatabaseKeepsItsTablesBetweenConnectionsAndOthersAreEmpty() throws Exception {
        try (Connection c = DriverManager.getConnection(H2.url()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id INT)");
            s.execute("INSERT INTO kept VALUES (1)");
        }
        try (Connection c = DriverManager.getConnection(H2.url()); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM kept")) {
            r.next();
            assertEquals(1, r.getInt(1));
        }

        String other = H2.newDatabase();
        assertNotEquals(H2.url(), other);
        try (Connection c = DriverManager.getConnection(other); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'KEPT'")) {
            r.next();
            assertEquals(0, r.getInt(1));
        }
    }
}
