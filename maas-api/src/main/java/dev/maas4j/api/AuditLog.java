package dev.maas4j.api;

import java.time.Instant;
import java.util.List;

/**
 * Where management changes are recorded. Implementations must be thread-safe; {@link #append}
 * should be durable when it returns.
 */
public interface AuditLog {

    /** Records one entry. */
    void append(AuditEvent event);

    /** Entries in {@code [from, to)}, newest first, at most {@code limit}. */
    List<AuditEvent> list(Instant from, Instant to, int limit);
}
