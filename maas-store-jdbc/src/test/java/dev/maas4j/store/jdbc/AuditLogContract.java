package dev.maas4j.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.maas4j.api.AuditEvent;
import dev.maas4j.api.AuditLog;
import dev.maas4j.core.contract.TestData;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link AuditLog} must have. */
public abstract class AuditLogContract {
    private static final Instant T0 = TestData.T0;

    /** The log under test, fresh for each test. */
    protected AuditLog log;

    /** A new, empty log. */
    protected abstract AuditLog newAuditLog();

    @BeforeEach
    void createLog() {
        log = newAuditLog();
    }

    private static AuditEvent event(String id, Instant at) {
        return new AuditEvent(id, at, "admin", "api-key.create", "api-key/" + id, "success", Map.of());
    }

    @Test
    void appendedEntriesAreListedNewestFirst() {
        log.append(event("a", T0));
        log.append(event("c", T0.plusSeconds(2)));
        log.append(event("b", T0.plusSeconds(1)));

        assertEquals(List.of("c", "b", "a"), ids(log.list(T0, T0.plusSeconds(60), 10)));
    }

    @Test
    void everyFieldIsKept() {
        AuditEvent full = new AuditEvent("full", T0.plusMillis(123), "alice", "subscription.delete", "subscription/gold",
                "denied", Map.of("reason", "not an admin", "ip", "10.0.0.7"));
        log.append(full);

        assertEquals(List.of(full), log.list(T0, T0.plusSeconds(1), 5));
    }

    @Test
    void rangeIsStartInclusiveEndExclusiveAndLimitKeepsTheNewest() {
        for (int i = 0; i < 10; i++) {
            log.append(event("e" + i, T0.plusSeconds(i)));
        }

        assertEquals(List.of("e4", "e3", "e2"), ids(log.list(T0.plusSeconds(2), T0.plusSeconds(5), 10)));
        assertEquals(List.of("e9", "e8"), ids(log.list(T0, T0.plusSeconds(60), 2)));
        assertEquals(List.of(), log.list(T0, T0.plusSeconds(60), 0));
        assertEquals(List.of(), log.list(T0.plusSeconds(100), T0.plusSeconds(200), 10));
    }

    private static List<String> ids(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::id).toList();
    }
}
