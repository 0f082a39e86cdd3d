package dev.maas4j.store.jdbc.internal;

import dev.maas4j.api.ChangeListener;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells listeners of the changes recorded in {@code maas_change} by any process, in order.
 *
 * <p>One daemon thread reads the feed. On PostgreSQL it holds a dedicated connection that
 * {@code LISTEN}s on {@value Database#CHANNEL}, so a change committed anywhere is read within
 * milliseconds; it also reads every {@code pollInterval} in case a notification was missed. On H2
 * it polls the change counter every {@code pollInterval}, and is woken at once by changes made in
 * this process. A lost connection is retried with backoff; on reconnection the feed reads every
 * change it has not seen, so no invalidation is lost to an outage (unless the outage outlives the
 * feed's retention, one day: then listeners are told the catalog changed, and keys rely on the
 * engine's key cache TTL).
 *
 * <p>Thread-safe. Listeners are called on the feed thread, one change at a time; a listener that
 * throws is logged and does not stop the others.
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    private static final int PAGE = 1_000;

    private final Database db;
    private final long pollMillis;
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean wake;
    private volatile boolean closed;
    private Thread thread;
    private long lastVersion = -1;
    private Connection listening;

    /** A feed over {@code db}; started by the first listener. */
    public ChangeFeed(Database db, Duration pollInterval) {
        this.db = db;
        this.pollMillis = Math.max(10, pollInterval.toMillis());
    }

    /** Adds a listener and starts the feed if it is not running. */
    public void addListener(ChangeListener listener) {
        listeners.add(listener);
        start();
    }

    /** Starts the feed: from now on, changes committed after this call are told. */
    public synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        try {
            lastVersion = readCounter();
        } catch (RuntimeException | SQLException e) {
            LOG.warn("{}: cannot read the change feed yet, will retry: {}", db.errors().name(), e.getMessage());
        }
        thread = new Thread(this::run, "maas4j-jdbc-changes");
        thread.setDaemon(true);
        thread.start();
    }

    /** Makes the feed read now (called after this process commits a change). */
    public void wake() {
        lock.lock();
        try {
            wake = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private long readCounter() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT version FROM maas_change_counter WHERE id = 1")) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try {
                if (db.dialect() == Dialect.POSTGRESQL) {
                    listenOnce();
                } else {
                    awaitWake();
                    if (!closed) {
                        try (Connection c = db.dataSource().getConnection()) {
                            catchUp(c);
                        }
                    }
                }
                backoff = 100;
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                LOG.warn("{}: change feed interrupted, retrying in {} ms: {}", db.errors().name(), backoff,
                        e.getMessage());
                closeListening();
                sleep(backoff);
                backoff = Math.min(2_000, backoff * 2);
            }
        }
        closeListening();
    }

    private void listenOnce() throws SQLException {
        if (listening == null) {
            Connection c = db.dataSource().getConnection();
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + Database.CHANNEL);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            listening = c;
            // changes committed while not listening are read now
            catchUp(c);
        }
        PGNotification[] notifications = listening.unwrap(PGConnection.class).getNotifications((int) pollMillis);
        if (closed) {
            return;
        }
        // a notification says only "something changed": the feed table says what, in order
        catchUp(listening);
        if (notifications != null && notifications.length > 0) {
            LOG.trace("{} notifications", notifications.length);
        }
    }

    private void awaitWake() {
        lock.lock();
        try {
            if (!wake) {
                woken.await(pollMillis, TimeUnit.MILLISECONDS);
            }
            wake = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private void catchUp(Connection c) throws SQLException {
        if (lastVersion < 0) {
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT version FROM maas_change_counter WHERE id = 1")) {
                lastVersion = r.next() ? r.getLong(1) : 0;
            }
            return;
        }
        while (true) {
            // each change is told in order, once: listeners may count them (one catalog refresh each)
            List<Change> changes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT version, kind, key_id FROM maas_change"
                    + " WHERE version > ? ORDER BY version FETCH FIRST " + PAGE + " ROWS ONLY")) {
                ps.setLong(1, lastVersion);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        changes.add(new Change(r.getLong(1), r.getString(2), r.getString(3)));
                    }
                }
            }
            if (changes.isEmpty()) {
                return;
            }
            if (changes.get(0).version > lastVersion + 1) {
                LOG.warn("{}: changes {} to {} were pruned before this replica read them; refreshing the catalog",
                        db.errors().name(), lastVersion + 1, changes.get(0).version - 1);
                tell(null);
            }
            for (Change change : changes) {
                lastVersion = change.version;
                tell("key".equals(change.kind) ? change.keyId : null);
            }
            if (changes.size() < PAGE) {
                return;
            }
        }
    }

    private record Change(long version, String kind, String keyId) {
    }

    /** Tells every listener of a key change ({@code keyId}) or a catalog change ({@code null}). */
    private void tell(String keyId) {
        for (ChangeListener l : listeners) {
            try {
                if (keyId != null) {
                    l.keyChanged(keyId);
                } else {
                    l.catalogChanged();
                }
            } catch (RuntimeException e) {
                LOG.warn("a change listener failed on {}: {}", keyId != null ? "key " + keyId : "a catalog change",
                        e.toString());
            }
        }
    }

    private void closeListening() {
        if (listening != null) {
            try {
                listening.close();
            } catch (SQLException ignored) {
                // the connection is already gone
            }
            listening = null;
        }
    }

    private void sleep(long millis) {
        lock.lock();
        try {
            woken.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the feed thread. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        wake();
        if (t != null) {
            try {
                t.join(TimeUnit.MILLISECONDS.toMillis(pollMillis + 2_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
