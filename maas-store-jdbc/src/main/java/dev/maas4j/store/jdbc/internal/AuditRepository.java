package dev.maas4j.store.jdbc.internal;

import dev.maas4j.api.AuditEvent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The audit trail in {@code maas_audit_event}. Thread-safe. */
public final class AuditRepository {
    private final Database db;

    /** The audit trail in {@code db}. */
    public AuditRepository(Database db) {
        this.db = db;
    }

    /** Records one entry; durable when this returns. */
    public void append(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        db.call("append audit event", h -> h.createUpdate("INSERT INTO maas_audit_event (id, occurred_at, actor,"
                        + " action, resource, outcome, details_json) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .bind(0, event.id()).bind(1, Database.timestamp(event.at())).bind(2, event.actor())
                .bind(3, event.action()).bind(4, event.resource()).bind(5, event.outcome())
                .bind(6, Json.map(event.details())).execute());
    }

    /** Entries in {@code [from, to)}, newest first. */
    public List<AuditEvent> list(Instant from, Instant to, int limit) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, was " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        return db.call("list audit events", h -> h.createQuery("SELECT id, occurred_at, actor, action, resource,"
                        + " outcome, details_json FROM maas_audit_event WHERE occurred_at >= ? AND occurred_at < ?"
                        + " ORDER BY occurred_at DESC, id DESC")
                .bind(0, Database.timestamp(from)).bind(1, Database.timestamp(to)).setMaxRows(limit)
                .map((rs, ctx) -> new AuditEvent(rs.getString("id"), Database.instant(rs, "occurred_at"),
                        rs.getString("actor"), rs.getString("action"), rs.getString("resource"),
                        rs.getString("outcome"), Json.map(rs.getString("details_json"))))
                .list());
    }
}
