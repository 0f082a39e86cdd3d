package dev.maas4j.gateway;

import dev.maas4j.api.AuditLog;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.KeyStore;
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
        if (config.type() == GatewayConfig.StoreType.MEMORY) {
            return new Stores(Optional.empty(), Optional.empty());
        }
        String url;
        if (config.url().isPresent()) {
            url = config.url().get();
        } else {
            // the configuration was checked at load: postgresql has a URL, so this is h2
            Path dir = config.dataDir().toAbsolutePath();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("store.dataDir " + dir + " cannot be created", e);
            }
            url = "jdbc:h2:file:" + dir.resolve("maas");
        }
        JdbcStore.Builder builder = JdbcStore.builder(url);
        config.username().ifPresent(builder::username);
        config.password().ifPresent(builder::password);
        config.retention().ifPresent(builder::retention);
        JdbcStore store = builder.build();
        // limits are shared through the database only where replicas can share it; one H2 file has one process
        Optional<JdbcLimitBackend> limits = config.type() == GatewayConfig.StoreType.POSTGRESQL
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
