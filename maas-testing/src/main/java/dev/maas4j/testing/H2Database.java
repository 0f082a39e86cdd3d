package dev.maas4j.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension giving a test class an in-memory H2 database of its own, which lives until
 * the class has run (it does not vanish when the last connection closes).
 *
 * <pre>{@code
 * class MyH2StoreTest extends UsageLedgerContract {
 *     @RegisterExtension
 *     static final H2Database h2 = H2Database.inMemory();
 *
 *     @Override
 *     protected UsageLedger newLedger() {
 *         return new MyStore(h2.newDatabase());   // a fresh database for each test is cheap in H2
 *     }
 * }
 * }</pre>
 *
 * <p>Register it on a {@code static} field. {@link #url()} is the class's database;
 * {@link #newDatabase()} gives more, each empty; all are shut down after the class. Nested classes
 * share the enclosing class's database. Needs {@code com.h2database:h2} on the test class path.
 * Thread-safe.
 */
public final class H2Database implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final List<String> urls = new CopyOnWriteArrayList<>();
    private volatile String url;
    private volatile String owner;

    private H2Database() {
    }

    /** An extension with an in-memory database per test class. */
    public static H2Database inMemory() {
        return new H2Database();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (url == null) {
            owner = context.getUniqueId();
            url = newDatabase();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!context.getUniqueId().equals(owner)) {
            return;
        }
        for (String database : urls) {
            try (Connection c = DriverManager.getConnection(database); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException e) {
                // already gone: nothing is left to free
            }
        }
        urls.clear();
        url = null;
        owner = null;
    }

    /**
     * The JDBC URL of the class's database.
     *
     * @throws IllegalStateException outside the test class's run
     */
    public String url() {
        String current = url;
        if (current == null) {
            throw new IllegalStateException("no database: register H2Database on a static field");
        }
        return current;
    }

    /** The JDBC URL of another new, empty in-memory database, shut down with the class's. */
    public String newDatabase() {
        String created = "jdbc:h2:mem:maas-test-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
        urls.add(created);
        return created;
    }
}
