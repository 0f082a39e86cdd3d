package dev.maas4j.core.internal;

import dev.maas4j.api.Ticker;
import dev.maas4j.api.UsageEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer thread of a {@link UsageRecorder}: takes batches from the {@link UsageBuffer} and
 * hands them to the {@link BatchAppender}, when a batch is full, when the flush interval is due,
 * when a caller of {@link #flush} waits, and at close until every counted event is written.
 * Between those it parks; producers wake it ({@link #wakeIfBatchFull}) only while it is idle.
 *
 * <p><b>Thread-safety.</b> {@link #run()} runs on the writer thread alone; the other methods may
 * be called from any thread. Progress (a batch written, the thread stopped) is signalled on one
 * condition, which only {@link #flush} callers wait on.
 */
final class UsageWriter implements Runnable {
    // the recorder's logger, as before its parts were split out: log configuration names it
    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);

    /** How long the writer parks while waiting for an event whose producer has counted but not yet enqueued it. */
    private static final long STRAGGLER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long close waits for the writer to leave a backoff once it has given up on the ledger. */
    private static final long ABANDON_GRACE_MILLIS = 200;
    /**
     * The longest real wait before a ticker other than the system's is read again: a test that
     * moves it forward sees the effect within this, however long the interval it waits out.
     */
    private static final long FOREIGN_TICKER_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final UsageBuffer buffer;
    private final BatchAppender appender;
    private final Ticker ticker;
    private final int maxBatch;
    private final long intervalNanos;
    private final long maxParkNanos;
    private final Thread thread;
    /** The highest enqueued count a caller of {@link #flush} waits for. */
    private final AtomicLong flushTarget = new AtomicLong();
    private final ReentrantLock progressLock = new ReentrantLock();
    private final Condition progress = progressLock.newCondition();
    /** Whether the writer is parked waiting for work, so producers know to wake it. */
    private volatile boolean idle;

    /**
     * @param thread the thread that will run this writer, not started yet
     */
    UsageWriter(Thread thread, UsageBuffer buffer, BatchAppender appender, UsageRecorder.Settings settings,
                long maxParkNanos) {
        this.thread = thread;
        this.buffer = buffer;
        this.appender = appender;
        this.ticker = settings.ticker();
        this.maxBatch = settings.maxBatch();
        this.intervalNanos = settings.flushInterval().toNanos();
        this.maxParkNanos = maxParkNanos;
    }

    /** How long one park may last on {@code ticker}: unbounded on the system's, else a short recheck. */
    static long maxParkNanos(Ticker ticker) {
        return ticker == Ticker.system() ? Long.MAX_VALUE : FOREIGN_TICKER_RECHECK_NANOS;
    }

    /** Starts the writer thread. */
    void start() {
        thread.start();
    }

    /** Wakes the writer, whatever it waits for. */
    void wake() {
        LockSupport.unpark(thread);
    }

    /** Wakes an idle writer once a full batch is pending; {@code enqueued} is the producer's count. */
    void wakeIfBatchFull(long enqueued) {
        if (idle && enqueued - buffer.written() >= maxBatch) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        long nextDrain = ticker.read() + intervalNanos;
        try {
            while (!appender.abandoned()) {
                // an interrupt means nothing here (close() is how to stop), and a pending one
                // would make every park return at once
                Thread.interrupted();
                // closed is read before the counts: see UsageBuffer.add
                boolean stopping = buffer.closed();
                if (stopping && buffer.allWritten()) {
                    return;
                }
                boolean due = ticker.read() - nextDrain >= 0;
                if (due) {
                    nextDrain = ticker.read() + intervalNanos;
                }
                writeAvailable(stopping || due || flushRequested());
                long parkNanos;
                if (buffer.closed() || flushRequested()) {
                    // someone waits for every counted event: go on while the queue has any
                    if (!buffer.isEmpty() || buffer.allWritten()) {
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
                idle = true;
                // checked once idle is visible, so that a producer that filled a batch meanwhile
                // is either seen here or sees the flag and unparks us
                if (buffer.pending() >= maxBatch) {
                    if (!buffer.isEmpty()) {
                        idle = false;
                        continue;
                    }
                    parkNanos = Math.min(parkNanos, STRAGGLER_POLL_NANOS);
                }
                LockSupport.parkNanos(this, Math.min(parkNanos, maxParkNanos));
                idle = false;
            }
        } catch (RuntimeException | Error e) {
            LOG.error("usage writer stopped unexpectedly with {} events pending", buffer.pending(), e);
            throw e;
        } finally {
            signalProgress();
        }
    }

    private boolean flushRequested() {
        // bounded by enqueued: a record taken back at close may have raised a flush target
        return Math.min(flushTarget.get(), buffer.enqueued()) > buffer.written();
    }

    /**
     * Writes batches from the queue: until it is empty when {@code drainAll}, else only while
     * full batches are waiting.
     */
    private void writeAvailable(boolean drainAll) {
        while (!appender.abandoned() && (drainAll || buffer.pending() >= maxBatch)) {
            List<UsageEvent> batch = new ArrayList<>(Math.min(maxBatch, Math.max(1, buffer.pending())));
            UsageEvent event;
            while (batch.size() < maxBatch && (event = buffer.poll()) != null) {
                batch.add(event);
            }
            if (batch.isEmpty() || !appender.append(batch)) {
                return;
            }
            signalProgress();
        }
    }

    /**
     * Waits until every event counted in before this call is written.
     *
     * @return {@code false} if {@code timeoutNanos} passed first (in real time) or the writer has stopped
     */
    boolean flush(long timeoutNanos) {
        long target = buffer.enqueued();
        if (buffer.written() >= target) {
            return true;
        }
        flushTarget.accumulateAndGet(target, Math::max);
        LockSupport.unpark(thread);
        long remaining = timeoutNanos;
        progressLock.lock();
        try {
            // enqueued can only shrink by a record that raced close and was taken back
            while (buffer.written() < Math.min(target, buffer.enqueued())) {
                if (remaining <= 0 || !thread.isAlive()) {
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
     * Once the buffer is closed, waits up to {@code timeoutNanos} (at least a millisecond, on the
     * ticker) for the writer to write every counted event and stop; then gives up on the ledger
     * and waits a short grace for the writer to leave its backoff.
     */
    void stop(long timeoutNanos) {
        LockSupport.unpark(thread);
        try {
            // at least a millisecond, as before (Thread.join(0) would wait for ever)
            long deadline = ticker.read() + Math.max(TimeUnit.MILLISECONDS.toNanos(1), timeoutNanos);
            long remaining;
            while (thread.isAlive() && (remaining = deadline - ticker.read()) > 0) {
                long wait = Math.min(remaining, maxParkNanos);
                thread.join(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            if (thread.isAlive()) {
                appender.abandon();
                LockSupport.unpark(thread);
                thread.join(ABANDON_GRACE_MILLIS);
            }
        } catch (InterruptedException e) {
            appender.abandon();
            LockSupport.unpark(thread);
            Thread.currentThread().interrupt();
        }
    }

    /** Wakes every caller of {@link #flush}, to look at the counts again. */
    void signalProgress() {
        progressLock.lock();
        try {
            progress.signalAll();
        } finally {
            progressLock.unlock();
        }
    }
}
