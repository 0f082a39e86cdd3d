package dev.maas4j.core.internal;

import dev.maas4j.api.Ticker;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each settled request's {@link UsageEvent} from the hot path and writes it to the
 * {@link UsageLedger} in batches, on one background thread.
 *
 * <pre>{@code
 * UsageRecorder recorder = new UsageRecorder(ledger, UsageRecorder.Settings.defaults(), registry);
 * recorder.record(event);              // hot path: a lock-free enqueue
 * if (recorder.saturated()) { ... }    // refuse new requests (503) until the writer catches up
 * recorder.close();                    // on shutdown: drain, then look at unwritten()
 * }</pre>
 *
 * <p><b>No loss.</b> {@link #record} never drops an event and never fails because the buffer is
 * full: when {@link Settings#capacity()} events are pending it waits up to
 * {@link Settings#offerTimeout()} for room, then enqueues beyond capacity and counts an overflow.
 * That overflow is bounded because the engine refuses new requests while {@link #saturated()}:
 * only requests already in flight can still add events. A failed {@link UsageLedger#append} is
 * retried with the same batch, with exponential backoff, until it succeeds; the ledger's
 * idempotence by request id makes a retry after a partial failure count once. Events still
 * unwritten when {@link #close()} gives up stay available from {@link #unwritten()}.
 *
 * <p><b>Thread-safety.</b> All methods may be called from any thread. {@link #record} takes no
 * lock: a {@link ConcurrentLinkedQueue} holds the events and one atomic counter bounds them, so
 * producers never serialise on each other or on the writer. The ledger is called by the writer
 * thread only, one batch at a time.
 *
 * <p><b>Time.</b> The flush interval, the offer and close timeouts and the retry backoff are
 * measured on {@link Settings#ticker()} ({@code System.nanoTime()} by default), so that a test can
 * move them forward without sleeping; the timeout a caller gives {@link #flush(Duration)} is its
 * own wait, in real time.
 *
 * <p>Metrics, all without tags: counters {@code maas.usage.recorded}, {@code maas.usage.written}
 * (events in successful appends, replays included), {@code maas.usage.overflow},
 * {@code maas.usage.write.failures} (failed append attempts); gauge {@code maas.usage.pending};
 * distribution summary {@code maas.usage.batch.size}.
 *
 * <p>Internal: not a supported API.
 */
public final class UsageRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);

    /** How long a producer parks between checks for room in a full buffer. */
    private static final long ROOM_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long the writer parks while waiting for an event whose producer has counted but not yet enqueued it. */
    private static final long STRAGGLER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long close waits for the writer to leave a backoff once it has given up on the ledger. */
    private static final long ABANDON_GRACE_MILLIS = 200;
    /** Overflows come in bursts while saturated: one warning a minute says enough. */
    private static final long OVERFLOW_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);
    /**
     * The longest real wait before a ticker other than the system's is read again: a test that
     * moves it forward sees the effect within this, however long the interval it waits out.
     */
    private static final long FOREIGN_TICKER_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final UsageLedger ledger;
    private final Settings settings;
    private final Ticker ticker;
    /** How long one park may last: unbounded on the system ticker, see {@link #FOREIGN_TICKER_RECHECK_NANOS}. */
    private final long maxParkNanos;
    /** Holds {@link UsageEvent}s and {@link PendingUsage}s, the latter turned into events by the writer. */
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    /**
     * Events ever counted in by {@link #record}; with {@link #written} it gives the pending count
     * (the bound) and the flush target, so the hot path touches one shared counter only.
     */
    private final AtomicLong enqueued = new AtomicLong();
    /** Events ever written; only the writer thread adds to it. */
    private final AtomicLong written = new AtomicLong();
    /** The highest {@link #enqueued} value a caller of {@link #flush} waits for. */
    private final AtomicLong flushTarget = new AtomicLong();
    private final ReentrantLock progressLock = new ReentrantLock();
    private final Condition progress = progressLock.newCondition();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** When the last overflow warning was logged (on the ticker), to log at most one a minute. */
    private final AtomicLong lastOverflowWarning;
    private final Thread writer;

    private volatile boolean closed;
    /** Set by close when closeTimeout has passed: the writer stops retrying and leaves its batch. */
    private volatile boolean abandoned;
    /** Whether the writer is parked waiting for work, so producers know to wake it. */
    private volatile boolean writerIdle;
    /** The batch being appended; published before each append so that it is never out of sight. */
    private volatile List<UsageEvent> inFlight = List.of();
    private volatile List<UsageEvent> leftAtClose;

    private final MeterRegistry registry;
    private final Counter recordedCounter;
    private final Counter writtenCounter;
    private final Counter overflowCounter;
    private final Counter failureCounter;
    private final DistributionSummary batchSize;
    private final Gauge pendingGauge;

    /**
     * Starts a recorder writing to {@code ledger}; its writer thread starts at once.
     *
     * @param ledger   where batches go
     * @param settings sizes and timings, see {@link Settings#defaults()}
     * @param registry where the metrics are registered
     */
    public UsageRecorder(UsageLedger ledger, Settings settings, MeterRegistry registry) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ticker = settings.ticker();
        this.maxParkNanos = ticker == Ticker.system() ? Long.MAX_VALUE : FOREIGN_TICKER_RECHECK_NANOS;
        this.lastOverflowWarning = new AtomicLong(ticker.read() - OVERFLOW_WARNING_NANOS);
        Thread thread = settings.threadFactory().newThread(this::runWriter);
        if (thread == null) {
            throw new IllegalArgumentException("threadFactory returned no thread");
        }
        writer = thread;
        recordedCounter = Counter.builder("maas.usage.recorded")
                .description("usage events handed to the recorder").register(registry);
        writtenCounter = Counter.builder("maas.usage.written")
                .description("usage events written to the ledger").register(registry);
        overflowCounter = Counter.builder("maas.usage.overflow")
                .description("usage events enqueued beyond capacity after waiting for room").register(registry);
        failureCounter = Counter.builder("maas.usage.write.failures")
                .description("failed attempts to append a batch to the ledger").register(registry);
        batchSize = DistributionSummary.builder("maas.usage.batch.size")
                .description("events per batch written to the ledger").register(registry);
        pendingGauge = Gauge.builder("maas.usage.pending", this, UsageRecorder::pending)
                .description("usage events recorded but not yet written").register(registry);
        writer.start();
    }

    /**
     * Hands an event to the writer. Never drops it: when the buffer is full, waits up to
     * {@link Settings#offerTimeout()} for room, then enqueues it beyond capacity (counted in
     * {@code maas.usage.overflow}).
     *
     * @throws IllegalStateException if the recorder is closed
     */
    public void record(UsageEvent event) {
        Objects.requireNonNull(event, "event");
        enqueue(event);
    }

    /**
     * Hands a settlement to the writer, which builds its event off the hot path; otherwise the
     * same as {@link #record(UsageEvent)}.
     *
     * @throws IllegalStateException if the recorder is closed
     */
    public void record(PendingUsage pending) {
        Objects.requireNonNull(pending, "pending");
        enqueue(pending);
    }

    private void enqueue(Object event) {
        if (closed) {
            throw new IllegalStateException("the usage recorder is closed");
        }
        if (pending() >= settings.capacity()) {
            awaitRoom();
        }
        long count = enqueued.incrementAndGet();
        // checked again after counting: the writer leaves only once closed and every counted
        // event is written, so an event counted while open is always waited for, and one counted
        // after close is taken back here
        if (closed) {
            enqueued.decrementAndGet();
            throw new IllegalStateException("the usage recorder is closed");
        }
        queue.offer(event);
        recordedCounter.increment();
        if (writerIdle && count - written.get() >= settings.maxBatch()) {
            LockSupport.unpark(writer);
        }
    }

    /** Waits in short steps for the writer to make room, up to the offer timeout; counts an overflow if it does not. */
    private void awaitRoom() {
        LockSupport.unpark(writer);
        long deadline = ticker.read() + settings.offerTimeout().toNanos();
        while (pending() >= settings.capacity() && !closed) {
            long remaining = deadline - ticker.read();
            if (remaining <= 0) {
                overflowCounter.increment();
                long last = lastOverflowWarning.get();
                long now = ticker.read();
                if (now - last >= OVERFLOW_WARNING_NANOS && lastOverflowWarning.compareAndSet(last, now)) {
                    LOG.warn("usage buffer full ({} events pending, capacity {}): recording beyond capacity "
                            + "({} overflows so far); new requests are refused while it stays saturated",
                            pending(), settings.capacity(), (long) overflowCounter.count());
                }
                return;
            }
            LockSupport.parkNanos(this, Math.min(remaining, ROOM_POLL_NANOS));
        }
    }

    /** Whether {@link Settings#capacity()} or more events are pending; the engine then refuses new requests. */
    public boolean saturated() {
        return pending() >= settings.capacity();
    }

    /** Events recorded but not yet written (queued or in the batch being appended). */
    public int pending() {
        long n = enqueued.get() - written.get();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, n));
    }

    /**
     * Waits until every event recorded before this call is written to the ledger.
     *
     * @param timeout how long to wait at most
     * @return {@code true} if they were written, {@code false} if the timeout passed first (the
     *         ledger is failing or slow) or the writer has stopped
     */
    public boolean flush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long target = enqueued.get();
        if (written.get() >= target) {
            return true;
        }
        flushTarget.accumulateAndGet(target, Math::max);
        LockSupport.unpark(writer);
        long remaining = timeout.toNanos();
        progressLock.lock();
        try {
            // enqueued can only shrink by a record that raced close and was taken back
            while (written.get() < Math.min(target, enqueued.get())) {
                if (remaining <= 0 || !writer.isAlive()) {
                    return false;
                }
                remaining = progress.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            progressLock.unlock();
        }
    }

    /**
     * Stops accepting events, then waits up to {@link Settings#closeTimeout()} for the writer to
     * write everything recorded (on the {@linkplain Settings#ticker() ticker}). If the ledger does not take them in time, logs an error with
     * their count and keeps them in {@link #unwritten()}. Idempotent; a second call returns at once.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        LockSupport.unpark(writer);
        try {
            // at least a millisecond, as before (Thread.join(0) would wait for ever)
            long deadline = ticker.read() + Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                    settings.closeTimeout().toNanos());
            long remaining;
            while (writer.isAlive() && (remaining = deadline - ticker.read()) > 0) {
                long wait = Math.min(remaining, maxParkNanos);
                writer.join(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            if (writer.isAlive()) {
                abandoned = true;
                LockSupport.unpark(writer);
                writer.join(ABANDON_GRACE_MILLIS);
            }
        } catch (InterruptedException e) {
            abandoned = true;
            LockSupport.unpark(writer);
            Thread.currentThread().interrupt();
        }
        List<UsageEvent> left = snapshotUnwritten();
        leftAtClose = left;
        if (!left.isEmpty()) {
            LOG.error("usage recorder closed with {} events not written to the ledger; "
                    + "they are kept in UsageRecorder.unwritten()", left.size());
        }
        registry.remove(pendingGauge);
        signalProgress();
    }

    /**
     * The events recorded but not written. After {@link #close()} these are the events the
     * ledger did not take in time, in recording order, for the host to keep elsewhere (appending
     * them to the ledger later is safe: it is idempotent by request id; this matters because the
     * list includes a batch whose append was still running when close gave up). Before close, a snapshot
     * that may miss the events of a batch being taken from the queue at that moment.
     */
    public List<UsageEvent> unwritten() {
        List<UsageEvent> left = leftAtClose;
        return left != null ? left : snapshotUnwritten();
    }

    private List<UsageEvent> snapshotUnwritten() {
        List<UsageEvent> result = new ArrayList<>(inFlight);
        for (Object queued : queue) {
            result.add(asEvent(queued));
        }
        return Collections.unmodifiableList(result);
    }

    /** The settings in use. */
    public Settings settings() {
        return settings;
    }

    // ----------------------------------------------------------------------------------- writer

    private void runWriter() {
        long intervalNanos = settings.flushInterval().toNanos();
        long nextDrain = ticker.read() + intervalNanos;
        try {
            while (!abandoned) {
                // an interrupt means nothing here (close() is how to stop), and a pending one
                // would make every park return at once
                Thread.interrupted();
                // closed is read before the counts: see record()
                boolean stopping = closed;
                if (stopping && written.get() >= enqueued.get()) {
                    return;
                }
                boolean due = ticker.read() - nextDrain >= 0;
                if (due) {
                    nextDrain = ticker.read() + intervalNanos;
                }
                writeAvailable(stopping || due || flushRequested());
                long parkNanos;
                if (closed || flushRequested()) {
                    // someone waits for every counted event: go on while the queue has any
                    if (!queue.isEmpty() || written.get() >= enqueued.get()) {
                        continue;
                    }
                    // a producer has counted an event and is about to enqueue it
                    parkNanos = STRAGGLER_POLL_NANOS;
                } else {
                    parkNanos = nextDrain - ticker.read();
                    if (parkNanos <= 0) {
                        continue;
                    }
                }
                writerIdle = true;
                // checked once idle is visible, so that a producer that filled a batch meanwhile
                // is either seen here or sees the flag and unparks us
                if (pending() >= settings.maxBatch()) {
                    if (!queue.isEmpty()) {
                        writerIdle = false;
                        continue;
                    }
                    parkNanos = Math.min(parkNanos, STRAGGLER_POLL_NANOS);
                }
                LockSupport.parkNanos(this, Math.min(parkNanos, maxParkNanos));
                writerIdle = false;
            }
        } catch (RuntimeException | Error e) {
            LOG.error("usage writer stopped unexpectedly with {} events pending", pending(), e);
            throw e;
        } finally {
            signalProgress();
        }
    }

    private boolean flushRequested() {
        // bounded by enqueued: a record taken back at close may have raised a flush target
        return Math.min(flushTarget.get(), enqueued.get()) > written.get();
    }

    /**
     * Writes batches from the queue: until it is empty when {@code drainAll}, else only while
     * full batches are waiting.
     */
    private void writeAvailable(boolean drainAll) {
        while (!abandoned && (drainAll || pending() >= settings.maxBatch())) {
            List<UsageEvent> batch = new ArrayList<>(Math.min(settings.maxBatch(), Math.max(1, pending())));
            Object queued;
            while (batch.size() < settings.maxBatch() && (queued = queue.poll()) != null) {
                batch.add(asEvent(queued));
            }
            if (batch.isEmpty() || !writeWithRetry(batch)) {
                return;
            }
        }
    }

    private static UsageEvent asEvent(Object queued) {
        return queued instanceof PendingUsage pending ? pending.toUsageEvent() : (UsageEvent) queued;
    }

    /**
     * Appends one batch, retrying the same batch with exponential backoff until it succeeds.
     *
     * @return {@code false} if close gave up on the ledger first (the batch stays in {@link #inFlight})
     */
    private boolean writeWithRetry(List<UsageEvent> batch) {
        List<UsageEvent> frozen = Collections.unmodifiableList(batch);
        inFlight = frozen;
        long backoff = settings.minBackoff().toNanos();
        long maxBackoff = settings.maxBackoff().toNanos();
        int failures = 0;
        long outageStart = 0;
        while (true) {
            try {
                int stored = ledger.append(frozen);
                if (stored < frozen.size()) {
                    LOG.debug("ledger already held {} of {} events (a replay)", frozen.size() - stored, frozen.size());
                }
                break;
            } catch (Exception e) {
                // Exception, not RuntimeException: a ledger may throw checked exceptions sneakily
                failureCounter.increment();
                failures++;
                if (failures == 1) {
                    outageStart = ticker.read();
                    LOG.warn("usage ledger append failed; retrying the batch of {} events with backoff "
                            + "({} events pending)", frozen.size(), pending(), e);
                }
                if (!sleep(backoff)) {
                    return false;
                }
                backoff = Math.min(maxBackoff, backoff * 2);
            }
        }
        // counted as written only now that the ledger holds the batch: flush() relies on it
        written.addAndGet(frozen.size());
        inFlight = List.of();
        if (failures > 0) {
            LOG.info("usage ledger recovered after {} failed attempts over {} ms", failures,
                    TimeUnit.NANOSECONDS.toMillis(ticker.read() - outageStart));
        }
        writtenCounter.increment(frozen.size());
        batchSize.record(frozen.size());
        signalProgress();
        return true;
    }

    /** Parks for the backoff; {@code false} if close gave up meanwhile. */
    private boolean sleep(long nanos) {
        long deadline = ticker.read() + nanos;
        long remaining;
        while (!abandoned && (remaining = deadline - ticker.read()) > 0) {
            Thread.interrupted(); // see runWriter
            LockSupport.parkNanos(this, Math.min(remaining, maxParkNanos));
        }
        return !abandoned;
    }

    private void signalProgress() {
        progressLock.lock();
        try {
            progress.signalAll();
        } finally {
            progressLock.unlock();
        }
    }

    // --------------------------------------------------------------------------------- settings

    /**
     * Sizes and timings of a {@link UsageRecorder}. Immutable; start from {@link #builder()} (the
     * defaults) and change what you need:
     *
     * <pre>{@code
     * UsageRecorder.Settings settings = UsageRecorder.Settings.builder()
     *         .capacity(16_384).maxBatch(500).flushInterval(Duration.ofMillis(100)).build();
     * }</pre>
     *
     * @param capacity      events pending before {@link UsageRecorder#saturated()} (default 65,536)
     * @param maxBatch      events per append, at most capacity (default 1,000)
     * @param flushInterval how often the writer writes what is pending (default 200 ms)
     * @param offerTimeout  how long {@code record} waits for room in a full buffer before
     *                      enqueuing beyond capacity (default 50 ms; zero: not at all)
     * @param closeTimeout  how long {@code close} waits for the writer to drain (default 10 s)
     * @param minBackoff    first wait before retrying a failed append (default 100 ms)
     * @param maxBackoff    longest wait between retries (default 5 s)
     * @param threadFactory makes the writer thread (default: a daemon thread named
     *                      {@code maas-usage-writer})
     * @param ticker        what the interval, timeouts and backoff above are measured on (default
     *                      {@link Ticker#system()}); a test passes a manual one and moves it forward
     *                      instead of sleeping. With a ticker other than the system's the recorder
     *                      reads it again at least every 10 ms of real time while it waits, so an
     *                      advance takes effect within that; a close while the ledger is down then
     *                      returns only once the ticker has passed the close timeout
     */
    public record Settings(int capacity, int maxBatch, Duration flushInterval, Duration offerTimeout,
                           Duration closeTimeout, Duration minBackoff, Duration maxBackoff,
                           ThreadFactory threadFactory, Ticker ticker) {

        /** Validates the components; messages name the setting at fault. */
        public Settings {
            if (capacity <= 0) {
                throw new IllegalArgumentException("capacity must be positive, was " + capacity);
            }
            if (maxBatch <= 0) {
                throw new IllegalArgumentException("maxBatch must be positive, was " + maxBatch);
            }
            if (maxBatch > capacity) {
                throw new IllegalArgumentException(
                        "maxBatch must not exceed capacity (" + capacity + "), was " + maxBatch);
            }
            positive(flushInterval, "flushInterval");
            notNegative(offerTimeout, "offerTimeout");
            notNegative(closeTimeout, "closeTimeout");
            positive(minBackoff, "minBackoff");
            positive(maxBackoff, "maxBackoff");
            if (maxBackoff.compareTo(minBackoff) < 0) {
                throw new IllegalArgumentException(
                        "maxBackoff must not be less than minBackoff (" + minBackoff + "), was " + maxBackoff);
            }
            Objects.requireNonNull(threadFactory, "threadFactory");
            Objects.requireNonNull(ticker, "ticker");
        }

        /** 65,536 events, batches of 1,000, every 200 ms; offer 50 ms, close 10 s; backoff 100 ms to 5 s. */
        public static Settings defaults() {
            return new Settings(65_536, 1_000, Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofSeconds(10),
                    Duration.ofMillis(100), Duration.ofSeconds(5), defaultThreadFactory(), Ticker.system());
        }

        /** A builder starting from the {@linkplain #defaults() defaults}. */
        public static Builder builder() {
            return defaults().toBuilder();
        }

        /** A builder starting from these settings. */
        public Builder toBuilder() {
            return new Builder(this);
        }

        /**
         * Builds {@link Settings}; not thread-safe. Values are validated together by
         * {@link #build()}, so they may be set in any order.
         */
        public static final class Builder {
            private int capacity;
            private int maxBatch;
            private Duration flushInterval;
            private Duration offerTimeout;
            private Duration closeTimeout;
            private Duration minBackoff;
            private Duration maxBackoff;
            private ThreadFactory threadFactory;
            private Ticker ticker;

            private Builder(Settings from) {
                capacity = from.capacity;
                maxBatch = from.maxBatch;
                flushInterval = from.flushInterval;
                offerTimeout = from.offerTimeout;
                closeTimeout = from.closeTimeout;
                minBackoff = from.minBackoff;
                maxBackoff = from.maxBackoff;
                threadFactory = from.threadFactory;
                ticker = from.ticker;
            }

            /** Events pending before the recorder is saturated. */
            public Builder capacity(int value) {
                capacity = value;
                return this;
            }

            /** Events per append, at most the capacity. */
            public Builder maxBatch(int value) {
                maxBatch = value;
                return this;
            }

            /** How often the writer writes what is pending. */
            public Builder flushInterval(Duration value) {
                flushInterval = value;
                return this;
            }

            /** How long {@code record} waits for room before enqueuing beyond capacity; zero: not at all. */
            public Builder offerTimeout(Duration value) {
                offerTimeout = value;
                return this;
            }

            /** How long {@code close} waits for the writer to drain. */
            public Builder closeTimeout(Duration value) {
                closeTimeout = value;
                return this;
            }

            /** The first and the longest wait between retries of a failed append. */
            public Builder backoff(Duration min, Duration max) {
                minBackoff = min;
                maxBackoff = max;
                return this;
            }

            /** Makes the writer thread. */
            public Builder threadFactory(ThreadFactory value) {
                threadFactory = value;
                return this;
            }

            /** What the interval, timeouts and backoff are measured on (default the system's ticker). */
            public Builder ticker(Ticker value) {
                ticker = value;
                return this;
            }

            /**
             * Builds the settings.
             *
             * @throws IllegalArgumentException naming the first invalid setting
             */
            public Settings build() {
                return new Settings(capacity, maxBatch, flushInterval, offerTimeout, closeTimeout, minBackoff,
                        maxBackoff, threadFactory, ticker);
            }
        }

        private static void positive(Duration value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, was " + value);
            }
        }

        private static void notNegative(Duration value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isNegative()) {
                throw new IllegalArgumentException(field + " must not be negative, was " + value);
            }
        }

        private static ThreadFactory defaultThreadFactory() {
            return task -> {
                Thread thread = new Thread(task, "maas-usage-writer");
                // a daemon, so a host that forgets close() can still exit; close() is what drains
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}
