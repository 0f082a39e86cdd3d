package dev.maas4j.testing;

import static dev.maas4j.testing.TestData.PRICE;
import static dev.maas4j.testing.TestData.T0;
import static dev.maas4j.testing.TestData.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.Granularity;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.TokenMetadata;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UsageLedger} must have. Extend it with {@link #newLedger()} returning
 * an empty ledger:
 *
 * <pre>{@code
 * class MyLedgerTest extends UsageLedgerContract {
 *     @Override
 *     protected UsageLedger newLedger() {
 *         return new MyLedger(freshDatabase());
 *     }
 * }
 * }</pre>
 *
 * <p>Costs are compared with {@link BigDecimal#compareTo}, so a store may keep them at any scale
 * that loses no digit (prices like 0.15 per million tokens need at least 8 decimal places).
 *
 * <p>Longer than 400 lines on purpose: a backend extends one contract per SPI, and these cases
 * (idempotence, totals, ranges, series, totals by dimension, streaming) all exercise the one
 * ledger with the same fixtures; split into several classes, every backend would extend them all.
 */
public abstract class UsageLedgerContract {

    /** A range that holds every fixture event. */
    protected static final UsageQuery ALL = UsageQuery.between(T0.minus(Duration.ofDays(30)),
            T0.plus(Duration.ofDays(30)));

    /** The ledger under test, fresh for each test. */
    protected UsageLedger ledger;

    /** A new, empty ledger. */
    protected abstract UsageLedger newLedger();

    @BeforeEach
    void createLedger() {
        ledger = newLedger();
    }

    // ----------------------------------------------------------------------------- idempotence

    @Test
    void appendReturnsHowManyEventsWereNewlyStored() {
        assertEquals(2, ledger.append(List.of(event("r1").build(), event("r2").build())));
        assertEquals(1, ledger.append(List.of(event("r2").build(), event("r3").build())));
        assertEquals(0, ledger.append(List.of()));
        assertEquals(3, ledger.totals(ALL).requests());
    }

    @Test
    void replayedBatchCountsOnce() {
        List<UsageEvent> batch = List.of(event("r1").build(), event("r2").tokens(10, 20).build());
        ledger.append(batch);
        UsageTotals once = ledger.totals(ALL);

        assertEquals(0, ledger.append(batch));

        UsageTotals after = ledger.totals(ALL);
        assertEquals(2, after.requests());
        assertEquals(once.promptTokens(), after.promptTokens());
        assertEquals(0, once.cost().compareTo(after.cost()));
    }

    @Test
    void duplicatesWithinOneBatchCountOnce() {
        UsageEvent r1 = event("r1").build();

        assertEquals(2, ledger.append(List.of(r1, r1, event("r2").build(), r1)));

        assertEquals(2, ledger.totals(ALL).requests());
        assertEquals(200, ledger.totals(ALL).promptTokens());
    }

    @Test
    void concurrentAppendsWithOverlappingRequestIdsCountEachIdOnce() throws Exception {
        int threads = 8;
        int distinct = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 250; // each thread overlaps its neighbours
                long seed = t;
                results.add(pool.submit(() -> {
                    List<UsageEvent> mine = new ArrayList<>();
                    for (int i = 0; i < 1_000; i++) {
                        int id = (offset + i) % distinct;
                        mine.add(event("req-" + id).at(T0.plusMillis(id)).tokens(id, 1).build());
                    }
                    Collections.shuffle(mine, new Random(seed));
                    start.await();
                    int stored = 0;
                    for (int from = 0; from < mine.size(); from += 100) {
                        stored += ledger.append(mine.subList(from, from + 100));
                    }
                    return stored;
                }));
            }
            start.countDown();
            int stored = 0;
            for (Future<Integer> result : results) {
                stored += result.get(60, TimeUnit.SECONDS);
            }

            assertEquals(distinct, stored, "newly stored, summed over every append");
            UsageTotals totals = ledger.totals(ALL);
            assertEquals(distinct, totals.requests());
            assertEquals((long) distinct * (distinct - 1) / 2, totals.promptTokens());
            assertEquals(distinct, totals.completionTokens());
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------- totals

    @Test
    void emptyLedgerTotalsZero() {
        UsageTotals totals = ledger.totals(ALL);
        assertEquals(0, totals.requests());
        assertEquals(0, totals.totalTokens());
        assertEquals(0, totals.cost().signum());
        assertEquals(List.of(), ledger.series(ALL, Granularity.HOUR));
        assertEquals(Map.of(), ledger.totalsBy(UsageDimension.USER, ALL));
    }

    @Test
    void totalsAddUpEveryCount() {
        ledger.append(List.of(
                event("r1").tokens(100, 50).build(),
                event("r2").tokens(1_000, 0).endpoint(EndpointKind.EMBEDDINGS).build(),
                event("r3").estimatedTokens(40, 60).outcome(Outcome.CLIENT_ABORTED).status(200).build(),
                event("r4").tokens(0, 0).outcome(Outcome.UPSTREAM_ERROR).status(502).build()));

        UsageTotals totals = ledger.totals(ALL);

        assertEquals(4, totals.requests());
        assertEquals(2, totals.successfulRequests());
        assertEquals(1_140, totals.promptTokens());
        assertEquals(110, totals.completionTokens());
        assertEquals(1, totals.estimatedRequests());
        BigDecimal expected = PRICE.cost(100, 50).add(PRICE.cost(1_000, 0)).add(PRICE.cost(40, 60));
        assertEquals(0, expected.compareTo(totals.cost()), () -> "cost " + totals.cost());
    }

    @Test
    void successRateCountsOnlySuccessfulOutcomesBelow400() {
        ledger.append(List.of(
                event("ok1").build(),
                event("ok2").status(201).build(),
                event("ok3").build(),
                event("rate-limited-upstream").status(429).build(),
                event("upstream-down").outcome(Outcome.UPSTREAM_ERROR).status(503).build(),
                event("aborted").outcome(Outcome.CLIENT_ABORTED).status(200).build(),
                event("abandoned").outcome(Outcome.ABANDONED).status(200).build(),
                event("ok4").build()));

        UsageTotals totals = ledger.totals(ALL);

        assertEquals(8, totals.requests());
        assertEquals(4, totals.successfulRequests());
        assertEquals(0.5, totals.successRate(), 1e-12);
    }

    @Test
    void estimatedRequestsAreCounted() {
        ledger.append(List.of(
                event("r1").estimatedTokens(10, 10).build(),
                event("r2").tokens(10, 10).build(),
                event("r3").estimatedTokens(5, 0).build()));

        assertEquals(2, ledger.totals(ALL).estimatedRequests());
        assertEquals(3, ledger.totals(ALL).requests());
    }

    @Test
    void costIsExactOverTenThousandEvents() {
        BigDecimal sum = BigDecimal.ZERO;
        List<UsageEvent> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            long prompt = 1 + (i * 7919L) % 4_000;
            long completion = 1 + (i * 104_729L) % 1_500;
            UsageEvent e = event("r" + i).tokens(prompt, completion).at(T0.plusMillis(i)).build();
            sum = sum.add(PRICE.cost(prompt, completion));
            batch.add(e);
            if (batch.size() == 1_000) {
                ledger.append(batch);
                batch = new ArrayList<>();
            }
        }

        BigDecimal expected = sum;
        BigDecimal total = ledger.totals(ALL).cost();
        UsageTotals totals = ledger.totals(ALL);
        BigDecimal byTokens = new BigDecimal("0.15").multiply(BigDecimal.valueOf(totals.promptTokens()))
                .add(new BigDecimal("0.6").multiply(BigDecimal.valueOf(totals.completionTokens())))
                .movePointLeft(6);
        assertEquals(0, byTokens.compareTo(total), "the sum of the costs is the cost of the summed tokens");

        // each cost has up to 8 decimals (0.15 / 10^6 per token); a double sum would drift
        assertEquals(0, expected.compareTo(total), () -> "expected " + expected.toPlainString() + ", was "
                + total.toPlainString());
        assertEquals(10_000, ledger.totals(ALL).requests());
    }

    @Test
    void costOfOneEventKeepsEveryDecimal() {
        // 1 prompt token at 0.15 per million: 0.00000015
        ledger.append(List.of(event("tiny").tokens(1, 0).build(), event("other").tokens(0, 1).build()));

        assertEquals(0, new BigDecimal("0.00000075").compareTo(ledger.totals(ALL).cost()));
    }

    // ----------------------------------------------------------------------------------- range

    @Test
    void rangeStartIsInclusiveAndEndExclusive() {
        Instant from = T0;
        Instant to = T0.plus(Duration.ofHours(1));
        ledger.append(List.of(
                event("before").at(from.minusMillis(1)).build(),
                event("at-start").at(from).build(),
                event("inside").at(from.plusSeconds(1800)).build(),
                event("just-before-end").at(to.minusMillis(1)).build(),
                event("at-end").at(to).build()));
        List<String> seen = new ArrayList<>();

        ledger.forEach(UsageQuery.between(from, to), e -> seen.add(e.requestId()));

        assertEquals(List.of("at-start", "inside", "just-before-end"), seen);
        assertEquals(3, ledger.totals(UsageQuery.between(from, to)).requests());
        assertEquals(0, ledger.totals(UsageQuery.between(from, from)).requests(), "an empty range");
    }

    @Test
    void filtersCombine() {
        ledger.append(List.of(
                event("r1").user("alice").model("granite-8b").key("k-a").subscription("gold").build(),
                event("r2").user("alice").model("llama-70b").key("k-a").subscription("gold").build(),
                event("r3").user("bob").model("granite-8b").key("k-b").subscription("gold").groups("ml").build(),
                event("r4").user("alice").model("granite-8b").key("k-a2").subscription("free").build()));

        assertEquals(2, count(ALL.where(UsageDimension.USER, "alice").where(UsageDimension.MODEL, "granite-8b")));
        assertEquals(1, count(ALL.where(UsageDimension.USER, "alice").where(UsageDimension.MODEL, "granite-8b")
                .where(UsageDimension.SUBSCRIPTION, "free")));
        assertEquals(2, count(ALL.where(UsageDimension.KEY, "k-a")));
        assertEquals(3, count(ALL.where(UsageDimension.GROUP, "staff")));
        assertEquals(1, count(ALL.where(UsageDimension.GROUP, "ml").where(UsageDimension.MODEL, "granite-8b")));
        assertEquals(0, count(ALL.where(UsageDimension.GROUP, "ml").where(UsageDimension.USER, "alice")));
        assertEquals(0, count(ALL.where(UsageDimension.USER, "nobody")));
    }

    private long count(UsageQuery query) {
        return ledger.totals(query).requests();
    }

    // ---------------------------------------------------------------------------------- series

    @Test
    void hourlySeriesIsAscendingAlignedAndLeavesOutEmptyHours() {
        Instant day = Instant.parse("2026-01-05T00:00:00Z");
        ledger.append(List.of(
                event("late").at(day.plus(Duration.ofMinutes(23 * 60 + 59))).tokens(1, 1).build(),
                event("h21a").at(day.plus(Duration.ofMinutes(21 * 60 + 10))).tokens(10, 0).build(),
                event("h21b").at(day.plus(Duration.ofMinutes(21 * 60 + 50))).tokens(20, 0).build(),
                // no event in the 22:00 hour
                event("next-day").at(day.plus(Duration.ofMinutes(24 * 60 + 5))).tokens(100, 0).build()));

        List<UsageBucket> series = ledger.series(ALL, Granularity.HOUR);

        assertEquals(List.of(Instant.parse("2026-01-05T21:00:00Z"), Instant.parse("2026-01-05T23:00:00Z"),
                Instant.parse("2026-01-06T00:00:00Z")), starts(series));
        assertEquals(2, series.get(0).totals().requests());
        assertEquals(30, series.get(0).totals().promptTokens());
        assertEquals(1, series.get(1).totals().requests());
        assertEquals(100, series.get(2).totals().promptTokens());
    }

    @Test
    void dailySeriesSplitsAtUtcMidnight() {
        Instant midnight = Instant.parse("2026-01-06T00:00:00Z");
        ledger.append(List.of(
                event("d1a").at(midnight.minus(Duration.ofHours(3))).build(),
                event("d1b").at(midnight.minusMillis(1)).build(),
                event("d2a").at(midnight).build(),
                event("d2b").at(midnight.plus(Duration.ofHours(5))).outcome(Outcome.UPSTREAM_ERROR).status(500)
                        .build(),
                event("d4").at(midnight.plus(Duration.ofDays(2))).build()));

        List<UsageBucket> series = ledger.series(ALL, Granularity.DAY);

        assertEquals(List.of(Instant.parse("2026-01-05T00:00:00Z"), midnight, Instant.parse("2026-01-08T00:00:00Z")),
                starts(series));
        assertEquals(List.of(2L, 2L, 1L), series.stream().map(b -> b.totals().requests()).toList());
        assertEquals(1, series.get(1).totals().successfulRequests());
    }

    @Test
    void seriesHonoursRangeAndFilters() {
        Instant midnight = Instant.parse("2026-01-06T00:00:00Z");
        ledger.append(List.of(
                event("a1").at(midnight.minus(Duration.ofHours(1))).user("alice").build(),
                event("b1").at(midnight.minus(Duration.ofMinutes(30))).user("bob").build(),
                event("a2").at(midnight.plus(Duration.ofHours(1))).user("alice").build()));

        List<UsageBucket> series = ledger.series(
                UsageQuery.between(midnight.minus(Duration.ofHours(2)), midnight).where(UsageDimension.USER, "alice"),
                Granularity.HOUR);

        assertEquals(1, series.size());
        assertEquals(Instant.parse("2026-01-05T23:00:00Z"), series.get(0).start());
        assertEquals(1, series.get(0).totals().requests());
    }

    @Test
    void seriesCostsAddUpToTheTotal() {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(event("r" + i).at(T0.plus(Duration.ofMinutes(17L * i))).tokens(i + 1, 2L * i).build());
        }
        ledger.append(events);

        BigDecimal sum = ledger.series(ALL, Granularity.HOUR).stream().map(b -> b.totals().cost())
                .reduce(BigDecimal.ZERO, BigDecimal::add);

        assertEquals(0, ledger.totals(ALL).cost().compareTo(sum));
    }

    private static List<Instant> starts(List<UsageBucket> series) {
        return series.stream().map(UsageBucket::start).toList();
    }

    // -------------------------------------------------------------------------------- totalsBy

    private void appendMixedUsage() {
        ledger.append(List.of(
                event("r1").key("k-a").user("alice").groups("staff", "ml").model("granite-8b").subscription("gold")
                        .tokens(10, 1).build(),
                event("r2").key("k-a").user("alice").groups("staff", "ml").model("llama-70b").subscription("gold")
                        .tokens(20, 2).build(),
                event("r3").key("k-b").user("bob").groups("staff").model("granite-8b").subscription("free")
                        .tokens(40, 4).build(),
                event("r4").key("k-c").user("svc").groups().model("granite-8b").subscription("free")
                        .tokens(80, 8).build()));
    }

    @Test
    void totalsByKey() {
        appendMixedUsage();
        Map<String, UsageTotals> byKey = ledger.totalsBy(UsageDimension.KEY, ALL);

        assertEquals(Map.of("k-a", 2L, "k-b", 1L, "k-c", 1L), requests(byKey));
        assertEquals(30, byKey.get("k-a").promptTokens());
    }

    @Test
    void totalsByUser() {
        appendMixedUsage();
        Map<String, UsageTotals> byUser = ledger.totalsBy(UsageDimension.USER, ALL);

        assertEquals(Map.of("alice", 2L, "bob", 1L, "svc", 1L), requests(byUser));
        assertEquals(0, PRICE.cost(30, 3).compareTo(byUser.get("alice").cost()));
    }

    @Test
    void totalsByModel() {
        appendMixedUsage();
        Map<String, UsageTotals> byModel = ledger.totalsBy(UsageDimension.MODEL, ALL);

        assertEquals(Map.of("granite-8b", 3L, "llama-70b", 1L), requests(byModel));
        assertEquals(130, byModel.get("granite-8b").promptTokens());
    }

    @Test
    void totalsBySubscription() {
        appendMixedUsage();
        Map<String, UsageTotals> bySubscription = ledger.totalsBy(UsageDimension.SUBSCRIPTION, ALL);

        assertEquals(Map.of("gold", 2L, "free", 2L), requests(bySubscription));
        assertEquals(12, bySubscription.get("free").completionTokens());
    }

    @Test
    void totalsByGroupCountsAnEventOnceForEachOfItsGroups() {
        appendMixedUsage();
        Map<String, UsageTotals> byGroup = ledger.totalsBy(UsageDimension.GROUP, ALL);

        // r4 has no group and appears nowhere; r1 and r2 count in both of theirs
        assertEquals(Map.of("staff", 3L, "ml", 2L), requests(byGroup));
        assertEquals(70, byGroup.get("staff").promptTokens());
        assertEquals(30, byGroup.get("ml").promptTokens());
    }

    @Test
    void totalsByHonoursRangeAndFilters() {
        appendMixedUsage();
        ledger.append(List.of(event("old").key("k-a").user("alice").at(T0.minus(Duration.ofDays(1))).build()));

        Map<String, UsageTotals> byModel = ledger.totalsBy(UsageDimension.MODEL,
                UsageQuery.between(T0, T0.plusSeconds(1)).where(UsageDimension.USER, "alice"));

        assertEquals(Map.of("granite-8b", 1L, "llama-70b", 1L), requests(byModel));
    }

    private static Map<String, Long> requests(Map<String, UsageTotals> totals) {
        Map<String, Long> result = new java.util.HashMap<>();
        totals.forEach((k, v) -> result.put(k, v.requests()));
        return result;
    }

    // --------------------------------------------------------------------------------- forEach

    @Test
    void forEachStreamsMatchingEventsOldestFirst() {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(event("r" + i).at(T0.plusSeconds(i)).user(i % 2 == 0 ? "alice" : "bob").build());
        }
        Collections.shuffle(events, new Random(42));
        ledger.append(events.subList(0, 25));
        ledger.append(events.subList(25, 50));
        List<Instant> seen = new ArrayList<>();

        ledger.forEach(ALL.where(UsageDimension.USER, "alice"), e -> {
            assertEquals("alice", e.user());
            seen.add(e.startedAt());
        });

        assertEquals(25, seen.size());
        List<Instant> sorted = new ArrayList<>(seen);
        Collections.sort(sorted);
        assertEquals(sorted, seen);
    }

    @Test
    void forEachGivesBackEveryField() {
        UsageEvent full = new UsageEvent("req-full", "key-9", "alice", java.util.Set.of("staff", "ml"), "gold",
                "granite-8b", EndpointKind.RESPONSES, dev.maas4j.api.TokenUsage.estimated(1234, 567),
                PRICE.cost(1234, 567), 200, Outcome.CLIENT_ABORTED, T0, T0.plusMillis(1500), true,
                new TokenMetadata("org-7", "cc-42", Map.of("project", "search")), true);
        ledger.append(List.of(full));
        List<UsageEvent> seen = new ArrayList<>();

        ledger.forEach(ALL, seen::add);

        assertEquals(1, seen.size());
        UsageEvent back = seen.get(0);
        assertEquals(0, full.cost().compareTo(back.cost()), () -> "cost " + back.cost());
        // the cost may come back at another scale; everything else must be equal
        assertEquals(full, new UsageEvent(back.requestId(), back.keyId(), back.user(), back.groups(),
                back.subscription(), back.model(), back.endpoint(), back.usage(), full.cost(), back.httpStatus(),
                back.outcome(), back.startedAt(), back.endedAt(), back.streamed(), back.chargeback(),
                back.anomalous()));
    }

    @Test
    void anomalousFlagIsKeptPerEvent() {
        ledger.append(List.of(event("r1").anomalous(true).tokens(4_496, 256).build(), event("r2").build()));
        Map<String, Boolean> flags = new java.util.HashMap<>();

        ledger.forEach(ALL, e -> flags.put(e.requestId(), e.anomalous()));

        assertEquals(Map.of("r1", true, "r2", false), flags);
        assertEquals(2, ledger.totals(ALL).requests(), "an anomalous event counts like any other");
    }

    @Test
    void readsDoNotSeeFurtherThanTheirRange() {
        ledger.append(List.of(event("r1").at(T0).build(), event("r2").at(T0.plus(Duration.ofDays(2))).build()));
        List<String> seen = new ArrayList<>();

        ledger.forEach(UsageQuery.between(T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(3))),
                e -> seen.add(e.requestId()));

        assertEquals(List.of("r2"), seen);
        assertTrue(ledger.totalsBy(UsageDimension.USER, UsageQuery.between(T0.minusSeconds(10), T0)).isEmpty());
    }
}
