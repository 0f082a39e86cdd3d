package dev.maas4j.benchmarks;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.Granularity;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import dev.maas4j.core.Authentication;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.core.Lease;
import dev.maas4j.core.MaasEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The request hot path: a cached key is verified (SHA-256 of the presented key, constant-time
 * compare), its owner's groups resolved, the model authorized, the subscription chosen, the
 * request admitted against requests-per-minute, tokens-per-minute, a subscription token window
 * and a budget, then settled with reported usage and its event handed to the recorder.
 *
 * <p>Each thread uses its own key and user, as real traffic spreads over many keys.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar HotPath -t 1 -prof gc} (and {@code -t 2}).
 */
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {

    /** The engine, shared by all threads. */
    @State(Scope.Benchmark)
    public static class Engine {
        MaasEngine engine;
        InMemoryStore store;

        @Setup(Level.Trial)
        public void setUp() {
            store = new InMemoryStore();
            store.putModel(ModelRef.builder("granite").price(ModelPrice.usd("0.15", "0.60")).build());
            store.putPolicy(AuthPolicy.of("dev-access", SubjectSet.groups("dev"), "granite"));
            store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(1_000_000_000, "1h")).build());
            engine = MaasEngine.builder()
                    .keyStore(store).catalogStore(store).directory(store)
                    .ledger(new DiscardingLedger())
                    .build();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            engine.close();
        }
    }

    /** One key per thread. */
    @State(Scope.Thread)
    public static class Caller {
        AdmissionRequest request;
        String key;
        TokenUsage usage = TokenUsage.reported(120, 80);

        @Setup(Level.Trial)
        public void setUp(Engine shared) {
            String user = "user-" + Thread.currentThread().getId();
            shared.store.setGroups(user, "dev");
            key = shared.engine.createKey(KeyRequest.builder(Subject.user(user), "bench")
                    .limits(KeyLimits.builder().requestsPerMinute(1_000_000_000).tokensPerMinute(1_000_000_000)
                            .budget(Budget.of("1000000000", BudgetPeriod.MONTH)).build())
                    .build()).secret().reveal();
            request = AdmissionRequest.builder(key, "granite").promptTokensEstimate(120).maxOutputTokens(256)
                    .requestId("bench-" + user).build();
        }
    }

    @Benchmark
    public Lease admitAndSettle(Engine shared, Caller caller) {
        Lease lease = shared.engine.admit(caller.request);
        lease.complete(caller.usage, 200);
        return lease;
    }

    /**
     * What {@code MaasFilter} does since it checks the key before reading a body: authenticate from
     * the headers, then admit with that authentication (the key is not verified twice), then settle.
     */
    @Benchmark
    public Lease authenticateAdmitAndSettle(Engine shared, Caller caller) {
        Authentication authentication = shared.engine.authenticate(caller.key);
        Lease lease = shared.engine.admit(caller.request, authentication);
        lease.complete(caller.usage, 200);
        return lease;
    }

    /** Counts events and keeps none, so the benchmark measures the hot path, not a growing heap. */
    static final class DiscardingLedger implements UsageLedger {
        final LongAdder appended = new LongAdder();

        @Override
        public int append(List<UsageEvent> batch) {
            appended.add(batch.size());
            return batch.size();
        }

        @Override
        public UsageTotals totals(UsageQuery query) {
            return UsageTotals.ZERO;
        }

        @Override
        public List<UsageBucket> series(UsageQuery query, Granularity granularity) {
            return List.of();
        }

        @Override
        public Map<String, UsageTotals> totalsBy(UsageDimension dimension, UsageQuery query) {
            return Map.of();
        }

        @Override
        public void forEach(UsageQuery query, Consumer<UsageEvent> sink) {
        }
    }
}
