package dev.maas4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.ManualTimeSource;
import dev.maas4j.api.TimeSource;
import dev.maas4j.core.LimitBackend;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LimitBackend} must have, as the engine uses its buckets: reserve with
 * {@code tryConsume}, refund with {@code addTokens}, overdraw with {@code consumeIgnoringRateLimits},
 * ask for the wait with {@code estimateAbilityToConsume}; windows aligned to the epoch and refilled
 * on the engine's clock; a changed limit keeping what the window consumed. Extend it with
 * {@link #newBackend(TimeSource)} returning a backend on the given clock:
 *
 * <pre>{@code
 * class MyLimitBackendTest extends LimitBackendContract {
 *     @Override
 *     protected LimitBackend newBackend(TimeSource time) {
 *         return MyLimitBackend.on(freshDatabase(), time);
 *     }
 * }
 * }</pre>
 *
 * <p>The clock is a {@link ManualTimeSource} at {@link #T0}, moved by the tests: a backend that
 * reads the system clock instead fails them. Every test uses bucket keys of its own, so a backend
 * may keep its buckets between tests. A backend that is {@link AutoCloseable} is closed after each
 * test.
 */
public abstract class LimitBackendContract {

    /** Where the clock starts: on the hour, so that aligned windows start there too. */
    protected static final Instant T0 = TestData.T0;

    /** The clock the backend under test is on; only the tests move it. */
    protected ManualTimeSource time;

    /** The backend under test, fresh for each test. */
    protected LimitBackend backend;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** A new backend whose buckets run on {@code time}. */
    protected abstract LimitBackend newBackend(TimeSource time);

    @BeforeEach
    void createBackend() {
        time = new ManualTimeSource(T0);
        backend = newBackend(time);
    }

    @AfterEach
    void closeBackend() throws Exception {
        if (backend instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** A fixed window of {@code limit} per {@code window}, aligned to the epoch, as the engine builds them. */
    protected static BucketConfiguration window(long limit, Duration window) {
        return BucketConfiguration.builder()
                .addLimit(b -> b.capacity(limit).refillIntervallyAligned(limit, window, Instant.EPOCH))
                .build();
    }

    /** A bucket key no other test uses. */
    protected String key(String name) {
        return "contract:" + run + ":" + name;
    }

    private Bucket perMinute(String name, long limit) {
        return backend.bucket(key(name), window(limit, Duration.ofMinutes(1)), Duration.ofMinutes(3));
    }

    // ------------------------------------------------------------------------------ consuming

    @Test
    void aNewBucketIsFull() {
        assertEquals(10, perMinute("k", 10).getAvailableTokens());
    }

    @Test
    void tryConsumeTakesUpToTheLimitAndNoMore() {
        Bucket bucket = perMinute("k", 10);

        assertTrue(bucket.tryConsume(4));
        assertTrue(bucket.tryConsume(6));
        assertFalse(bucket.tryConsume(1), "the limit is used up");
    }

    @Test
    void theSameKeyIsTheSameBucketOnEveryCall() {
        assertTrue(perMinute("k", 10).tryConsume(10));

        assertFalse(perMinute("k", 10).tryConsume(1), "a second call for the key gives the same bucket");
    }

    @Test
    void differentKeysAreIndependent() {
        assertTrue(perMinute("a", 10).tryConsume(10));

        assertTrue(perMinute("b", 10).tryConsume(10), "another key has its own limit");
        assertFalse(perMinute("a", 10).tryConsume(1));
    }

    // ---------------------------------------------------------------------------------- time

    @Test
    void aWindowRefillsOnTheBackendsClockNotTheSystemClock() {
        assertTrue(perMinute("k", 10).tryConsume(10));

        time.advance(Duration.ofSeconds(59));
        assertFalse(perMinute("k", 10).tryConsume(1), "the window has a second to go");

        time.advance(Duration.ofSeconds(1));
        assertTrue(perMinute("k", 10).tryConsume(10), "a new window, full again");
        assertFalse(perMinute("k", 10).tryConsume(1));
    }

    @Test
    void theWaitUntilTheWindowRefillsIsMeasuredOnTheBackendsClock() {
        Bucket bucket = perMinute("k", 10);
        assertTrue(bucket.tryConsume(10));
        time.advance(Duration.ofSeconds(10));

        assertFalse(bucket.tryConsume(1));
        assertEquals(Duration.ofSeconds(50),
                Duration.ofNanos(bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill()),
                "windows are aligned to the epoch: this one ends 50 s later");
    }

    // ----------------------------------------------------------------------- refunds, overdraws

    @Test
    void aRefundIsGivenBack() {
        Bucket bucket = perMinute("k", 10);
        assertTrue(bucket.tryConsume(8));

        bucket.addTokens(5);

        assertTrue(bucket.tryConsume(7), "10 - 8 + 5");
        assertFalse(bucket.tryConsume(1));
    }

    @Test
    void aRefundNeverFillsABucketBeyondItsLimit() {
        Bucket bucket = perMinute("k", 10);
        assertTrue(bucket.tryConsume(2));

        bucket.addTokens(5);

        assertTrue(bucket.tryConsume(10));
        assertFalse(bucket.tryConsume(1));
    }

    @Test
    void anOverdrawIsPaidBackBeforeMoreIsAdmitted() {
        Bucket bucket = perMinute("k", 10);

        bucket.consumeIgnoringRateLimits(15);
        assertFalse(bucket.tryConsume(1), "5 tokens in debt");

        time.advance(Duration.ofMinutes(1));
        assertTrue(bucket.tryConsume(5), "the refill of 10 paid the debt of 5 first");
        assertFalse(bucket.tryConsume(1));
    }

    // ------------------------------------------------------------------------- changed limits

    @Test
    void aRaisedLimitKeepsWhatTheWindowConsumed() {
        assertTrue(perMinute("k", 10).tryConsume(6));

        Bucket raised = perMinute("k", 20);

        assertTrue(raised.tryConsume(14), "20 - 6");
        assertFalse(raised.tryConsume(1));
    }

    @Test
    void aLimitLoweredBelowWhatTheWindowConsumedRefusesAtOnce() {
        assertTrue(perMinute("k", 10).tryConsume(6));

        Bucket lowered = perMinute("k", 5);
        assertFalse(lowered.tryConsume(1), "6 consumed of a limit of 5");

        // (what the window overdrew may be carried into the next, as an overdraw is)
        time.advance(Duration.ofMinutes(2));
        assertTrue(perMinute("k", 5).tryConsume(5), "later windows hold the new limit");
        assertFalse(perMinute("k", 5).tryConsume(1));
    }

    // ---------------------------------------------------------------------------- concurrency

    @Test
    void concurrentConsumersNeverTakeMoreThanTheLimit() throws Exception {
        int threads = 8;
        int attempts = 40;
        AtomicInteger admitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attempts; i++) {
                        if (perMinute("shared", 100).tryConsume(1)) {
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(100, admitted.get(), "320 attempts on a limit of 100");
    }
}
