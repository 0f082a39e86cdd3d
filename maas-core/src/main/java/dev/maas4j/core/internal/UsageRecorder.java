package dev.maas4j.core.internal;

import dev.maas4j.api.Ticker;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p><b>Parts.</b> This class ties together, in this package: {@link UsageBuffer}, the bounded
 * buffer and its backpressure; {@link UsageWriter}, the writer thread that batches; and
 * {@link BatchAppender}, which appends a batch and retries it. {@link UsageMeters} holds their
 * counters.
 *
 * <p><b>Thread-safety.</b> All methods may be called from any thread. {@link #record} takes no
 * lock: a {@link java.util.concurrent.ConcurrentLinkedQueue} holds the events and one atomic
 * counter bounds them, so producers never serialise on each other or on the writer. The ledger is
 * called by the writer thread only, one batch at a time.
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

    private final Settings settings;
    private final MeterRegistry registry;
    private final UsageMeters meters;
    private final UsageBuffer buffer;
    private final BatchAppender appender;
    private final UsageWriter writer;
    private final Gauge pendingGauge;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile List<UsageEvent> leftAtClose;

    /**
     * Starts a recorder writing to {@code ledger}; its writer thread starts at once.
     *
     * @param ledger   where batches go
     * @param settings sizes and timings, see {@link Settings#defaults()}
     * @param registry where the metrics are registered
     */
    public UsageRecorder(UsageLedger ledger, Settings settings, MeterRegistry registry) {
        Objects.requireNonNull(ledger, "ledger");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        long maxParkNanos = UsageWriter.maxParkNanos(settings.ticker());
        // the thread first: a factory that fails leaves no meters registered
        Thread thread = settings.threadFactory().newThread(this::runWriter);
        if (thread == null) {
            throw new IllegalArgumentException("threadFactory returned no thread");
        }
        meters = new UsageMeters(registry);
        buffer = new UsageBuffer(settings, meters.overflow);
        appender = new BatchAppender(ledger, buffer, settings, meters, maxParkNanos);
        writer = new UsageWriter(thread, buffer, appender, settings, maxParkNanos);
        pendingGauge = Gauge.builder("maas.usage.pending", this, UsageRecorder::pending)
                .description("usage events recorded but not yet written").register(registry);
        writer.start();
    }

    /** The thread's task: the writer is assigned before the thread starts, so it is seen there. */
    private void runWriter() {
        writer.run();
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
        buffer.checkOpen();
        if (buffer.full()) {
            writer.wake();
            buffer.awaitRoom();
        }
        long count = buffer.add(event);
        meters.recorded.increment();
        writer.wakeIfBatchFull(count);
    }

    /** Whether {@link Settings#capacity()} or more events are pending; the engine then refuses new requests. */
    public boolean saturated() {
        return buffer.full();
    }

    /** Events recorded but not yet written (queued or in the batch being appended). */
    public int pending() {
        return buffer.pending();
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
        return writer.flush(timeout.toNanos());
    }

    /**
     * Stops accepting events, then waits up to {@link Settings#closeTimeout()} for the writer to
     * write everything recorded (on the {@linkplain Settings#ticker() ticker}). If the ledger does
     * not take them in time, logs an error with their count and keeps them in {@link #unwritten()}.
     * Idempotent; a second call returns at once.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        buffer.close();
        writer.stop(settings.closeTimeout().toNanos());
        List<UsageEvent> left = buffer.snapshot(appender.inFlight());
        leftAtClose = left;
        if (!left.isEmpty()) {
            LOG.error("usage recorder closed with {} events not written to the ledger; "
                    + "they are kept in UsageRecorder.unwritten()", left.size());
        }
        registry.remove(pendingGauge);
        writer.signalProgress();
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
        return left != null ? left : buffer.snapshot(appender.inFlight());
    }

    /** The settings in use. */
    public Settings settings() {
        return settings;
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
