package dev.maas4j.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.maas4j.api.Granularity;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.testing.TestData;
import dev.maas4j.testing.PostgresServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rollups plus partial hours answer exactly what a scan of every event answers: random events
 * over three days, random unaligned ranges and filters (groups with keys and users included),
 * compared with maas-core's in-memory ledger.
 */
class LedgerAgainstMemoryTest {
    private static final String[] KEYS = {"k1", "k2", "k3", "k4"};
    private static final String[] MODELS = {"granite", "llama"};
    private static final String[] SUBSCRIPTIONS = {"gold", "free"};
    private static final String[][] GROUPS = {{"staff"}, {"staff", "ml"}, {}, {"ml"}};

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2"), Arguments.of("postgresql"));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void everyQueryMatchesAScanOfTheEvents(String database) {
        String url = database.equals("h2") ? "jdbc:h2:mem:oracle" + System.nanoTime()
                : PostgresServer.shared().newDatabase();
        Random random = new Random(7);
        Instant start = TestData.T0;
        InMemoryStore oracle = new InMemoryStore();
        try (JdbcStore store = JdbcStore.builder(url).build()) {
            List<UsageEvent> batch = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                int key = random.nextInt(KEYS.length);
                UsageEvent e = TestData.event("r" + i).key(KEYS[key]).user("u" + key % 3)
                        .groups(GROUPS[key]).model(MODELS[random.nextInt(2)])
                        .subscription(SUBSCRIPTIONS[random.nextInt(2)])
                        .tokens(random.nextInt(500), random.nextInt(300))
                        .status(random.nextInt(10) == 0 ? 502 : 200)
                        .at(start.plusMillis((long) (random.nextDouble() * Duration.ofDays(3).toMillis())))
                        .build();
                batch.add(e);
                if (batch.size() == 250) {
                    store.append(batch);
                    oracle.append(batch);
                    batch = new ArrayList<>();
                }
            }
            for (int q = 0; q < 40; q++) {
                Instant from = start.minusSeconds(3600).plusMillis((long) (random.nextDouble() * 2 * 86_400_000L));
                Instant to = from.plusMillis((long) (random.nextDouble() * 2 * 86_400_000L));
                UsageQuery query = UsageQuery.between(from, to);
                int filters = random.nextInt(3);
                for (int f = 0; f < filters; f++) {
                    UsageDimension d = UsageDimension.values()[random.nextInt(UsageDimension.values().length)];
                    String value = switch (d) {
                        case KEY -> KEYS[random.nextInt(KEYS.length)];
                        case USER -> "u" + random.nextInt(3);
                        case GROUP -> random.nextBoolean() ? "staff" : "ml";
                        case MODEL -> MODELS[random.nextInt(2)];
                        case SUBSCRIPTION -> SUBSCRIPTIONS[random.nextInt(2)];
                    };
                    query = query.where(d, value);
                }
                String what = query.toString();
                assertSame(oracle.totals(query), store.totals(query), what);
                for (UsageDimension d : UsageDimension.values()) {
                    Map<String, UsageTotals> expected = new TreeMap<>(oracle.totalsBy(d, query));
                    Map<String, UsageTotals> actual = new TreeMap<>(store.totalsBy(d, query));
                    assertEquals(expected.keySet(), actual.keySet(), what + " by " + d);
                    expected.forEach((k, v) -> assertSame(v, actual.get(k), what + " by " + d + " " + k));
                }
                for (Granularity g : Granularity.values()) {
                    List<UsageBucket> expected = oracle.series(query, g);
                    List<UsageBucket> actual = store.series(query, g);
                    assertEquals(expected.stream().map(UsageBucket::start).toList(),
                            actual.stream().map(UsageBucket::start).toList(), what + " " + g);
                    for (int i = 0; i < expected.size(); i++) {
                        assertSame(expected.get(i).totals(), actual.get(i).totals(), what + " " + g);
                    }
                }
            }
        }
    }

    private static void assertSame(UsageTotals expected, UsageTotals actual, String what) {
        assertEquals(strip(expected), strip(actual), what);
    }

    private static UsageTotals strip(UsageTotals t) {
        return new UsageTotals(t.requests(), t.successfulRequests(), t.promptTokens(), t.completionTokens(),
                t.estimatedRequests(), t.cost().signum() == 0 ? BigDecimal.ZERO : t.cost().stripTrailingZeros());
    }
}
