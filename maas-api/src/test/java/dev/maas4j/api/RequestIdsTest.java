package dev.maas4j.api;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestIdsTest {
    @Test
    void anIdIsAVersion7UuidCarryingTheCurrentMillisecond() {
        long before = System.currentTimeMillis();
        UUID id = UUID.fromString(RequestIds.next());
        long after = System.currentTimeMillis();

        assertEquals(7, id.version());
        assertEquals(2, id.variant(), "the RFC 9562 variant");
        long millis = id.getMostSignificantBits() >>> 16;
        assertTrue(millis >= before && millis <= after, millis + " not within " + before + ".." + after);
    }

    @Test
    void idsFromLaterMillisecondsSortAfterEarlierOnesAsText() {
        long now = System.currentTimeMillis();
        for (long later : new long[] {1, 255, 256, 65_536, 86_400_000L}) {
            String first = RequestIds.next(now);
            String second = RequestIds.next(now + later);

            assertTrue(first.compareTo(second) < 0, first + " then " + second + " (" + later + " ms later)");
        }
    }

    @Test
    void idsAreUniqueAcrossThreads() throws InterruptedException {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    ids.add(RequestIds.next());
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(200_000, ids.size());
    }
}
