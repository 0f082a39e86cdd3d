package dev.maas4j.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.maas4j.api.ApiKey;
import dev.maas4j.api.AuditEvent;
import dev.maas4j.api.AuditLog;
import dev.maas4j.api.IdentityDirectory;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.ChangeListener;
import dev.maas4j.api.Granularity;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Secret;
import dev.maas4j.api.StoreException;
import dev.maas4j.api.Subject;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import dev.maas4j.core.StoreBundle;
import dev.maas4j.store.jdbc.internal.AuditRepository;
import dev.maas4j.store.jdbc.internal.CatalogRepository;
import dev.maas4j.store.jdbc.internal.ChangeFeed;
import dev.maas4j.store.jdbc.internal.Database;
import dev.maas4j.store.jdbc.internal.Dialect;
import dev.maas4j.store.jdbc.internal.KeyRepository;
import dev.maas4j.store.jdbc.internal.Migrations;
import dev.maas4j.store.jdbc.internal.StoreErrors;
import dev.maas4j.store.jdbc.internal.UsageRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Keys, catalog, usage ledger and audit log in one H2 or PostgreSQL database, shared by every
 * engine (replica) that points at it.
 *
 * <pre>{@code
 * // PostgreSQL, several replicas: one pool per replica, owned by the store
 * try (JdbcStore store = JdbcStore.builder("jdbc:postgresql://db:5432/maas")
 *         .username("maas").password(Secret.of(System.getenv("MAAS_DB_PASSWORD")))
 *         .retention(Duration.ofDays(90))
 *         .build();
 *      JdbcLimitBackend limits = JdbcLimitBackend.builder(store).timeSource(TimeSource.system()).build();
 *      MaasEngine engine = MaasEngine.builder().stores(store.bundle().withLimits(limits)).build()) {
 *     ...
 * }
 *
 * // one process, data kept in a file
 * JdbcStore store = JdbcStore.builder("jdbc:h2:file:./data/maas").build();
 *
 * // a DataSource the host application already has
 * JdbcStore store = JdbcStore.builder(dataSource).build();
 * }</pre>
 *
 * <p><b>Schema.</b> At build the store applies the versioned migrations shipped in
 * {@code db/maas4j/<postgresql|h2>/V<n>__*.sql} that the database has not recorded in
 * {@code maas_schema_version}; replicas starting together do not race (an advisory lock on
 * PostgreSQL). With {@link Builder#migrate(boolean) migrate(false)} it only checks that a DBA has
 * applied them.
 *
 * <p><b>Changes.</b> Key and catalog changes made by any replica are recorded in a change feed and
 * told to the {@link ChangeListener}s of every store on the database within a second: through
 * {@code LISTEN/NOTIFY} on PostgreSQL (milliseconds), by polling every
 * {@link Builder#changePollInterval(Duration)} on H2.
 *
 * <p><b>Ledger.</b> {@link #append(List)} stores a batch in one transaction, idempotent by request
 * id, and keeps hourly rollups that answer totals over any range from a few hundred rows.
 * {@link Builder#retention(Duration)} purges events older than the retention every hour; rollups
 * are kept, so totals and series over purged periods still answer, to the hour.
 *
 * <p><b>Errors.</b> Every failure to reach or use the database is a {@link StoreException} whose
 * message names the store ({@code jdbc store (postgresql://db:5432/maas): ...}) and never holds a
 * password; the driver's exception is only its cause.
 *
 * <p>Thread-safe. {@link #close()} stops the change feed and maintenance and closes the pool the
 * store created (a data source given to it is left open).
 *
 * <p>Longer than our usual class: it is the public surface of a store that implements four SPIs
 * (keys, catalog, ledger and audit) plus its builder, each method a documented
 * one-line delegation to a repository in {@code internal}; the behaviour lives there.
 */
public final class JdbcStore implements KeyStore, CatalogStore, UsageLedger, AuditLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

    private final Database db;
    private final HikariDataSource ownedPool;
    private final KeyRepository keys;
    private final CatalogRepository catalog;
    private final UsageRepository usage;
    private final AuditRepository audit;
    private final ChangeFeed feed;
    private final Optional<Duration> retention;
    private final ScheduledExecutorService maintenance;

    private JdbcStore(Database db, HikariDataSource ownedPool, Builder b) {
        this.db = db;
        this.ownedPool = ownedPool;
        this.keys = new KeyRepository(db);
        this.catalog = new CatalogRepository(db);
        this.usage = new UsageRepository(db);
        this.audit = new AuditRepository(db);
        this.feed = new ChangeFeed(db, b.changePollInterval);
        db.afterChange(feed::wake);
        this.retention = b.retention;
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "maas4j-jdbc-maintenance");
            t.setDaemon(true);
            return t;
        });
        long every = b.maintenanceInterval.toMillis();
        maintenance.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
    }

    /** A builder for a store on a database the store connects to itself, through a pool it owns. */
    public static Builder builder(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql: or jdbc:h2:, was '"
                    + StoreErrors.describe(jdbcUrl) + "'");
        }
        return new Builder(jdbcUrl, null);
    }

    /** A builder for a store on a data source the host application provides (and closes). */
    public static Builder builder(DataSource dataSource) {
        return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
    }

    /**
     * This store as a bundle: keys, catalog, ledger and audit log, owners without groups (give the
     * bundle an {@code IdentityDirectory} with {@link StoreBundle#withIdentities}), and limits in
     * each process (share them with {@link StoreBundle#withLimits} and a {@link JdbcLimitBackend}).
     */
    public StoreBundle bundle() {
        return new StoreBundle(this, this, this, this, IdentityDirectory.ownersOnly(), Optional.empty());
    }

    /** The store's name as it appears in errors, e.g. {@code jdbc store (postgresql://db:5432/maas)}. */
    public String name() {
        return db.errors().name();
    }

    /** The database kind: {@code postgresql} or {@code h2}. */
    public String databaseKind() {
        return db.dialect().folder();
    }

    /** The data source the store works on. */
    public DataSource dataSource() {
        return db.dataSource();
    }

    Database database() {
        return db;
    }

    // ------------------------------------------------------------------ KeyStore

    @Override
    public void create(ApiKey key) {
        keys.create(key);
    }

    @Override
    public Optional<ApiKey> findById(String id) {
        return keys.findById(id);
    }

    @Override
    public List<ApiKey> findByOwner(Subject owner) {
        return keys.findByOwner(owner);
    }

    @Override
    public List<ApiKey> findAll() {
        return keys.findAll();
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return keys.revoke(id, at);
    }

    @Override
    public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) {
        keys.recordLastUsed(lastUsedByKeyId);
    }

    /** Tells {@code listener} of key and catalog changes made by any process on this database. */
    @Override
    public void addListener(ChangeListener listener) {
        feed.addListener(Objects.requireNonNull(listener, "listener"));
    }

    // ------------------------------------------------------------------ CatalogStore

    @Override
    public List<ModelRef> models() {
        return catalog.models();
    }

    @Override
    public List<Subscription> subscriptions() {
        return catalog.subscriptions();
    }

    @Override
    public List<AuthPolicy> policies() {
        return catalog.policies();
    }

    @Override
    public Optional<ModelRef> findModel(String name) {
        return catalog.findModel(name);
    }

    @Override
    public Optional<Subscription> findSubscription(String name) {
        return catalog.findSubscription(name);
    }

    @Override
    public Optional<AuthPolicy> findPolicy(String name) {
        return catalog.findPolicy(name);
    }

    /** {@inheritDoc} Upstream credentials are stored as given: protect the database accordingly. */
    @Override
    public void putModel(ModelRef model) {
        catalog.putModel(model);
    }

    @Override
    public boolean removeModel(String name) {
        return catalog.removeModel(name);
    }

    @Override
    public void putSubscription(Subscription subscription) {
        catalog.putSubscription(subscription);
    }

    @Override
    public boolean removeSubscription(String name) {
        return catalog.removeSubscription(name);
    }

    @Override
    public void putPolicy(AuthPolicy policy) {
        catalog.putPolicy(policy);
    }

    @Override
    public boolean removePolicy(String name) {
        return catalog.removePolicy(name);
    }

    // ------------------------------------------------------------------ UsageLedger

    @Override
    public int append(List<UsageEvent> batch) {
        return usage.append(batch);
    }

    @Override
    public UsageTotals totals(UsageQuery query) {
        return usage.totals(query);
    }

    @Override
    public List<UsageBucket> series(UsageQuery query, Granularity granularity) {
        return usage.series(query, granularity);
    }

    @Override
    public Map<String, UsageTotals> totalsBy(UsageDimension dimension, UsageQuery query) {
        return usage.totalsBy(dimension, query);
    }

    /** {@inheritDoc} Holds one connection (a cursor) while {@code sink} runs. */
    @Override
    public void forEach(UsageQuery query, Consumer<UsageEvent> sink) {
        usage.forEach(query, sink);
    }

    /**
     * Deletes the usage events that started before {@code cutoff}. Hourly rollups are kept, so
     * totals and series still cover the purged period (to the hour); {@link #forEach} no longer
     * returns the purged events, and a replay of one would be stored again.
     *
     * @return how many events were deleted
     */
    public long purgeBefore(Instant cutoff) {
        return usage.purgeBefore(cutoff);
    }

    // ------------------------------------------------------------------ AuditLog

    @Override
    public void append(AuditEvent event) {
        audit.append(event);
    }

    @Override
    public List<AuditEvent> list(Instant from, Instant to, int limit) {
        return audit.list(from, to, limit);
    }

    // ------------------------------------------------------------------ lifecycle

    private void maintain() {
        try {
            retention.ifPresent(r -> {
                long n = purgeBefore(Instant.now().minus(r));
                if (n > 0) {
                    LOG.info("{}: purged {} usage events older than {}", name(), n, r);
                }
            });
            // the change feed is read within seconds; a day covers any replica's restart
            db.call("prune the change feed", h -> h.createUpdate("DELETE FROM maas_change WHERE changed_at < ?")
                    .bind(0, Database.timestamp(Instant.now().minus(Duration.ofDays(1)))).execute());
        } catch (RuntimeException e) {
            LOG.warn("{}: maintenance failed, will retry: {}", name(), e.getMessage());
        }
    }

    /** Stops the change feed and maintenance; closes the pool if the store created it. Idempotent. */
    @Override
    public void close() {
        maintenance.shutdownNow();
        feed.close();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    /**
     * Builds a {@link JdbcStore}: connects, applies the migrations and fails fast with a
     * {@link StoreException} naming the store if the database cannot be reached. Each setting may
     * be set once. Not thread-safe.
     */
    public static final class Builder {
        private final String url;
        private final DataSource dataSource;
        private final java.util.Set<String> set = new java.util.HashSet<>();
        private Optional<String> username = Optional.empty();
        private Optional<Secret> password = Optional.empty();
        private int maxPoolSize = 10;
        private Duration connectionTimeout = Duration.ofSeconds(3);
        private boolean migrate = true;
        private Duration changePollInterval = Duration.ofMillis(250);
        private Optional<Duration> retention = Optional.empty();
        private Duration maintenanceInterval = Duration.ofHours(1);

        private Builder(String url, DataSource dataSource) {
            this.url = url;
            this.dataSource = dataSource;
        }

        private void once(String setting) {
            if (!set.add(setting)) {
                throw new IllegalStateException(setting + " was already set");
            }
        }

        private void urlOnly(String setting) {
            if (url == null) {
                throw new IllegalStateException(setting + " applies only to a store built from a JDBC URL;"
                        + " configure the data source instead");
            }
        }

        private static Duration positive(Duration value, String setting) {
            Objects.requireNonNull(value, setting);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(setting + " must be positive, was " + value);
            }
            return value;
        }

        /** The database user (URL stores only). */
        public Builder username(String value) {
            urlOnly("username");
            once("username");
            username = Optional.of(Objects.requireNonNull(value, "username"));
            return this;
        }

        /** The database password (URL stores only); never logged or put in a message. */
        public Builder password(Secret value) {
            urlOnly("password");
            once("password");
            password = Optional.of(Objects.requireNonNull(value, "password"));
            return this;
        }

        /** The most connections the store's pool opens (URL stores only; default 10). */
        public Builder maxPoolSize(int value) {
            urlOnly("maxPoolSize");
            once("maxPoolSize");
            if (value < 2) {
                throw new IllegalArgumentException("maxPoolSize must be at least 2 (one is held by the change feed),"
                        + " was " + value);
            }
            maxPoolSize = value;
            return this;
        }

        /** How long to wait for a connection before failing (URL stores only; default 3 seconds). */
        public Builder connectionTimeout(Duration value) {
            urlOnly("connectionTimeout");
            once("connectionTimeout");
            connectionTimeout = positive(value, "connectionTimeout");
            if (connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be at least 250ms, was " + value);
            }
            return this;
        }

        /**
         * Whether to apply missing migrations at build (default {@code true}); {@code false} only
         * checks that the schema is at the version this build needs.
         */
        public Builder migrate(boolean value) {
            once("migrate");
            migrate = value;
            return this;
        }

        /**
         * How often the change feed is read without a notification (default 250 ms): the bound on
         * propagation on H2, a safety net on PostgreSQL.
         */
        public Builder changePollInterval(Duration value) {
            once("changePollInterval");
            changePollInterval = positive(value, "changePollInterval");
            return this;
        }

        /** Purge usage events older than this every hour; rollups are kept (default: keep every event). */
        public Builder retention(Duration value) {
            once("retention");
            retention = Optional.of(positive(value, "retention"));
            if (retention.get().compareTo(Duration.ofHours(1)) < 0) {
                throw new IllegalArgumentException("retention must be at least 1 hour, was " + value);
            }
            return this;
        }

        /** How often retention and the change feed's pruning run (default 1 hour). */
        public Builder maintenanceInterval(Duration value) {
            once("maintenanceInterval");
            maintenanceInterval = positive(value, "maintenanceInterval");
            return this;
        }

        /** Connects, migrates and builds the store. */
        public JdbcStore build() {
            HikariDataSource pool = null;
            DataSource ds = dataSource;
            StoreErrors errors;
            if (url != null) {
                errors = new StoreErrors(url);
                HikariConfig config = new HikariConfig();
                String jdbcUrl = url;
                if (url.startsWith("jdbc:h2:mem:") && !url.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_DELAY")) {
                    // an in-memory database lives as long as the store, not as long as one connection
                    jdbcUrl = url + ";DB_CLOSE_DELAY=-1";
                }
                config.setJdbcUrl(jdbcUrl);
                username.ifPresent(config::setUsername);
                password.ifPresent(p -> config.setPassword(p.reveal()));
                config.setMaximumPoolSize(maxPoolSize);
                config.setMinimumIdle(Math.min(2, maxPoolSize));
                config.setConnectionTimeout(connectionTimeout.toMillis());
                config.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 1_000));
                config.setPoolName("maas4j-jdbc");
                try {
                    pool = new HikariDataSource(config);
                } catch (RuntimeException e) {
                    throw errors.wrap("connect", e);
                }
                ds = pool;
            } else {
                errors = null;
            }
            try (Connection c = ds.getConnection()) {
                if (errors == null) {
                    errors = new StoreErrors(c.getMetaData().getURL());
                }
                Dialect dialect = Dialect.of(c);
                if (migrate) {
                    List<Integer> applied = Migrations.migrate(c, dialect);
                    if (!applied.isEmpty()) {
                        LOG.info("{}: applied schema migrations {}", errors.name(), applied);
                    }
                } else {
                    int version = Migrations.currentVersion(c);
                    if (version < Migrations.LATEST) {
                        throw errors.failure("the schema is at version " + version + ", this build needs "
                                + Migrations.LATEST + ": apply db/maas4j/" + dialect.folder() + "/V"
                                + (version + 1) + "__*.sql and later, or build the store with migrate(true)");
                    }
                }
                return new JdbcStore(new Database(ds, dialect, errors), pool, this);
            } catch (SQLException | RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                if (e instanceof StoreException se) {
                    throw se;
                }
                throw (errors != null ? errors : new StoreErrors("unknown")).wrap("connect and migrate", e);
            }
        }
    }
}
