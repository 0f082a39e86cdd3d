package dev.maas4j.store.jdbc;

import dev.maas4j.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store contracts on a real PostgreSQL: one database for the class, emptied before each test.
 */
class PostgresStoreTest extends StoreContracts {
    @RegisterExtension
    static final PostgresDatabase DB = PostgresDatabase.create();

    @BeforeAll
    static void schema() {
        JdbcStore.builder(DB.url()).build().close(); // creates the schema
    }

    @Override
    protected JdbcStore emptyStore() {
        try (Connection c = DriverManager.getConnection(DB.url()); Statement s = c.createStatement()) {
            s.execute("TRUNCATE maas_api_key, maas_catalog_entry, maas_change, maas_usage_event, maas_usage_hourly,"
                    + " maas_usage_hourly_model, maas_usage_hourly_group, maas_audit_event, maas_limit_bucket");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return JdbcStore.builder(DB.url()).maxPoolSize(4).build();
    }
}
