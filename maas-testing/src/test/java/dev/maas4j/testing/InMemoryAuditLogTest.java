package dev.maas4j.testing;

import dev.maas4j.api.AuditEvent;
import dev.maas4j.core.InMemoryAuditLog;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link InMemoryAuditLog}: a bounded ring, newest first, thread-safe. */
class InMemoryAuditLogTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private static AuditEvent event(int i) {
        return new AuditEvent("e" + i, T0.plusSeconds(i), "alice", "api_key.create", "api_key/k" + i, "success",
                Map.of());
    }

    @Test
    void keepsTheLatestEntriesNewestFirstWithinTheRange() {
        InMemoryAuditLog log = new InMemoryAuditLog(3);
        for (int i = 0; i < 5; i++) {
            log.append(event(i));
        }
        assertEquals(3, log.size());
        assertEquals(2, log.dropped());
        assertEquals(List.of("e4", "e3", "e2"), ids(log.list(Instant.EPOCH, Instant.MAX, 10)));
        assertEquals(List.of("e4"), ids(log.list(Instant.EPOCH, Instant.MAX, 1)));
        assertEquals(List.of("e3"), ids(log.list(T0.plusSeconds(3), T0.plusSeconds(4), 10)), "to is exclusive");
        assertEquals(List.of(), ids(log.list(Instant.EPOCH, Instant.MAX, 0)));
        assertThrows(IllegalArgumentException.class, () -> new InMemoryAuditLog(0));
        assertThrows(IllegalArgumentException.class, () -> log.list(Instant.EPOCH, Instant.MAX, -1));
    }

    @Test
    void entriesAreOrderedByTimeNotByArrival() {
        InMemoryAuditLog log = new InMemoryAuditLog(10);
        log.append(event(0));
        log.append(event(2));
        log.append(event(1));
        log.append(new AuditEvent("same-time", T0.plusSeconds(2), "bob", "model.delete", "model/m", "success",
                Map.of()));
        assertEquals(List.of("same-time", "e2", "e1", "e0"), ids(log.list(Instant.EPOCH, Instant.MAX, 10)));
        assertEquals(List.of("same-time", "e2"), ids(log.list(Instant.EPOCH, Instant.MAX, 2)));
    }

    @Test
    void concurrentAppendsAreNeitherLostNorTorn() throws Exception {
        InMemoryAuditLog log = new InMemoryAuditLog(10_000);
        int threads = 4;
        int each = 1_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * each;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < each; i++) {
                    log.append(event(offset + i));
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        List<AuditEvent> all = log.list(Instant.EPOCH, Instant.MAX, Integer.MAX_VALUE);
        assertEquals(threads * each, all.size());
        assertEquals(threads * each, all.stream().map(AuditEvent::id).distinct().count());
        assertTrue(log.toString().contains("size=4000"));
    }

    private static List<String> ids(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::id).toList();
    }
}
