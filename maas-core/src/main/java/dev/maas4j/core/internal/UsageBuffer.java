package dev.maas4j.core.internal;

import dev.maas4j.api.Ticker;
import dev.maas4j.api.UsageEvent;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded buffer between the request path and a {@link UsageRecorder}'s writer: what is
 * pending, the bound on it, and the backpressure of a full buffer (wait for room up to the offer
 * timeout, then enqueue beyond capacity and count an overflow, never drop).
 *
 * <p><b>Thread-safety.</b> Any number of producers and one consumer, the writer thread, without a
 * lock: a {@link ConcurrentLinkedQueue} holds the events and two counters, {@link #enqueued} and
 * {@link #written}, give the pending count, so producers touch one shared counter only.
 */
final class UsageBuffer {
    // the recorder's logger, as before its parts were split out: log configuration names it
    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);

    /** How long a producer parks between checks for room in a full buffer. */
    private static final long ROOM_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Overflows come in bursts while saturated: one warning a minute says enough. */
    private static final long OVERFLOW_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int capacity;
    private final long offerTimeoutNanos;
    private final Ticker ticker;
    private final Counter overflowCounter;
    /** Holds {@link UsageEvent}s and {@link PendingUsage}s, the latter turned into events as they leave. */
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    /** Events ever counted in by {@link #add}; with {@link #written} the pending count and the flush target. */
    private final AtomicLong enqueued = new AtomicLong();
    /** Events ever written; only the writer thread adds to it. */
    private final AtomicLong written = new AtomicLong();
    /** When the last overflow warning was logged (on the ticker), to log at most one a minute. */
    private final AtomicLong lastOverflowWarning;
    private volatile boolean closed;

    UsageBuffer(UsageRecorder.Settings settings, Counter overflowCounter) {
        this.capacity = settings.capacity();
        this.offerTimeoutNanos = settings.offerTimeout().toNanos();
        this.ticker = settings.ticker();
        this.overflowCounter = overflowCounter;
        this.lastOverflowWarning = new AtomicLong(ticker.read() - OVERFLOW_WARNING_NANOS);
    }

    /** Throws if the buffer is closed: a cheap check before waiting for room. */
    void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    /**
     * Counts {@code event} in and enqueues it, beyond capacity if need be.
     *
     * @return the count of events ever enqueued, this one included
     * @throws IllegalStateException if the buffer was closed
     */
    long add(Object event) {
        long count = enqueued.incrementAndGet();
        // checked again after counting: the writer leaves only once closed and every counted
        // event is written, so an event counted while open is always waited for, and one counted
        // after close is taken back here
        if (closed) {
            enqueued.decrementAndGet();
            throw closedException();
        }
        queue.offer(event);
        return count;
    }

    /**
     * Waits in short steps for the writer (woken by the caller) to make room, up to the offer
     * timeout; counts an overflow if it does not.
     */
    void awaitRoom() {
        long deadline = ticker.read() + offerTimeoutNanos;
        while (pending() >= capacity && !closed) {
            long remaining = deadline - ticker.read();
            if (remaining <= 0) {
                overflowCounter.increment();
                long last = lastOverflowWarning.get();
                long now = ticker.read();
                if (now - last >= OVERFLOW_WARNING_NANOS && lastOverflowWarning.compareAndSet(last, now)) {
                    LOG.warn("usage buffer full ({} events pending, capacity {}): recording beyond capacity "
                            + "({} overflows so far); new requests are refused while it stays saturated",
                            pending(), capacity, (long) overflowCounter.count());
                }
                return;
            }
            LockSupport.parkNanos(this, Math.min(remaining, ROOM_POLL_NANOS));
        }
    }

    /** Whether the capacity or more events are pending. */
    boolean full() {
        return pending() >= capacity;
    }

    /** Events counted in but not yet written (queued, or in the batch being appended). */
    int pending() {
        long n = enqueued.get() - written.get();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, n));
    }

    long enqueued() {
        return enqueued.get();
    }

    long written() {
        return written.get();
    }

    /** Whether every event counted in is written. */
    boolean allWritten() {
        return written.get() >= enqueued.get();
    }

    /** Counts {@code n} events as written; the writer thread's only, once the ledger holds them. */
    void markWritten(int n) {
        written.addAndGet(n);
    }

    /** Whether no event is queued (one may still be counted in and about to be enqueued). */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** The next queued event, built if it is a {@link PendingUsage}; {@code null} if none. */
    UsageEvent poll() {
        Object queued = queue.poll();
        return queued == null ? null : asEvent(queued);
    }

    /** Stops accepting events; those counted in before stay to be written. */
    void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    /** {@code inFlight} followed by the queued events, in recording order. */
    List<UsageEvent> snapshot(List<UsageEvent> inFlight) {
        List<UsageEvent> result = new ArrayList<>(inFlight);
        for (Object queued : queue) {
            result.add(asEvent(queued));
        }
        return Collections.unmodifiableList(result);
    }

    private static UsageEvent asEvent(Object queued) {
        return queued instanceof PendingUsage pending ? pending.toUsageEvent() : (UsageEvent) queued;
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("the usage recorder is closed");
    }
}
