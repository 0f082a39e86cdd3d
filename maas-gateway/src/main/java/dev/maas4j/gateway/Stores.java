package dev.maas4j.gateway;

import dev.maas4j.api.AuditLog;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.Secret;
import dev.maas4j.api.TimeSource;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.core.InMemoryAuditLog;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.core.LimitBackend;
import dev.maas4j.store.jdbc.JdbcLimitBackend;
import dev.maas4j.store.jdbc.JdbcStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The stores the gateway runs on, as {@code store.type} says: an H2 file in {@code store.dataDir}
 * (the default: keys, catalog, usage and the audit trail survive a restart), PostgreSQL (replicas
 * share keys, catalog, usage and limits), or memory. Users' groups always come from the
 * configuration, held in memory. Thread-safe.
 */
final class Stores implements AutoCloseable {
    private final InMemoryStore groups = new InMemoryStore();
    private final Optional<JdbcStore> jdbc;
    private final Optional<JdbcLimitBackend> limits;
    private final AuditLog audit;

    private Stores(Optional<JdbcStore> jdbc, Optional<JdbcLimitBackend> limits) {
        this.jdbc = jdbc;
        this.limits = limits;
        this.audit = jdbc.<AuditLog>map(s -> s).orElseGet(() -> new InMemoryAuditLog(10_000));
    }

    static Stores open(GatewayConfig.Store config) {
        if (config.type().equals("memory")) {
            return new Stores(Optional.empty(), Optional.empty());
        }
        String url;
        if (config.url() != null) {
            url = config.url();
        } else if (config.type().equals("h2")) {
            Path dir = Path.of(config.dataDir()).toAbsolutePath();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("store.dataDir " + dir + " cannot be created", e);
            }
            url = "jdbc:h2:file:" + dir.resolve("maas");
        } else {
            throw new IllegalArgumentException("store.url (or MAAS_DB_URL) is required for store.type postgresql");
        }
        JdbcStore.Builder builder = JdbcStore.builder(url);
        if (config.username() != null) {
            builder.username(config.username());
        }
        String password = System.getenv(config.passwordEnv());
        if (password != null && !password.isEmpty()) {
            builder.password(Secret.of(password));
        }
        if (config.retention() != null) {
            builder.retention(GatewayConfig.duration(config.retention(), "store.retention"));
        }
        JdbcStore store = builder.build();
        // limits are shared through the database only where replicas can share it; one H2 file has one process
        Optional<JdbcLimitBackend> limits = config.type().equals("postgresql")
                ? Optional.of(JdbcLimitBackend.builder(store).timeSource(TimeSource.system()).build())
                : Optional.empty();
        return new Stores(Optional.of(store), limits);
    }

    KeyStore keys() {
        return jdbc.<KeyStore>map(s -> s).orElse(groups);
    }

    CatalogStore catalog() {
        return jdbc.<CatalogStore>map(s -> s).orElse(groups);
    }

    UsageLedger ledger() {
        return jdbc.<UsageLedger>map(s -> s).orElse(groups);
    }

    AuditLog audit() {
        return audit;
    }

    InMemoryStore groups() {
        return groups;
    }

    Optional<LimitBackend> limits() {
        return limits.map(l -> l);
    }

    TimeSource clock() {
        return TimeSource.system();
    }

    @Override
    public void close() {
        limits.ifPresent(JdbcLimitBackend::close);
        jdbc.ifPresent(JdbcStore::close);
    }
}
