package dev.maas4j.core;

import dev.maas4j.api.RateLimit;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads against a small quota. The clock stands still, so the quota never refills: what is
 * admitted in total must stay within the stated bound, and the ledger must equal exactly what the
 * threads reported.
 */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int REQUESTS_PER_THREAD = 2_000;
    private static final long QUOTA = 50_000;

    private static void run(ReservationStrategy strategy, long maxOutput, long expectedBoundOvershoot) throws Exception {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(strategy).expectedOutputTokens(20))) {
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(QUOTA, "1h")).build());
            String key = f.key("alice");
            AtomicLong reportedTokens = new AtomicLong();
            AtomicLong admitted = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                        try (Lease lease = f.admit(key, "granite", 10, maxOutput)) {
                            if (lease.allowed()) {
                                long completion = random.nextLong(maxOutput + 1);
                                lease.complete(TokenUsage.reported(10, completion), 200);
                                reportedTokens.addAndGet(10 + completion);
                                admitted.incrementAndGet();
                            }
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertTrue(f.engine.usage().flush(Duration.ofSeconds(30)));
            UsageTotals totals = f.store.totals(UsageQuery.between(Instant.EPOCH, Instant.MAX));
            assertEquals(admitted.get(), totals.requests());
            assertEquals(reportedTokens.get(), totals.totalTokens(), "the ledger equals what was reported");
            assertTrue(totals.totalTokens() <= QUOTA + expectedBoundOvershoot,
                    strategy + " spent " + totals.totalTokens() + ", bound " + (QUOTA + expectedBoundOvershoot));
            assertTrue(totals.totalTokens() > QUOTA / 2, "the quota was actually used: " + totals.totalTokens());
        }
    }

    @Test
    void worstCaseNeverOvershootsUnderContention() throws Exception {
        run(ReservationStrategy.WORST_CASE, 50, 0);
    }

    @Test
    void expectedStaysWithinItsBoundUnderContention() throws Exception {
        // at most THREADS requests in flight, each using at most 50 - 20 more than it reserved
        run(ReservationStrategy.EXPECTED, 50, THREADS * (50 - 20));
    }

    @Test
    void postPaidStaysWithinItsBoundUnderContention() throws Exception {
        run(ReservationStrategy.POST_PAID, 50, THREADS * (10 + 50));
    }
}
