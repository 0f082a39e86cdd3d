package dev.maas4j.store.jdbc;

import static dev.maas4j.testing.TestData.T0;
import static dev.maas4j.testing.TestData.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.Granularity;
import dev.maas4j.api.StoreException;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.testing.TestData;
import dev.maas4j.store.jdbc.internal.Dialect;
import dev.maas4j.store.jdbc.internal.Migrations;
import dev.maas4j.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migrations (concurrent starts, by hand, checked only), an H2 file across restarts, and retention. */
class SchemaAndRetentionTest {

    @Test
    void replicasStartingTogetherMigrateOnce() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        int replicas = 6;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JdbcStore>> stores = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                stores.add(pool.submit(() -> {
                    go.await();
                    return JdbcStore.builder(url).maxPoolSize(2).build();
                }));
            }
            go.countDown();
            for (Future<JdbcStore> f : stores) {
                f.get(60, TimeUnit.SECONDS).close();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*), MAX(version) FROM maas_schema_version")) {
            r.next();
            assertEquals(Migrations.LATEST, r.getInt(1), "each version recorded once");
            assertEquals(Migrations.LATEST, r.getInt(2));
        }
    }

    @Test
    void theShippedScriptsCanBeRunByHandAgainAndAgain() throws Exception {
        String pg = PostgresServer.shared().newDatabase();
        String h2 = "jdbc:h2:mem:byhand" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        for (String url : List.of(pg, h2)) {
            Dialect dialect = url.contains("postgresql") ? Dialect.POSTGRESQL : Dialect.H2;
            try (Connection c = DriverManager.getConnection(url)) {
                for (int run = 0; run < 2; run++) {
                    for (String file : Migrations.FILES) {
                        try (Statement s = c.createStatement()) {
                            // as a DBA would: the whole file, statement by statement, twice
                            for (String sql : Migrations.script(dialect, file).split(";\\s*\\n")) {
                                if (!sql.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
                                    s.execute(sql);
                                }
                            }
                        }
                    }
                }
                assertEquals(Migrations.LATEST, Migrations.currentVersion(c));
            }
            // a store that must not migrate accepts the schema applied by hand
            try (JdbcStore store = JdbcStore.builder(url).migrate(false).build()) {
                store.putModel(TestData.model("granite"));
                assertTrue(store.findModel("granite").isPresent());
            }
        }
    }

    @Test
    void eventsStoredBeforeVersionTwoAreNotAnomalousAndNewOnesKeepTheFlag() throws Exception {
        String pg = PostgresServer.shared().newDatabase();
        String h2 = "jdbc:h2:mem:upgrade" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        for (String url : List.of(pg, h2)) {
            Dialect dialect = url.contains("postgresql") ? Dialect.POSTGRESQL : Dialect.H2;
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                for (String sql : Migrations.script(dialect, Migrations.FILES.get(0)).split(";\\s*\\n")) {
                    if (!sql.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("--"))) {
                        s.execute(sql);
                    }
                }
                assertEquals(1, Migrations.currentVersion(c));
                // an event as a version 1 store wrote it
                s.execute("INSERT INTO maas_usage_event (request_id, started_at, ended_at, key_id, user_name,"
                        + " groups_json, subscription, model, endpoint, prompt_tokens, completion_tokens, estimated,"
                        + " cost, http_status, outcome, streamed, chargeback_json) VALUES ('old', TIMESTAMP WITH TIME"
                        + " ZONE '2026-01-05 08:00:00+00', TIMESTAMP WITH TIME ZONE '2026-01-05 08:00:01+00', 'key-1',"
                        + " 'alice', '[]', 'gold', 'granite-8b', 'CHAT_COMPLETIONS', 1, 2, FALSE, 0, 200, 'SUCCESS',"
                        + " FALSE, '{}')");
            }
            try (JdbcStore store = JdbcStore.builder(url).build()) {
                store.append(List.of(event("new").anomalous(true).build()));
                List<dev.maas4j.api.UsageEvent> events = new ArrayList<>();
                store.forEach(UsageQuery.between(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1))),
                        events::add);
                assertEquals(List.of("old", "new"), events.stream().map(e -> e.requestId()).toList(), url);
                assertEquals(List.of(false, true), events.stream().map(e -> e.anomalous()).toList(), url);
            }
        }
    }

    @Test
    void aStoreThatMustNotMigrateSaysWhichScriptIsMissing() {
        StoreException e = assertThrows(StoreException.class, () ->
                JdbcStore.builder("jdbc:h2:mem:nomigrate" + System.nanoTime()).migrate(false).build());
        assertTrue(e.getMessage().contains("V1__"), e.getMessage());
        assertTrue(e.getMessage().startsWith("jdbc store (h2:mem:nomigrate"), e.getMessage());
    }

    @Test
    void anH2FileKeepsKeysCatalogAndUsageAcrossRestarts(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("maas").toAbsolutePath();
        try (JdbcStore store = JdbcStore.builder(url).build()) {
            store.create(TestData.fullKey("k1"));
            store.putModel(TestData.fullModel("granite-8b"));
            store.putSubscription(TestData.fullSubscription("gold"));
            store.append(List.of(event("r1").build(), event("r2").build()));
        }
        try (JdbcStore store = JdbcStore.builder(url).build()) {
            assertEquals(TestData.normalized(TestData.fullKey("k1")),
                    TestData.normalized(store.findById("k1").orElseThrow()));
            assertEquals(TestData.fullModel("granite-8b"), store.findModel("granite-8b").orElseThrow());
            assertEquals(2, store.totals(UsageQuery.between(T0.minusSeconds(60), T0.plusSeconds(60))).requests());
            assertEquals(0, store.append(List.of(event("r1").build())), "request ids are remembered");
        }
    }

    @Test
    void retentionPurgesEventsButKeepsHourlyTotals() {
        String url = PostgresServer.shared().newDatabase();
        try (JdbcStore store = JdbcStore.builder(url).build()) {
            store.append(List.of(
                    event("old1").at(T0).build(),
                    event("old2").at(T0.plus(Duration.ofMinutes(10))).build(),
                    event("new1").at(T0.plus(Duration.ofDays(40))).build()));

            assertEquals(2, store.purgeBefore(T0.plus(Duration.ofDays(30))));

            List<String> kept = new ArrayList<>();
            UsageQuery all = UsageQuery.between(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(41)));
            store.forEach(all, e -> kept.add(e.requestId()));
            assertEquals(List.of("new1"), kept);
            assertEquals(3, store.totals(all).requests(), "whole hours come from the rollups");
            assertEquals(2, store.series(all, Granularity.DAY).size());
        }
    }
}
