package dev.maas4j.store.jdbc.bench;

import dev.maas4j.api.Granularity;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.store.jdbc.JdbcStore;
import dev.maas4j.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reads over 10 million events in 30 days (1,000 keys, 4 models, 3 subscriptions, 20 groups),
 * generated in the database with {@code generate_series} and rolled up as the ledger would have
 * rolled them up on insert. Every range is unaligned, so each read also scans two partial hours
 * of events. Takes a few minutes (generation); run with
 * {@code mvn -pl maas-store-jdbc test -Dgroups=benchmark -Dtest=LedgerQueryBenchmark}.
 */
@Tag("benchmark")
class LedgerQueryBenchmark {
    private static final int EVENTS = Integer.getInteger("events", 10_000_000);

    @Test
    void queriesOverTenMillionEvents() throws Exception {
        String url = PostgresServer.shared().newDatabase();
        JdbcStore.builder(url).build().close();
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("SET work_mem = '256MB'");
            s.execute("SET maintenance_work_mem = '512MB'");
            // 30 days = 2,592,000 s: one event every 2,592,000 / EVENTS seconds
            s.execute("INSERT INTO maas_usage_event (request_id, started_at, ended_at, key_id, user_name, groups_json,"
                    + " subscription, model, endpoint, prompt_tokens, completion_tokens, estimated, cost, http_status,"
                    + " outcome, streamed, chargeback_json)"
                    + " SELECT 'gen-' || g, ts, ts + INTERVAL '700 milliseconds', 'key-' || (g % 1000),"
                    + " 'user-' || (g % 1000 / 2),"
                    + " CASE WHEN g % 3 = 0 THEN '[\"all\",\"team-' || (g % 20) || '\"]' ELSE '[\"team-' || (g % 20) || '\"]' END,"
                    + " 'sub-' || (g % 1000 % 3), (ARRAY['granite-8b','llama-70b','mistral-7b','qwen-32b'])[1 + (g / 7) % 4],"
                    + " 'CHAT_COMPLETIONS', 50 + g % 2000, g % 800, g % 50 = 0,"
                    + " ((50 + g % 2000) * 0.15 + (g % 800) * 0.60) / 1000000, CASE WHEN g % 97 = 0 THEN 502 ELSE 200 END,"
                    + " CASE WHEN g % 97 = 0 THEN 'UPSTREAM_ERROR' ELSE 'SUCCESS' END, g % 2 = 0, '{}'"
                    + " FROM generate_series(1, " + EVENTS + ") g,"
                    + " LATERAL (SELECT TIMESTAMPTZ '2026-01-01 00:00:00+00' + g * (2592000.0 / " + EVENTS
                    + ") * INTERVAL '1 second') t(ts)");
            System.out.printf("generated %,d events in %.0f s%n", EVENTS, (System.nanoTime() - start) / 1e9);
            long t = System.nanoTime();
            String sums = "COUNT(*), SUM(CASE WHEN outcome = 'SUCCESS' AND http_status < 400 THEN 1 ELSE 0 END),"
                    + " SUM(prompt_tokens), SUM(completion_tokens), SUM(CASE WHEN estimated THEN 1 ELSE 0 END), SUM(cost)";
            String cols = "requests, successful, prompt_tokens, completion_tokens, estimated, cost";
            String hour = "date_trunc('hour', started_at, 'UTC')";
            s.execute("INSERT INTO maas_usage_hourly (bucket_hour, key_id, user_name, subscription, model, " + cols + ")"
                    + " SELECT " + hour + ", key_id, user_name, subscription, model, " + sums
                    + " FROM maas_usage_event GROUP BY 1, 2, 3, 4, 5");
            s.execute("INSERT INTO maas_usage_hourly_model (bucket_hour, subscription, model, " + cols + ")"
                    + " SELECT " + hour + ", subscription, model, " + sums + " FROM maas_usage_event GROUP BY 1, 2, 3");
            s.execute("INSERT INTO maas_usage_hourly_group (bucket_hour, group_name, subscription, model, " + cols + ")"
                    + " SELECT " + hour + ", g.name, subscription, model, " + sums
                    + " FROM maas_usage_event CROSS JOIN LATERAL json_array_elements_text(groups_json::json) g(name)"
                    + " GROUP BY 1, 2, 3, 4");
            s.execute("ANALYZE");
            System.out.printf("rolled up in %.0f s%n", (System.nanoTime() - t) / 1e9);
            try (ResultSet r = s.executeQuery("SELECT (SELECT COUNT(*) FROM maas_usage_event),"
                    + " (SELECT COUNT(*) FROM maas_usage_hourly), (SELECT COUNT(*) FROM maas_usage_hourly_model),"
                    + " (SELECT COUNT(*) FROM maas_usage_hourly_group),"
                    + " pg_size_pretty(pg_total_relation_size('maas_usage_event')),"
                    + " pg_size_pretty(pg_total_relation_size('maas_usage_hourly'))")) {
                r.next();
                System.out.printf("rows: events %,d (%s), hourly %,d (%s), per model %,d, per group %,d%n",
                        r.getLong(1), r.getString(5), r.getLong(2), r.getString(6), r.getLong(3), r.getLong(4));
            }
        }
        try (JdbcStore store = JdbcStore.builder(url).build()) {
            Instant from = Instant.parse("2026-01-01T00:17:23.250Z");
            Instant to = Instant.parse("2026-01-31T00:17:23.250Z");
            UsageQuery month = UsageQuery.between(from, to);
            measure("30-day totals of one key", () -> store.totals(month.where(UsageDimension.KEY, "key-17")));
            measure("30-day totals of one model, all keys", () -> store.totals(month.where(UsageDimension.MODEL,
                    "granite-8b")));
            measure("30-day totals of one user", () -> store.totals(month.where(UsageDimension.USER, "user-8")));
            measure("30-day daily series of one key", () -> store.series(month.where(UsageDimension.KEY, "key-17"),
                    Granularity.DAY));
            measure("30-day hourly series of one model", () -> store.series(month.where(UsageDimension.MODEL,
                    "granite-8b"), Granularity.HOUR));
            measure("30-day totals by model, all keys", () -> store.totalsBy(UsageDimension.MODEL, month));
            measure("30-day totals by group", () -> store.totalsBy(UsageDimension.GROUP, month));
            measure("30-day totals by key (1,000 keys)", () -> store.totalsBy(UsageDimension.KEY, month));
            measure("30-day totals, everything", () -> store.totals(month));
        }
    }

    private static void measure(String what, Supplier<Object> query) {
        Object result = null;
        for (int i = 0; i < 3; i++) {
            result = query.get();
        }
        long[] times = new long[20];
        for (int i = 0; i < times.length; i++) {
            long t = System.nanoTime();
            query.get();
            times[i] = System.nanoTime() - t;
        }
        Arrays.sort(times);
        String shown = String.valueOf(result);
        System.out.printf("%-40s median %6.1f ms  p95 %6.1f ms   %s%n", what, times[10] / 1e6, times[18] / 1e6,
                shown.length() > 110 ? shown.substring(0, 110) + "..." : shown);
    }
}
