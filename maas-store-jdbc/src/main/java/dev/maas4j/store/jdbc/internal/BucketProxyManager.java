package dev.maas4j.store.jdbc.internal;

import dev.maas4j.api.StoreException;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.MutableBucketEntry;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.distributed.remote.CommandResult;
import io.github.bucket4j.distributed.remote.RemoteCommand;
import io.github.bucket4j.distributed.remote.Request;
import io.github.bucket4j.distributed.remote.commands.CreateInitialStateAndExecuteCommand;
import io.github.bucket4j.distributed.remote.commands.EstimateAbilityToConsumeCommand;
import io.github.bucket4j.distributed.remote.commands.GetAvailableTokensCommand;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bucket4j's select-for-update proxy manager over {@code maas_limit_bucket}: every command on a
 * bucket is one transaction that locks the bucket's row ({@code SELECT ... FOR UPDATE}), runs the
 * command on the state in this JVM and writes the state back. A bucket used for the first time is
 * inserted empty in its own short transaction, then locked as usual.
 *
 * <p>Because all replicas serialise on the row, a bucket behaves exactly like one in-process
 * bucket: the only inaccuracy is the skew between the replicas' clocks. When the database cannot
 * be reached, commands fail fast for {@code retryAfter} instead of waiting for a connection each
 * time, so that fail-open admissions do not queue behind connection timeouts.
 *
 * <p>Thread-safe; each command borrows a connection from the data source.
 */
public final class BucketProxyManager extends AbstractSelectForUpdateBasedProxyManager<BucketProxyManager.Key> {
    /**
     * A bucket: its id, how long its row is kept after its last change, and the configuration a
     * missing row is created with (updated when the limit changes). Equal ids are the same bucket.
     */
    public static final class Key {
        private final String id;
        private final long idleTtlMillis;
        private volatile BucketConfiguration configuration;

        /** A bucket created with {@code configuration} when its row is missing. */
        public Key(String id, long idleTtlMillis, BucketConfiguration configuration) {
            this.id = id;
            this.idleTtlMillis = idleTtlMillis;
            this.configuration = configuration;
        }

        /** The bucket's id. */
        public String id() {
            return id;
        }

        /** How long the row is kept after its last change. */
        public long idleTtlMillis() {
            return idleTtlMillis;
        }

        /** Sets the configuration a missing row is created with. */
        public void configuration(BucketConfiguration value) {
            configuration = value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.id.equals(id);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private final Database db;
    private final TimeMeter clock;
    private final int queryTimeoutSeconds;
    private final long retryAfterNanos;
    private final AtomicLong downUntil = new AtomicLong(System.nanoTime());

    /**
     * A proxy manager on {@code db} with the engines' clock.
     *
     * @param retryAfterMillis how long to fail fast after the database could not be reached
     */
    public BucketProxyManager(Database db, TimeMeter clock, int queryTimeoutSeconds, long retryAfterMillis) {
        super(ClientSideConfig.getDefault().withClientClock(clock));
        this.db = db;
        this.clock = clock;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
        this.retryAfterNanos = TimeUnit.MILLISECONDS.toNanos(retryAfterMillis);
    }

    @Override
    public void removeProxy(Key key) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM maas_limit_bucket WHERE id = ?")) {
            ps.setString(1, key.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failed("remove limit bucket", e);
        }
    }

    /**
     * Probes ({@code getAvailableTokens}, {@code estimateAbilityToConsume}) change nothing, so they
     * read the committed state without locking the row: one round trip, and they never queue
     * behind the consumers of a busy bucket. Everything else locks the row.
     */
    @Override
    public <T> CommandResult<T> execute(Key key, Request<T> request) {
        RemoteCommand<T> command = request.getCommand();
        if (command instanceof GetAvailableTokensCommand || command instanceof EstimateAbilityToConsumeCommand) {
            byte[] state;
            try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT state FROM maas_limit_bucket WHERE id = ?")) {
                ps.setQueryTimeout(queryTimeoutSeconds);
                ps.setString(1, key.id());
                try (ResultSet rs = ps.executeQuery()) {
                    state = rs.next() ? rs.getBytes(1) : null;
                }
            } catch (SQLException e) {
                throw failed("read limit bucket", e);
            }
            if (state != null) {
                Long time = request.getClientSideTime();
                return command.execute(new MutableBucketEntry(state), time != null ? time : clock.currentTimeNanos());
            }
        }
        return super.execute(key, request);
    }

    @Override
    protected SelectForUpdateBasedTransaction allocateTransaction(Key key, Optional<Long> timeoutNanos) {
        return new Transaction(key);
    }

    /**
     * Applies a changed configuration atomically, keeping what was consumed: one transaction locks
     * the row, reads the stored configuration, and if it differs sets the balance to
     * {@code newCapacity − consumed}, where {@code consumed = oldCapacity − available}. Every
     * replica may call this when it sees the change; only the first finds a difference.
     *
     * @return whether the stored configuration was changed
     */
    public boolean reconfigure(Key key, BucketConfiguration to) {
        key.configuration(to);
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                byte[] bytes;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT state FROM maas_limit_bucket WHERE id = ? FOR UPDATE")) {
                    ps.setQueryTimeout(queryTimeoutSeconds);
                    ps.setString(1, key.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        bytes = rs.next() ? rs.getBytes(1) : null;
                    }
                }
                if (bytes == null) {
                    c.rollback();
                    return false;
                }
                MutableBucketEntry entry = new MutableBucketEntry(bytes);
                RemoteBucketState state = entry.get();
                if (Objects.equals(state.getConfiguration(), to)) {
                    c.rollback();
                    return false;
                }
                long now = clock.currentTimeNanos();
                state.refillAllBandwidth(now);
                long consumed = capacity(state.getConfiguration()) - state.getAvailableTokens();
                state.replaceConfiguration(to, TokensInheritanceStrategy.AS_IS, now);
                long target = capacity(to) - consumed;
                long available = state.getAvailableTokens();
                if (available > target) {
                    state.consume(available - target);
                } else if (available < target) {
                    state.addTokens(target - available);
                }
                entry.set(state);
                write(c, key, entry.getStateBytes(getClientSideConfig().getBackwardCompatibilityVersion()));
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw failed("reconfigure limit bucket", e);
        }
    }

    /** Deletes the rows of buckets idle past their TTL on the engines' clock; returns how many. */
    public int deleteExpired() {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM maas_limit_bucket WHERE expires_at < ?")) {
            ps.setLong(1, TimeUnit.NANOSECONDS.toMillis(clock.currentTimeNanos()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed("delete expired limit buckets", e);
        }
    }

    private byte[] initialState(BucketConfiguration configuration) {
        MutableBucketEntry entry = new MutableBucketEntry((RemoteBucketState) null);
        new CreateInitialStateAndExecuteCommand<>(configuration, new GetAvailableTokensCommand())
                .execute(entry, clock.currentTimeNanos());
        return entry.getStateBytes(getClientSideConfig().getBackwardCompatibilityVersion());
    }

    private static long capacity(BucketConfiguration configuration) {
        return configuration.getBandwidths()[0].getCapacity();
    }

    private Connection connection() throws SQLException {
        if (System.nanoTime() - downUntil.get() < 0) {
            // not a new failure: the breaker's own refusal must not keep it open
            throw db.errors().failure("the database was unreachable moments ago; limits are retried shortly");
        }
        try {
            return db.dataSource().getConnection();
        } catch (SQLException e) {
            downUntil.set(System.nanoTime() + retryAfterNanos);
            throw e;
        }
    }

    private StoreException failed(String operation, SQLException e) {
        if (StoreErrors.isConnectionFailure(e)) {
            downUntil.set(System.nanoTime() + retryAfterNanos);
        }
        return db.errors().wrap(operation, e);
    }

    private void write(Connection c, Key key, byte[] state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE maas_limit_bucket SET state = ?, expires_at = ? WHERE id = ?")) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setBytes(1, state);
            ps.setLong(2, TimeUnit.NANOSECONDS.toMillis(clock.currentTimeNanos()) + key.idleTtlMillis());
            ps.setString(3, key.id());
            ps.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    /** One command's transaction on one connection. */
    private final class Transaction implements SelectForUpdateBasedTransaction {
        private final Key key;
        private Connection connection;

        Transaction(Key key) {
            this.key = key;
        }

        @Override
        public void begin(Optional<Long> timeoutNanos) {
            try {
                connection = connection();
                connection.setAutoCommit(false);
            } catch (SQLException e) {
                if (connection != null) {
                    release();
                }
                throw failed("begin limit transaction", e);
            }
        }

        /**
         * Locks the row. On PostgreSQL the transaction also skips waiting for its commit record to
         * reach the disk ({@code synchronous_commit = off}, sent with the same round trip): a bucket
         * is soft state, and a crash could lose only its last few milliseconds of consumption,
         * while a synchronous commit would add a WAL flush to every admission.
         */
        @Override
        public LockAndGetResult tryLockAndGet(Optional<Long> timeoutNanos) {
            String sql = db.dialect() == Dialect.POSTGRESQL
                    ? "SET LOCAL synchronous_commit TO OFF; SELECT state FROM maas_limit_bucket WHERE id = ? FOR UPDATE"
                    : "SELECT state FROM maas_limit_bucket WHERE id = ? FOR UPDATE";
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setQueryTimeout(queryTimeoutSeconds);
                ps.setString(1, key.id());
                boolean resultSet = ps.execute();
                while (!resultSet) {
                    if (ps.getUpdateCount() == -1) {
                        throw new SQLException("locking a bucket returned no row set");
                    }
                    resultSet = ps.getMoreResults();
                }
                try (ResultSet rs = ps.getResultSet()) {
                    return rs.next() ? LockAndGetResult.locked(rs.getBytes(1)) : LockAndGetResult.notLocked();
                }
            } catch (SQLException e) {
                throw failed("lock limit bucket", e);
            }
        }

        /**
         * Inserts the row with the bucket's initial state rather than bucket4j's empty one: a command
         * that cannot initialise (a probe, a refund) then never finds the bucket missing, which
         * bucket4j's batching would report as a failure to every command of the batch.
         */
        @Override
        public boolean tryInsertEmptyData(Optional<Long> timeoutNanos) {
            String sql = db.dialect() == Dialect.POSTGRESQL
                    ? "INSERT INTO maas_limit_bucket (id, state, expires_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING"
                    : "MERGE INTO maas_limit_bucket t USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARBINARY),"
                    + " CAST(? AS BIGINT))) s(id, state, expires_at) ON t.id = s.id"
                    + " WHEN NOT MATCHED THEN INSERT (id, state, expires_at) VALUES (s.id, s.state, s.expires_at)";
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setQueryTimeout(queryTimeoutSeconds);
                ps.setString(1, key.id());
                ps.setBytes(2, initialState(key.configuration));
                ps.setLong(3, TimeUnit.NANOSECONDS.toMillis(clock.currentTimeNanos()) + key.idleTtlMillis());
                return ps.executeUpdate() > 0;
            } catch (SQLException e) {
                if (StoreErrors.isUniqueViolation(e)) {
                    // another replica inserted it first: lock theirs in the next transaction
                    return false;
                }
                throw failed("create limit bucket", e);
            }
        }

        @Override
        public void update(byte[] data, RemoteBucketState newState, Optional<Long> timeoutNanos) {
            try {
                write(connection, key, data);
            } catch (SQLException e) {
                throw failed("write limit bucket", e);
            }
        }

        @Override
        public void commit(Optional<Long> timeoutNanos) {
            try {
                connection.commit();
            } catch (SQLException e) {
                throw failed("commit limit bucket", e);
            }
        }

        @Override
        public void rollback() {
            if (connection != null) {
                rollbackQuietly(connection);
            }
        }

        @Override
        public void release() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // returning a broken connection to the pool: the pool discards it
                } finally {
                    connection = null;
                }
            }
        }
    }
}
