package dev.maas4j.store.jdbc.bench;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Identity;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.TimeSource;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.core.Lease;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.core.ReservationStrategy;
import dev.maas4j.testing.TestData;
import dev.maas4j.store.jdbc.JdbcLimitBackend;
import dev.maas4j.store.jdbc.JdbcStore;
import dev.maas4j.testing.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One request's admission and settlement (verify the cached key, authorize, reserve against a
 * subscription token window, settle with a refund) with the limit buckets in this process, in
 * PostgreSQL (exact), and in PostgreSQL with a local allowance. Run with
 * {@code mvn -pl maas-store-jdbc test -Dgroups=benchmark -Dtest=SharedLimitLatencyBenchmark}.
 */
@Tag("benchmark")
class SharedLimitLatencyBenchmark {

    private record Setup(String name, Function<JdbcStore, JdbcLimitBackend> backend) {
    }

    @Test
    void admissionLatency() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        TimeSource time = TimeSource.system();
        try (JdbcStore catalog = JdbcStore.builder(url).build()) {
            catalog.putModel(ModelRef.builder("granite").price(ModelPrice.usd("0.15", "0.60")).build());
            catalog.putPolicy(AuthPolicy.of("dev", SubjectSet.groups("dev"), "granite"));
            catalog.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(1_000_000_000, "1h")).build());
        }
        List<Setup> setups = List.of(
                new Setup("in-memory (LocalLimitBackend)", store -> null),
                new Setup("PostgreSQL, exact", store -> JdbcLimitBackend.builder(store).timeSource(time).build()),
                new Setup("PostgreSQL, local allowance 1% / 100 ms", store -> JdbcLimitBackend.builder(store)
                        .timeSource(time).localAllowance(0.01, Duration.ofMillis(100)).build()));
        for (Setup setup : setups) {
            List<JdbcStore> stores = new ArrayList<>();
            List<JdbcLimitBackend> backends = new ArrayList<>();
            List<MaasEngine> engines = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    JdbcStore store = JdbcStore.builder(url).maxPoolSize(10).build();
                    JdbcLimitBackend backend = setup.backend.apply(store);
                    MaasEngine.Builder b = MaasEngine.builder().keyStore(store).catalogStore(store).ledger(store)
                            .directory(owner -> new Identity(owner.name(), Set.of("dev"))).timeSource(time)
                            .reservationStrategy(ReservationStrategy.EXPECTED);
                    if (backend != null) {
                        b.limitBackend(backend);
                        backends.add(backend);
                    }
                    stores.add(store);
                    engines.add(b.build());
                }
                String key = engines.get(0).createKey(KeyRequest.builder(Subject.user("alice"), "bench").build())
                        .secret().reveal();
                MaasEngine one = engines.get(0);
                TestData.eventually("engines see the model").until(() -> engines.stream().allMatch(e -> e.catalog().model("granite").isPresent()));
                run(one, key, 3_000); // warm-up
                long[] single = run(one, key, 5_000);
                System.out.printf("%-42s 1 thread:  p50 %7.1f us  p99 %7.1f us  mean %7.1f us%n", setup.name,
                        pct(single, 50), pct(single, 99), mean(single));
                for (int engineCount : new int[] {1, 3}) {
                    int threads = 8;
                    List<long[]> all = new ArrayList<>();
                    ExecutorService pool = Executors.newFixedThreadPool(engineCount * threads);
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<long[]>> futures = new ArrayList<>();
                    int perThread = 600;
                    for (int e = 0; e < engineCount; e++) {
                        MaasEngine engine = engines.get(e);
                        for (int t = 0; t < threads; t++) {
                            futures.add(pool.submit(() -> {
                                go.await();
                                return run(engine, key, perThread);
                            }));
                        }
                    }
                    long start = System.nanoTime();
                    go.countDown();
                    for (Future<long[]> f : futures) {
                        all.add(f.get(10, TimeUnit.MINUTES));
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    pool.shutdown();
                    long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
                    System.out.printf("%-42s %d engine(s) x %d threads, one key: %,8.0f requests/s  p50 %7.1f us"
                                    + "  p99 %8.1f us%n", setup.name, engineCount, threads, merged.length / seconds,
                            pct(merged, 50), pct(merged, 99));
                }
            } finally {
                engines.forEach(MaasEngine::close);
                backends.forEach(JdbcLimitBackend::close);
                stores.forEach(JdbcStore::close);
            }
        }
        System.out.printf("load average at the end: %.1f%n", LedgerIngestionBenchmark.loadAverage());
    }

    /** Admits and settles {@code n} requests; returns each one's latency in nanoseconds. */
    private static long[] run(MaasEngine engine, String key, int n) {
        long[] latencies = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            try (Lease lease = engine.admit(AdmissionRequest.builder(key, "granite").promptTokensEstimate(100)
                    .maxOutputTokens(200).build())) {
                if (!lease.allowed()) {
                    throw new AssertionError(lease.admission().denial().orElseThrow().message());
                }
                lease.complete(TokenUsage.reported(100, 150), 200);
            }
            latencies[i] = System.nanoTime() - start;
        }
        return latencies;
    }

    private static double pct(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1_000.0;
    }

    private static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(0) / 1_000.0;
    }
}
