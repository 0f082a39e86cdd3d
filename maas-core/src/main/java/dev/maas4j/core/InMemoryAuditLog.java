package dev.maas4j.core;

import dev.maas4j.api.AuditEvent;
import dev.maas4j.api.AuditLog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An {@link AuditLog} that keeps the latest {@code capacity} entries in memory, dropping the
 * oldest when full.
 *
 * <p>Suited to tests, demos and single-process set-ups that can lose history on restart; the
 * capacity bounds memory whatever the rate of changes. For a durable trail use a store module's
 * audit log, or wrap this one to also write each entry to a log file.
 *
 * <pre>{@code
 * AuditLog audit = new InMemoryAuditLog(10_000);
 * audit.append(new AuditEvent(id, now, "alice", "api-key.create", "api-key/abc", "success", Map.of()));
 * List<AuditEvent> lastHour = audit.list(now.minus(Duration.ofHours(1)), now.plusSeconds(1), 100);
 * }</pre>
 *
 * <p>Thread-safe: one lock guards the ring. Changes through the management API are rare, so the
 * lock is never contended in practice; readers copy the matching entries under it and sort them
 * outside it.
 */
public final class InMemoryAuditLog implements AuditLog {
    /** The capacity of {@link #InMemoryAuditLog()}. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final AuditEvent[] ring;
    private final Object lock = new Object();
    /** The index the next entry goes to. */
    private int next;
    private int size;
    private long dropped;

    /** A log of the latest {@value #DEFAULT_CAPACITY} entries. */
    public InMemoryAuditLog() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * A log of the latest {@code capacity} entries.
     *
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public InMemoryAuditLog(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.ring = new AuditEvent[capacity];
    }

    @Override
    public void append(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        synchronized (lock) {
            if (size == ring.length) {
                dropped++;
            } else {
                size++;
            }
            ring[next] = event;
            next = (next + 1) % ring.length;
        }
    }

    /**
     * Entries with {@code from <= at < to}, newest first by {@link AuditEvent#at()} (entries with the
     * same time: the last appended first), at most {@code limit}.
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    @Override
    public List<AuditEvent> list(Instant from, Instant to, int limit) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        List<AuditEvent> matching = new ArrayList<>();
        synchronized (lock) {
            // newest appended first, so that the stable sort below keeps that order among equal times
            for (int i = 1; i <= size; i++) {
                AuditEvent event = ring[Math.floorMod(next - i, ring.length)];
                if (!event.at().isBefore(from) && event.at().isBefore(to)) {
                    matching.add(event);
                }
            }
        }
        // entries may be appended out of time order (clocks of several writers): the SPI orders by time
        matching.sort(Comparator.comparing(AuditEvent::at).reversed());
        return matching.size() <= limit ? matching : new ArrayList<>(matching.subList(0, limit));
    }

    /** The most entries kept. */
    public int capacity() {
        return ring.length;
    }

    /** How many entries are kept now. */
    public int size() {
        synchronized (lock) {
            return size;
        }
    }

    /** How many entries were dropped to make room since this log was created. */
    public long dropped() {
        synchronized (lock) {
            return dropped;
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "InMemoryAuditLog[size=" + size + ", capacity=" + ring.length + ", dropped=" + dropped + "]";
        }
    }
}
