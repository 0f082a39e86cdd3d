package dev.maas4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.AuditEvent;
import dev.maas4j.api.AuditLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AuditLog} must have. Extend it with {@link #newAuditLog()} returning
 * an empty log that can hold at least a hundred entries:
 *
 * <pre>{@code
 * class MyAuditLogTest extends AuditLogContract {
 *     @Override
 *     protected AuditLog newAuditLog() {
 *         return new MyAuditLog(freshDatabase());
 *     }
 * }
 * }</pre>
 */
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

    @Test
    void entriesAtTheSameInstantAreAllKept() {
        log.append(event("a", T0));
        log.append(event("b", T0.plusSeconds(1)));
        log.append(event("c", T0.plusSeconds(1)));

        List<String> listed = ids(log.list(T0, T0.plusSeconds(60), 10));
        assertEquals(3, listed.size(), listed.toString());
        assertEquals("a", listed.get(2), "the oldest last");
        assertTrue(listed.containsAll(List.of("b", "c")), listed.toString());
    }

    @Test
    void concurrentAppendsAreNeitherLostNorTorn() throws Exception {
        int threads = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * each;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        log.append(event("e" + (offset + i), T0.plusMillis(offset + i)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<AuditEvent> all = log.list(T0, T0.plusSeconds(60), 1_000);
        assertEquals(threads * each, all.size());
        assertEquals(threads * each, all.stream().map(AuditEvent::id).distinct().count());
        assertTrue(all.stream().allMatch(e -> e.actor().equals("admin") && e.resource().equals("api-key/" + e.id())),
                "every entry is whole");
    }

    private static List<String> ids(List<AuditEvent> events) {
        return events.stream().map(AuditEvent::id).toList();
    }
}
