package dev.maas4j.store.jdbc.bench;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.TokenMetadata;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.store.jdbc.JdbcStore;
import dev.maas4j.testing.PostgresServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Ledger ingestion into a real PostgreSQL: batches of 1,000 events (the recorder's default batch)
 * from 1,000 keys over 4 models, each event in one to two groups, all within the current hour, as a
 * busy gateway produces them. Every batch also updates the three hourly rollups. Run with
 * {@code mvn -pl maas-store-jdbc test -Dgroups=benchmark -Dtest=LedgerIngestionBenchmark}.
 */
@Tag("benchmark")
class LedgerIngestionBenchmark {
    private static final ModelPrice PRICE = ModelPrice.usd("0.15", "0.60");
    private static final String[] MODELS = {"granite-8b", "llama-70b", "mistral-7b", "qwen-32b"};

    static List<List<UsageEvent>> batches(int events, int batchSize, long seed, Instant start) {
        return batches(events, batchSize, seed, start, 1_000);
    }

    static List<List<UsageEvent>> batches(int events, int batchSize, long seed, Instant start, int keys) {
        Random random = new Random(seed);
        List<List<UsageEvent>> batches = new ArrayList<>();
        List<UsageEvent> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < events; i++) {
            int key = random.nextInt(keys);
            long prompt = 50 + random.nextInt(2_000);
            long completion = random.nextInt(800);
            Instant at = start.plusMillis(i / 50);
            Set<String> groups = key % 3 == 0 ? Set.of("team-" + key % 20, "all") : Set.of("team-" + key % 20);
            batch.add(new UsageEvent("req-" + seed + "-" + i, "key-" + key, "user-" + key / 2, groups,
                    "sub-" + key % 3, MODELS[random.nextInt(MODELS.length)], EndpointKind.CHAT_COMPLETIONS,
                    TokenUsage.reported(prompt, completion), PRICE.cost(prompt, completion), 200, Outcome.SUCCESS,
                    at, at.plusMillis(700), random.nextBoolean(), TokenMetadata.NONE));
            if (batch.size() == batchSize) {
                batches.add(batch);
                batch = new ArrayList<>(batchSize);
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    static double jvmCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    @Test
    void ingestion() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        try (JdbcStore store = JdbcStore.builder(url).maxPoolSize(8).build()) {
            // warm-up: JIT, plans, the first pages of the indexes
            for (List<UsageEvent> b : batches(50_000, 1_000, 1, hour)) {
                store.append(b);
            }
            for (int writers : new int[] {1, 2}) {
                for (int keys : new int[] {1_000, 50}) {
                    int batchSize = 1_000;
                    int events = 300_000;
                    List<List<UsageEvent>> batches = batches(events, batchSize, 100 + writers * 10 + keys, hour, keys);
                    AtomicInteger next = new AtomicInteger();
                    ExecutorService pool = Executors.newFixedThreadPool(writers);
                    double pgCpu = PostgresCpu.seconds(PostgresServer.shared());
                    double jvmCpu = jvmCpuSeconds();
                    long start = System.nanoTime();
                    List<Future<Integer>> futures = new ArrayList<>();
                    for (int w = 0; w < writers; w++) {
                        futures.add(pool.submit(() -> {
                            int stored = 0;
                            for (int i = next.getAndIncrement(); i < batches.size(); i = next.getAndIncrement()) {
                                stored += store.append(batches.get(i));
                            }
                            return stored;
                        }));
                    }
                    int stored = 0;
                    for (Future<Integer> f : futures) {
                        stored += f.get(10, TimeUnit.MINUTES);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    pgCpu = PostgresCpu.seconds(PostgresServer.shared()) - pgCpu;
                    jvmCpu = jvmCpuSeconds() - jvmCpu;
                    pool.shutdown();
                    System.out.printf("ledger ingestion: %d writer(s), %d keys, batches of %d: %,d events in %.2f s = %,.0f events/s"
                                    + " (load average %.1f); CPU: PostgreSQL %.1f s, JVM %.1f s = %.1f us/event,"
                                    + " %,.0f events/s per fully available core%n",
                            writers, keys, batchSize, stored, seconds, stored / seconds, loadAverage(), pgCpu, jvmCpu,
                            (pgCpu + jvmCpu) * 1e6 / stored, stored / (pgCpu + jvmCpu));
                    if (stored != events) {
                        throw new AssertionError("stored " + stored + " of " + events);
                    }
                }
            }
            // a replay of a stored batch: nothing new, only the conflict checks
            List<List<UsageEvent>> replay = batches(100_000, 1_000, 100 + 10 + 1_000, hour, 1_000);
            long start = System.nanoTime();
            int stored = 0;
            for (List<UsageEvent> b : replay) {
                stored += store.append(b);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("ledger replay of 100,000 stored events: %d new, %.2f s = %,.0f events/s%n", stored,
                    seconds, 100_000 / seconds);
            System.out.println("total " + store.totals(UsageQuery.between(hour, hour.plusSeconds(7_200))).requests());
        }
    }
}
