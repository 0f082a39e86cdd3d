package dev.maas4j.core;

import dev.maas4j.api.ManualTimeSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthFailureThrottleTest {
    private static final String GUESSER = "192.0.2.10";
    private static final String NEIGHBOUR = "192.0.2.11";

    private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-03-02T10:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private AuthFailureThrottle throttle() {
        return AuthFailureThrottle.builder().timeSource(time).meterRegistry(registry).build();
    }

    private static void fail(AuthFailureThrottle throttle, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.recordFailure(address);
        }
    }

    @Test
    void twentyFailuresInAMinuteThrottleTheAddressUntilTheMinuteIsOver() {
        AuthFailureThrottle throttle = throttle();
        for (int i = 0; i < 20; i++) {
            assertEquals(0, throttle.retryAfterSeconds(GUESSER), "attempt " + (i + 1) + " may be verified");
            throttle.recordFailure(GUESSER);
            time.advance(Duration.ofMillis(100));
        }
        assertEquals(58, throttle.retryAfterSeconds(GUESSER), "the window opened with the first failure, 2 s ago");
        time.advance(Duration.ofSeconds(30));
        assertEquals(28, throttle.retryAfterSeconds(GUESSER));
        time.advance(Duration.ofMillis(27_500));
        assertEquals(1, throttle.retryAfterSeconds(GUESSER), "partial seconds round up");
        time.advance(Duration.ofMillis(500));
        assertEquals(0, throttle.retryAfterSeconds(GUESSER), "the window is over");

        throttle.recordFailure(GUESSER);
        assertEquals(0, throttle.retryAfterSeconds(GUESSER), "a new window, with one failure in it");
        fail(throttle, GUESSER, 19);
        assertEquals(60, throttle.retryAfterSeconds(GUESSER));
    }

    @Test
    void failuresOfAnOlderWindowAgeOut() {
        AuthFailureThrottle throttle = throttle();
        fail(throttle, GUESSER, 19);
        time.advance(Duration.ofMinutes(1));
        fail(throttle, GUESSER, 19);
        assertEquals(0, throttle.retryAfterSeconds(GUESSER), "19 and 19 in two windows: never 20 in one");
        throttle.recordFailure(GUESSER);
        assertEquals(60, throttle.retryAfterSeconds(GUESSER));
    }

    @Test
    void failuresWhileThrottledDoNotPostponeTheEndOfTheWait() {
        AuthFailureThrottle throttle = throttle();
        fail(throttle, GUESSER, 20);
        time.advance(Duration.ofSeconds(40));
        fail(throttle, GUESSER, 100);
        assertEquals(20, throttle.retryAfterSeconds(GUESSER));
    }

    @Test
    void anotherAddressIsUnaffected() {
        AuthFailureThrottle throttle = throttle();
        fail(throttle, GUESSER, 1_000);
        assertEquals(60, throttle.retryAfterSeconds(GUESSER));
        assertEquals(0, throttle.retryAfterSeconds(NEIGHBOUR));
        fail(throttle, NEIGHBOUR, 19);
        assertEquals(0, throttle.retryAfterSeconds(NEIGHBOUR));
    }

    @Test
    void limitAndWindowAreConfigurable() {
        AuthFailureThrottle throttle = AuthFailureThrottle.builder().maxFailures(3).window(Duration.ofSeconds(10))
                .timeSource(time).build();
        fail(throttle, GUESSER, 2);
        assertEquals(0, throttle.retryAfterSeconds(GUESSER));
        throttle.recordFailure(GUESSER);
        assertEquals(10, throttle.retryAfterSeconds(GUESSER));
        time.advance(Duration.ofSeconds(10));
        assertEquals(0, throttle.retryAfterSeconds(GUESSER));
    }

    @Test
    void concurrentFailuresFromOneAddressAreAllCounted() throws Exception {
        AuthFailureThrottle throttle = AuthFailureThrottle.builder().maxFailures(4_000).timeSource(time).build();
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                fail(throttle, GUESSER, 999);
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(10_000);
        }
        fail(throttle, GUESSER, 3);
        assertEquals(0, throttle.retryAfterSeconds(GUESSER), "3,999 failures, none lost, none invented");
        throttle.recordFailure(GUESSER);
        assertEquals(60, throttle.retryAfterSeconds(GUESSER));
    }

    @Test
    void checkingAnAddressThatIsNotThrottledAllocatesNothing() {
        AuthFailureThrottle throttle = throttle();
        fail(throttle, GUESSER, 5);
        String[] addresses = {"198.51.100.1", "198.51.100.2", GUESSER};
        long sum = 0;
        for (int i = 0; i < 50_000; i++) {
            sum += throttle.retryAfterSeconds(addresses[i % addresses.length]);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            sum += throttle.retryAfterSeconds(addresses[i % addresses.length]);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertEquals(0, sum);
        assertTrue(before > 0, "this JVM measures allocation per thread");
        // a few hundred bytes of noise (the MXBean call itself) at most, not 16+ bytes per call
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes in 100,000 checks");
    }

    @Test
    void refusalsAreCountedByApiAndReason() {
        AuthFailureThrottle throttle = throttle();
        throttle.countRefusal(AuthFailureThrottle.Api.MODEL, AuthFailureThrottle.THROTTLED);
        throttle.countRefusal(AuthFailureThrottle.Api.MANAGEMENT, AuthFailureThrottle.THROTTLED);
        throttle.countRefusal(AuthFailureThrottle.Api.MANAGEMENT, AuthFailureThrottle.THROTTLED);
        throttle.countRefusal(AuthFailureThrottle.Api.MANAGEMENT, "invalid_credentials");
        assertEquals(1, count("model", "throttled"));
        assertEquals(2, count("management", "throttled"));
        assertEquals(1, count("management", "invalid_credentials"));
        fail(throttle, GUESSER, 50);
        assertEquals(1, count("management", "invalid_credentials"), "recordFailure only counts towards the limit");
    }

    private double count(String api, String reason) {
        Counter counter = registry.find("maas.auth.failures").tag("api", api).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void settingsFailFastNamingTheSetting() {
        IllegalArgumentException max = assertThrows(IllegalArgumentException.class,
                () -> AuthFailureThrottle.builder().maxFailures(0));
        assertTrue(max.getMessage().startsWith("maxFailures"), max.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AuthFailureThrottle.builder().maxFailures(70_000));
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> AuthFailureThrottle.builder().window(Duration.ofMillis(500)));
        assertTrue(window.getMessage().startsWith("window"), window.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AuthFailureThrottle.builder().maxAddresses(0));
        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> AuthFailureThrottle.builder().maxFailures(5).maxFailures(6));
        assertEquals("maxFailures was already set", twice.getMessage());
        assertEquals("AuthFailureThrottle[20 failures per PT1M]", AuthFailureThrottle.builder().build().toString());
    }
}
