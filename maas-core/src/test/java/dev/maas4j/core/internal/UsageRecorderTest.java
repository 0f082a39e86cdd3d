package dev.maas4j.core.internal;

import static dev.maas4j.core.contract.TestData.T0;
import static dev.maas4j.core.contract.TestData.awaitTrue;
import static dev.maas4j.core.contract.TestData.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.Granularity;
import dev.maas4j.api.StoreException;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import dev.maas4j.core.InMemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageRecorderTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final UsageQuery ALL = UsageQuery.between(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)));
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Never writes on the interval in tests that want to see batch- or flush-driven writes. */
    private static final Duration NEVER = Duration.ofHours(1);

    private final InMemoryStore store = new InMemoryStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<UsageRecorder> recorders = new ArrayList<>();

    @AfterEach
    void closeRecorders() {
        recorders.forEach(UsageRecorder::close);
    }

    private static UsageRecorder.Settings.Builder settings() {
        ThreadFactory factory = task -> {
            Thread t = new Thread(task, "test-usage-writer-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        return UsageRecorder.Settings.builder()
                .backoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .threadFactory(factory);
    }

    private UsageRecorder recorder(UsageLedger ledger, UsageRecorder.Settings.Builder settings) {
        return recorder(ledger, settings.build());
    }

    private UsageRecorder recorder(UsageLedger ledger, UsageRecorder.Settings settings) {
        UsageRecorder recorder = new UsageRecorder(ledger, settings, registry);
        recorders.add(recorder);
        return recorder;
    }

    private static UsageEvent ev(int i) {
        return event("req-" + i).at(T0.plusMillis(i % 100_000)).tokens(i % 1_000, 1).build();
    }

    private long stored() {
        return store.totals(ALL).requests();
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    // ---------------------------------------------------------------------------------- writing

    @Test
    void recordedEventsReachTheLedgerInBatches() {
        UsageRecorder recorder = recorder(store, settings().maxBatch(1_000));
        for (int i = 0; i < 2_500; i++) {
            recorder.record(ev(i));
        }

        assertTrue(recorder.flush(WAIT));

        assertEquals(2_500, stored());
        assertEquals(0, recorder.pending());
        assertEquals(2_500, counter("maas.usage.recorded"));
        assertEquals(2_500, counter("maas.usage.written"));
        assertTrue(registry.get("maas.usage.batch.size").summary().max() <= 1_000);
        assertEquals(2_500, registry.get("maas.usage.batch.size").summary().totalAmount());
        assertEquals(0, registry.get("maas.usage.pending").gauge().value());
    }

    @Test
    void eventsAreWrittenOnTheFlushIntervalWithoutAFlush() {
        UsageRecorder recorder = recorder(store, settings().flushInterval(Duration.ofMillis(20)));
        recorder.record(ev(1));
        recorder.record(ev(2));

        awaitTrue("the interval wrote both events", () -> stored() == 2);
        assertEquals(0, recorder.pending());
    }

    @Test
    void aFullBatchIsWrittenWithoutWaitingForTheInterval() {
        UsageRecorder recorder = recorder(store, settings().flushInterval(NEVER).maxBatch(10));
        for (int i = 0; i < 10; i++) {
            recorder.record(ev(i));
        }

        awaitTrue("the full batch was written", () -> stored() == 10);
    }

    @Test
    void flushWritesEverythingRecordedBeforeIt() {
        UsageRecorder recorder = recorder(store, settings().flushInterval(NEVER));
        assertTrue(recorder.flush(WAIT), "nothing to flush");
        for (int i = 0; i < 7; i++) {
            recorder.record(ev(i));
        }
        assertEquals(7, recorder.pending());

        assertTrue(recorder.flush(WAIT));

        assertEquals(7, stored());
        assertEquals(0, recorder.pending());
    }

    @Test
    void eventsArriveWithEveryField() {
        UsageRecorder recorder = recorder(store, settings());
        UsageEvent e = event("req-x").user("bob").groups("ml").model("llama-70b").estimatedTokens(12, 34).build();
        recorder.record(e);
        recorder.flush(WAIT);

        List<UsageEvent> seen = new ArrayList<>();
        store.forEach(ALL, seen::add);
        assertEquals(List.of(e), seen);
    }

    // ---------------------------------------------------------------------------------- closing

    @Test
    void closeDrainsEverything() {
        UsageRecorder recorder = recorder(store, settings().flushInterval(NEVER));
        for (int i = 0; i < 500; i++) {
            recorder.record(ev(i));
        }

        recorder.close();

        assertEquals(500, stored());
        assertEquals(List.of(), recorder.unwritten());
        assertEquals(0, recorder.pending());
    }

    @Test
    void closeIsIdempotentAndRecordAfterCloseThrows() {
        UsageRecorder recorder = recorder(store, settings());
        recorder.record(ev(1));
        recorder.close();
        recorder.close();

        assertThrows(IllegalStateException.class, () -> recorder.record(ev(2)));
        assertEquals(1, stored());
        assertTrue(recorder.flush(Duration.ZERO));
    }

    @Test
    void closeKeepsWhatTheLedgerDidNotTake() {
        FlakyLedger down = new FlakyLedger(store, Integer.MAX_VALUE, false);
        UsageRecorder recorder = recorder(down, settings().closeTimeout(Duration.ofMillis(100)));
        List<UsageEvent> recorded = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            recorded.add(ev(i));
            recorder.record(recorded.get(i));
        }

        recorder.close();

        assertEquals(recorded, recorder.unwritten());
        assertEquals(0, stored());
        assertThrows(IllegalStateException.class, () -> recorder.record(ev(8)));
        assertFalse(recorder.flush(Duration.ofMillis(10)));
        // the host can replay them once the ledger is back
        assertEquals(7, store.append(recorder.unwritten()));
    }

    // ---------------------------------------------------------------------------------- failures

    @Test
    void aLedgerThatFailsThenRecoversLosesNothingAndCountsNothingTwice() {
        // each failing call stores half its batch first: a retry must not count that half again
        FlakyLedger flaky = new FlakyLedger(store, 5, true);
        UsageRecorder recorder = recorder(flaky, settings().maxBatch(100));
        for (int i = 0; i < 1_000; i++) {
            recorder.record(ev(i));
        }

        assertTrue(recorder.flush(WAIT));

        assertEquals(1_000, stored());
        assertEquals(1_000, store.totals(ALL).completionTokens());
        assertEquals(5, flaky.failures.get());
        assertEquals(5, counter("maas.usage.write.failures"));
        assertEquals(1_000, counter("maas.usage.written"));
        assertEquals(0, recorder.pending());
    }

    @Test
    void flushGivesUpAfterItsTimeoutWhileTheLedgerIsDown() {
        FlakyLedger flaky = new FlakyLedger(store, Integer.MAX_VALUE, false);
        UsageRecorder recorder = recorder(flaky, settings());
        recorder.record(ev(1));

        assertFalse(recorder.flush(Duration.ofMillis(50)));
        assertEquals(1, recorder.pending());

        flaky.heal();
        assertTrue(recorder.flush(WAIT));
        assertEquals(1, stored());
    }

    // ---------------------------------------------------------------------------------- full buffer

    @Test
    void fullBufferSaturatesThenOverflowsWithoutLosingAnything() throws Exception {
        GatedLedger gated = new GatedLedger(store);
        Duration offerTimeout = Duration.ofMillis(20);
        UsageRecorder recorder = recorder(gated, settings().capacity(10).maxBatch(5)
                .flushInterval(NEVER).offerTimeout(offerTimeout));

        for (int i = 0; i < 5; i++) {
            recorder.record(ev(i));
        }
        assertTrue(gated.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the writer took the first batch");
        for (int i = 5; i < 10; i++) {
            recorder.record(ev(i));
        }
        assertTrue(recorder.saturated());
        assertEquals(10, recorder.pending());

        for (int i = 10; i < 13; i++) {
            long start = System.nanoTime();
            recorder.record(ev(i));
            assertTrue(System.nanoTime() - start >= offerTimeout.toNanos(), "record waited for room first");
        }
        assertEquals(3, counter("maas.usage.overflow"));
        assertEquals(13, recorder.pending());
        assertEquals(13, registry.get("maas.usage.pending").gauge().value());

        gated.open();
        assertTrue(recorder.flush(WAIT));

        assertFalse(recorder.saturated());
        assertEquals(13, stored());
        assertEquals(13, counter("maas.usage.recorded"));
    }

    @Test
    void recordWaitsForRoomAndTakesItWhenTheWriterCatchesUp() throws Exception {
        GatedLedger gated = new GatedLedger(store);
        UsageRecorder recorder = recorder(gated, settings().capacity(4).maxBatch(4)
                .flushInterval(NEVER).offerTimeout(WAIT));
        for (int i = 0; i < 4; i++) {
            recorder.record(ev(i));
        }
        assertTrue(gated.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(recorder.saturated());

        Thread producer = new Thread(() -> recorder.record(ev(4)), "waiting-producer");
        producer.start();
        awaitTrue("the producer waits for room", () -> producer.getState() == Thread.State.TIMED_WAITING);
        assertEquals(4, recorder.pending(), "the waiting event is not enqueued yet");

        gated.open();
        producer.join(WAIT.toMillis());

        assertFalse(producer.isAlive());
        assertEquals(0, counter("maas.usage.overflow"));
        assertTrue(recorder.flush(WAIT));
        assertEquals(5, stored());
    }

    // ---------------------------------------------------------------------------------- concurrency

    @Test
    void manyProducersLoseNothing() throws Exception {
        runProducers(store, settings(), 8, 5_000);
    }

    @Test
    void manyProducersLoseNothingThroughASmallBufferAndAFlakyLedger() throws Exception {
        FlakyLedger flaky = new FlakyLedger(store, 20, true);
        runProducers(flaky, settings().capacity(64).maxBatch(16).offerTimeout(Duration.ofMillis(1)),
                8, 2_000);
        assertEquals(20, flaky.failures.get());
    }

    private void runProducers(UsageLedger ledger, UsageRecorder.Settings.Builder settings, int threads, int perThread)
            throws Exception {
        UsageRecorder recorder = recorder(ledger, settings);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        recorder.record(ev(base + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        recorder.close();

        int total = threads * perThread;
        assertEquals(List.of(), recorder.unwritten());
        assertEquals(total, stored());
        assertEquals(total, counter("maas.usage.recorded"));
        Set<String> ids = new HashSet<>();
        store.forEach(ALL, e -> ids.add(e.requestId()));
        assertEquals(total, ids.size());
    }

    // ---------------------------------------------------------------------------------- settings

    @Test
    void defaultsAreTheDocumentedOnes() {
        UsageRecorder.Settings d = UsageRecorder.Settings.defaults();
        assertEquals(65_536, d.capacity());
        assertEquals(1_000, d.maxBatch());
        assertEquals(Duration.ofMillis(200), d.flushInterval());
        assertEquals(Duration.ofMillis(50), d.offerTimeout());
        assertEquals(Duration.ofSeconds(10), d.closeTimeout());
        assertEquals(Duration.ofMillis(100), d.minBackoff());
        assertEquals(Duration.ofSeconds(5), d.maxBackoff());
    }

    @Test
    void defaultWriterIsADaemonNamedMaasUsageWriter() {
        UsageRecorder recorder = recorder(store, UsageRecorder.Settings.defaults());
        recorder.record(ev(1));
        recorder.flush(WAIT);

        Set<Thread> writers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("maas-usage-writer")).collect(Collectors.toSet());
        assertFalse(writers.isEmpty());
        assertTrue(writers.stream().allMatch(Thread::isDaemon));
    }

    @Test
    void invalidSettingsAreRejectedNamingTheField() {
        assertRejected("capacity", () -> UsageRecorder.Settings.builder().capacity(0).build());
        assertRejected("maxBatch", () -> UsageRecorder.Settings.builder().maxBatch(0).build());
        assertRejected("maxBatch", () -> UsageRecorder.Settings.builder().capacity(10).maxBatch(11).build());
        assertRejected("flushInterval", () -> UsageRecorder.Settings.builder().flushInterval(Duration.ZERO).build());
        assertRejected("offerTimeout",
                () -> UsageRecorder.Settings.builder().offerTimeout(Duration.ofMillis(-1)).build());
        assertRejected("closeTimeout",
                () -> UsageRecorder.Settings.builder().closeTimeout(Duration.ofMillis(-1)).build());
        assertRejected("minBackoff",
                () -> UsageRecorder.Settings.builder().backoff(Duration.ZERO, Duration.ofSeconds(1)).build());
        assertRejected("maxBackoff",
                () -> UsageRecorder.Settings.builder().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build());
        assertThrows(NullPointerException.class, () -> UsageRecorder.Settings.builder().threadFactory(null).build());
        // the order of the setters does not matter: validation happens in build()
        assertEquals(5, UsageRecorder.Settings.builder().capacity(10).maxBatch(5).build().maxBatch());
        assertEquals(Duration.ZERO, UsageRecorder.Settings.builder().offerTimeout(Duration.ZERO).build().offerTimeout(),
                "zero: overflow at once");
    }

    private static void assertRejected(String field, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().startsWith(field), () -> "message names " + field + ": " + e.getMessage());
    }

    // ---------------------------------------------------------------------------------- ledgers

    /**
     * Fails its first {@code failures} appends, optionally after storing half of the batch (a
     * partial failure), then delegates.
     */
    private static final class FlakyLedger implements UsageLedger {
        private final UsageLedger delegate;
        private final boolean partial;
        private volatile int failuresLeft;
        final AtomicInteger failures = new AtomicInteger();

        FlakyLedger(UsageLedger delegate, int failures, boolean partial) {
            this.delegate = delegate;
            this.failuresLeft = failures;
            this.partial = partial;
        }

        void heal() {
            failuresLeft = 0;
        }

        @Override
        public int append(List<UsageEvent> batch) {
            if (failuresLeft > 0) {
                failuresLeft--;
                failures.incrementAndGet();
                if (partial) {
                    delegate.append(batch.subList(0, batch.size() / 2));
                }
                throw new StoreException("flaky", "injected failure (expected by the test)");
            }
            return delegate.append(batch);
        }

        @Override
        public UsageTotals totals(UsageQuery query) {
            return delegate.totals(query);
        }

        @Override
        public List<UsageBucket> series(UsageQuery query, Granularity granularity) {
            return delegate.series(query, granularity);
        }

        @Override
        public Map<String, UsageTotals> totalsBy(UsageDimension dimension, UsageQuery query) {
            return delegate.totalsBy(dimension, query);
        }

        @Override
        public void forEach(UsageQuery query, Consumer<UsageEvent> sink) {
            delegate.forEach(query, sink);
        }
    }

    /** Holds every append until opened; tells when the first append has started. */
    private static final class GatedLedger implements UsageLedger {
        private final UsageLedger delegate;
        private final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);

        GatedLedger(UsageLedger delegate) {
            this.delegate = delegate;
        }

        void open() {
            gate.countDown();
        }

        @Override
        public int append(List<UsageEvent> batch) {
            entered.countDown();
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new StoreException("gated", "never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("gated", "interrupted", e);
            }
            return delegate.append(batch);
        }

        @Override
        public UsageTotals totals(UsageQuery query) {
            return delegate.totals(query);
        }

        @Override
        public List<UsageBucket> series(UsageQuery query, Granularity granularity) {
            return delegate.series(query, granularity);
        }

        @Override
        public Map<String, UsageTotals> totalsBy(UsageDimension dimension, UsageQuery query) {
            return delegate.totalsBy(dimension, query);
        }

        @Override
        public void forEach(UsageQuery query, Consumer<UsageEvent> sink) {
            delegate.forEach(query, sink);
        }
    }
}
