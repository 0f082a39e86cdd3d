package dev.maas4j.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.ManualTimeSource;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import dev.maas4j.core.FailureMode;
import dev.maas4j.core.Lease;
import dev.maas4j.testing.TestData;
import dev.maas4j.testing.PostgresServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Limits shared by several engines on one real PostgreSQL. */
class SharedLimitsTest {
    private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

    static void catalog(JdbcStore store, long tokensPerHour) {
        store.putModel(ModelRef.builder("granite").price(ModelPrice.usd("0.15", "0.60")).build());
        store.putPolicy(AuthPolicy.of("dev-access", SubjectSet.groups("dev"), "granite"));
        store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                .model("granite", RateLimit.of(tokensPerHour, "1h")).build());
    }

    @Test
    void threeEnginesWithManyThreadsEachAdmitNoMoreThanTheQuotaAndTheLedgerEqualsTheReportedUsage()
            throws Exception {
        // WORST_CASE reserves prompt + max_tokens and the reported usage never exceeds it: the
        // exact shared bucket admits at most the quota, with no bound to add
        shareAQuota(0, 20_000);
    }

    @Test
    void withALocalAllowanceTheOvershootStaysWithinReplicasTimesTheAllowance() throws Exception {
        // 3 replicas x 5 % of 20,000: at most 3,000 tokens over
        shareAQuota(0.05, 23_000);
    }

    private void shareAQuota(double allowance, long bound) throws Exception {
        String url = PostgresServer.shared().newDatabase();
        long quota = 20_000;
        ManualTimeSource time = new ManualTimeSource(START); // one window for the whole run
        List<Replica> replicas = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                JdbcStore store = JdbcStore.builder(url).maxPoolSize(6).build();
                replicas.add(new Replica(store, time, FailureMode.FAIL_CLOSED, b -> { }, l -> {
                    if (allowance > 0) {
                        l.localAllowance(allowance, Duration.ofMillis(100));
                    }
                }));
            }
            catalog(replicas.get(0).store, quota);
            String key = replicas.get(0).newKey("alice");
            TestData.eventually("every replica sees the catalog").until(() -> replicas.stream().allMatch(r -> {
                try (Lease probe = r.admit(key, "granite", 0, 0)) {
                    if (probe.allowed()) {
                        probe.fail(502); // charged nothing
                        return true;
                    }
                    return false;
                }
            }));

            int threadsPerEngine = 6;
            int attemptsPerThread = 80;
            AtomicLong admitted = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            AtomicLong reportedTokens = new AtomicLong();
            AtomicLong reportedPrompt = new AtomicLong();
            AtomicLong reportedCompletion = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(3 * threadsPerEngine);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (Replica replica : replicas) {
                for (int t = 0; t < threadsPerEngine; t++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < attemptsPerThread; i++) {
                            try (Lease lease = replica.admit(key, "granite", 20, 60)) {
                                if (!lease.allowed()) {
                                    assertEquals(DenialReason.QUOTA_EXCEEDED,
                                            lease.admission().denial().orElseThrow().reason());
                                    refused.incrementAndGet();
                                    continue;
                                }
                                admitted.incrementAndGet();
                                long prompt = 20;
                                long completion = ThreadLocalRandom.current().nextLong(0, 61);
                                lease.complete(TokenUsage.reported(prompt, completion), 200);
                                reportedTokens.addAndGet(prompt + completion);
                                reportedPrompt.addAndGet(prompt);
                                reportedCompletion.addAndGet(completion);
                            }
                        }
                        return null;
                    }));
                }
            }
            long started = System.nanoTime();
            go.countDown();
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("3 engines x %d threads, allowance %.2f: %d admitted, %d refused, %d tokens reported,"
                    + " in %d ms%n", threadsPerEngine, allowance, admitted.get(), refused.get(), reportedTokens.get(),
                    millis);

            assertTrue(reportedTokens.get() <= bound, () -> reportedTokens.get() + " tokens, bound " + bound);
            assertTrue(refused.get() > 0, "the quota was reached");
            assertTrue(reportedTokens.get() > quota - 3 * threadsPerEngine * 80,
                    () -> "the quota was used: " + reportedTokens.get());

            for (Replica r : replicas) {
                assertTrue(r.engine.usage().flush(Duration.ofSeconds(30)));
            }
            UsageTotals totals = replicas.get(1).store.totals(UsageQuery.between(START.minusSeconds(3600),
                    START.plusSeconds(3600)).where(UsageDimension.MODEL, "granite"));
            // plus the one probe per replica above, recorded as an upstream error with no tokens
            assertEquals(admitted.get() + replicas.size(), totals.requests());
            assertEquals(reportedPrompt.get(), totals.promptTokens());
            assertEquals(reportedCompletion.get(), totals.completionTokens());
            BigDecimal cost = ModelPrice.usd("0.15", "0.60").cost(reportedPrompt.get(), reportedCompletion.get());
            assertEquals(0, cost.compareTo(totals.cost()), () -> cost + " != " + totals.cost());
        } finally {
            replicas.forEach(Replica::close);
        }
    }

    @Test
    void aChangedLimitKeepsWhatTheWindowConsumedOnEveryReplica() {
        String url = PostgresServer.shared().newDatabase();
        ManualTimeSource time = new ManualTimeSource(START);
        try (Replica a = new Replica(url, time, FailureMode.FAIL_CLOSED, x -> { });
             Replica b = new Replica(url, time, FailureMode.FAIL_CLOSED, x -> { })) {
            // told after each engine's own listener, so a count here means the engine has refreshed
            TestData.RecordingListener seenByA = new TestData.RecordingListener();
            TestData.RecordingListener seenByB = new TestData.RecordingListener();
            a.store.addListener(seenByA);
            b.store.addListener(seenByB);
            catalog(a.store, 1_000);
            String key = a.newKey("alice");
            // model, policy and subscription: three changes each engine has refreshed for
            TestData.eventually("both engines see the catalog").until(() -> seenByA.catalogChanges.get() >= 3
                    && seenByB.catalogChanges.get() >= 3);
            try (Lease lease = a.admit(key, "granite", 300, 300)) {
                assertTrue(lease.allowed(), () -> lease.admission().toString());
                lease.complete(TokenUsage.reported(300, 300), 200); // 600 of 1,000 used
            }

            int beforeA = seenByA.catalogChanges.get();
            int beforeB = seenByB.catalogChanges.get();
            a.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(500, "1h")).build());
            awaitBoth(seenByA, beforeA, seenByB, beforeB);
            assertRefused(a.admit(key, "granite", 1, 1), "a: 600 used of a lowered 500");
            assertRefused(b.admit(key, "granite", 1, 1), "b: 600 used of a lowered 500");

            beforeA = seenByA.catalogChanges.get();
            beforeB = seenByB.catalogChanges.get();
            a.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(1_200, "1h")).build());
            awaitBoth(seenByA, beforeA, seenByB, beforeB);
            try (Lease l = b.admit(key, "granite", 250, 250)) {
                assertTrue(l.allowed(), "raised to 1,200: 600 are left");
                l.complete(TokenUsage.reported(250, 250), 200);
            }
            assertRefused(a.admit(key, "granite", 60, 60), "600 + 500 used: 120 more would exceed 1,200");
            try (Lease l = a.admit(key, "granite", 50, 50)) {
                assertTrue(l.allowed(), "100 more fit exactly");
                l.complete(TokenUsage.reported(50, 50), 200);
            }

            // the window is on the engines' clock: an hour later it is full again
            time.advance(Duration.ofHours(1));
            try (Lease l = b.admit(key, "granite", 600, 600)) {
                assertTrue(l.allowed());
                l.complete(TokenUsage.reported(600, 600), 200);
            }
            assertRefused(a.admit(key, "granite", 1, 0), "the new window is used up too");
        }
    }

    @Test
    void rateLimitHeadersAndRetryAfterDescribeTheSharedBucket() {
        String url = PostgresServer.shared().newDatabase();
        ManualTimeSource time = new ManualTimeSource(START);
        try (Replica a = new Replica(url, time, FailureMode.FAIL_CLOSED, x -> { })) {
            catalog(a.store, 1_000);
            String key = a.newKey("alice");
            TestData.eventually("the engine sees the catalog").until(() -> {
                try (Lease l = a.admit(key, "granite", 0, 0)) {
                    return l.allowed() && l.fail(502);
                }
            });
            try (Lease l = a.admit(key, "granite", 100, 300)) {
                assertTrue(l.allowed());
                var status = l.admission().rateLimits();
                assertEquals(1_000, status.tokenLimit());
                assertEquals(600, status.remainingTokens(), "1,000 less the 400 reserved");
                assertTrue(status.tokenResetMillis() > 0 && status.tokenResetMillis() <= 3_600_000,
                        () -> "resets within the hour: " + status.tokenResetMillis());
                l.complete(TokenUsage.reported(100, 300), 200);
            }
            time.advance(Duration.ofMinutes(10));
            try (Lease l = a.admit(key, "granite", 300, 400)) {
                assertFalse(l.allowed(), "700 more do not fit in the 600 left");
                Duration retryAfter = l.admission().denial().orElseThrow().retryAfter();
                assertEquals(Duration.ofMinutes(50), retryAfter, "the window refills 50 minutes later");
                assertEquals(600, l.admission().rateLimits().remainingTokens());
            }
        }
    }

    private static void awaitBoth(TestData.RecordingListener a, int beforeA, TestData.RecordingListener b,
                                  int beforeB) {
        TestData.eventually("both engines refreshed their catalog").until(() -> a.catalogChanges.get() > beforeA && b.catalogChanges.get() > beforeB);
    }

    private static void assertRefused(Lease lease, String why) {
        try (lease) {
            assertFalse(lease.allowed(), why);
            assertEquals(DenialReason.QUOTA_EXCEEDED, lease.admission().denial().orElseThrow().reason(), why);
        }
    }
}
