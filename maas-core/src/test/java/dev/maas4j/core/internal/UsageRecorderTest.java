package dev.maas4j.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.Granularity;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.StoreException;
import dev.maas4j.api.TokenMetadata;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import dev.maas4j.core.InMemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageRecorderTest {
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final UsageQuery ALL = UsageQuery.between(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)));
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Never writes on the interval in tests that want to see batch- or flush-driven writes. */
    private static final Duration NEVER = Duration.ofHours(1);

    private final InMemoryStore store = new InMemoryStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<UsageRecorder> recorders = new ArrayList<>();
    /** A manual ticker: the recorder's time moves only by {@link #advance} (and in {@link #closeRecorders}). */
    private final AtomicLong nanos = new AtomicLong(42);
    private volatile boolean tearingDown;

    @AfterEach
    void closeRecorders() {
        // a recorder on the manual ticker whose ledger is down would wait for it to pass the
        // close timeout: from now on each read of it moves it a second
        tearingDown = true;
        recorders.forEach(UsageRecorder::close);
    }

    /** The writer threads the recorders of this test started, latest last. */
    private final List<Thread> writers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private UsageRecorder.Settings.Builder settings() {
        ThreadFactory factory = task -> {
            Thread t = new Thread(task, "test-usage-writer-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            writers.add(t);
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
        return event("req-" + i, "alice", TokenUsage.reported(i % 1_000, 1), T0.plusMillis(i % 100_000));
    }

    private static UsageEvent event(String id, String user, TokenUsage usage, Instant at) {
        return new UsageEvent(id, "key-1", user, Set.of("staff"), "gold", "granite-8b", EndpointKind.CHAT_COMPLETIONS,
                usage, BigDecimal.ONE, 200, Outcome.SUCCESS, at, at.plusMillis(750), false, TokenMetadata.NONE, false);
    }

    private UsageRecorder.Settings.Builder onManualTime() {
        return settings().ticker(() -> tearingDown ? nanos.addAndGet(1_000_000_000L) : nanos.get());
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /**
     * Waits until {@code thread} is parked with a timeout: it has read the ticker and waits for
     * it to pass a deadline, so that an advance from now on is measured from that deadline.
     */
    private static void awaitParked(Thread thread) {
        await(thread.getName() + " parked").atMost(WAIT).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
    }

    private Thread writer() {
        return writers.get(writers.size() - 1);
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
        // an hour on the recorder's ticker: on the system clock this test would wait that long
        UsageRecorder recorder = recorder(store, onManualTime().flushInterval(NEVER));
        recorder.record(ev(1));
        recorder.record(ev(2));
        awaitParked(writer());

        advance(NEVER);

        await("the interval wrote both events").atMost(WAIT).until(() -> stored() == 2);
        assertEquals(0, recorder.pending());
    }

    @Test
    void aFullBatchIsWrittenWithoutWaitingForTheInterval() {
        UsageRecorder recorder = recorder(store, onManualTime().flushInterval(NEVER).maxBatch(10));
        for (int i = 0; i < 10; i++) {
            recorder.record(ev(i));
        }

        // the ticker never moves: only the full batch can have started the write
        await("the full batch was written").atMost(WAIT).until(() -> stored() == 10);
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
        UsageEvent e = event("req-x", "bob", TokenUsage.estimated(12, 34), T0);
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
    void closeWaitsForTheLedgerUntilTheCloseTimeoutHasPassedOnTheTicker() throws Exception {
        FlakyLedger down = new FlakyLedger(store, Integer.MAX_VALUE, false);
        UsageRecorder recorder = recorder(down, onManualTime().closeTimeout(Duration.ofHours(1))
                .flushInterval(Duration.ofMillis(1)).backoff(Duration.ofMillis(1), Duration.ofMillis(1)));
        awaitParked(writer());
        recorder.record(ev(1));
        advance(Duration.ofMillis(1));
        await("the writer tried the ledger").atMost(WAIT).until(() -> down.failures.get() > 0);

        Thread closer = new Thread(recorder::close, "closer");
        closer.start();
        awaitParked(closer);
        advance(Duration.ofMinutes(59));
        assertTrue(closer.isAlive(), "an hour has not passed on the ticker");
        advance(Duration.ofMinutes(1));

        closer.join(WAIT.toMillis());
        assertFalse(closer.isAlive(), "close gave up once the hour had passed");
        assertEquals(List.of(ev(1)), recorder.unwritten());
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
    void aFailedAppendIsRetriedOnceTheBackoffHasPassedOnTheTicker() {
        FlakyLedger flaky = new FlakyLedger(store, 1, false);
        UsageRecorder recorder = recorder(flaky, onManualTime().flushInterval(Duration.ofMillis(1))
                .backoff(Duration.ofHours(1), Duration.ofHours(1)));
        awaitParked(writer());
        recorder.record(ev(1));
        advance(Duration.ofMillis(1));
        await("the first append failed and the writer waits out the backoff").atMost(WAIT)
                .until(() -> flaky.failures.get() == 1 && writer().getState() == Thread.State.TIMED_WAITING);
        assertEquals(0, stored());

        advance(Duration.ofHours(1));

        await("the retry after the backoff wrote the event").atMost(WAIT).until(() -> stored() == 1);
        assertEquals(1, flaky.failures.get());
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
        await("the producer waits for room").atMost(WAIT).until(() -> producer.getState() == Thread.State.TIMED_WAITING);
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
        assertEquals(dev.maas4j.api.Ticker.system(), d.ticker());
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
        assertThrows(NullPointerException.class, () -> UsageRecorder.Settings.builder().ticker(null).build());
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
