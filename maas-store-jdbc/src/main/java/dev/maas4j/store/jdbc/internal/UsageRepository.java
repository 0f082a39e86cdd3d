package dev.maas4j.store.jdbc.internal;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.Granularity;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.StoreException;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The usage ledger: events in {@code maas_usage_event}, idempotent by request id, and three hourly
 * rollups maintained in the same transaction from the events that were newly stored.
 *
 * <p>Reads take whole hours from the rollup that fits the query (per model and subscription, per
 * key, or per group) and only the partial hours at either end of the range from the events, so a
 * 30-day total reads a few hundred rollup rows whatever the number of events. Thread-safe.
 *
 * <p>Longer than our usual class: the append path (lines up to {@code micros}) and the read path
 * share the rollups' column lists and keys, which must agree exactly, or totals read from a rollup
 * would differ from totals read from the events. Splitting it into a writer and a reader over one
 * shared table description is the next step; it was left for a change of its own.
 */
public final class UsageRepository {
    private static final int MAX_ATTEMPTS = 8;
    private static final String SUMS = "requests, successful, prompt_tokens, completion_tokens, estimated, cost";
    private static final String EVENT_COLUMNS = "request_id, started_at, ended_at, key_id, user_name, groups_json,"
            + " subscription, model, endpoint, prompt_tokens, completion_tokens, estimated, cost, http_status, outcome,"
            + " streamed, chargeback_json, anomalous";

    /** One rollup table and the dimensions it keeps. */
    private enum Rollup {
        HOURLY("maas_usage_hourly", List.of("key_id", "user_name", "subscription", "model")),
        MODEL("maas_usage_hourly_model", List.of("subscription", "model")),
        GROUP("maas_usage_hourly_group", List.of("group_name", "subscription", "model"));

        final String table;
        final List<String> dims;

        Rollup(String table, List<String> dims) {
            this.table = table;
            this.dims = dims;
        }
    }

    private static final ConcurrentMap<String, ReentrantLock> H2_WRITERS =
            new ConcurrentHashMap<>();

    private final Database db;

    /** The ledger in {@code db}. */
    public UsageRepository(Database db) {
        this.db = db;
    }

    // ------------------------------------------------------------------ writing

    /** Stores the events not stored yet; all or nothing. */
    public int append(List<UsageEvent> batch) {
        Objects.requireNonNull(batch, "batch");
        if (batch.isEmpty()) {
            return 0;
        }
        // first occurrence wins; request-id order makes concurrent batches lock rows in one order
        Map<String, UsageEvent> unique = new TreeMap<>();
        for (UsageEvent event : batch) {
            unique.putIfAbsent(Objects.requireNonNull(event, "event").requestId(), event);
        }
        List<UsageEvent> events = new ArrayList<>(unique.values());
        // H2 cannot skip stored ids atomically (see insertH2): one writer per database at a time
        // keeps concurrent batches from failing each other (an embedded H2 belongs to one JVM)
        ReentrantLock lock = db.dialect() == Dialect.H2
                ? H2_WRITERS.computeIfAbsent(db.errors().name(), k -> new ReentrantLock()) : null;
        for (int attempt = 1; ; attempt++) {
            try {
                if (lock != null) {
                    lock.lock();
                }
                try {
                    return db.transaction("append usage", h -> appendOnce(h.getConnection(), events));
                } finally {
                    if (lock != null) {
                        lock.unlock();
                    }
                }
            } catch (StoreException e) {
                // a deadlock, or a concurrent insert of the same request id by another store: the
                // whole batch was rolled back, so running it again counts every event once
                if (attempt >= MAX_ATTEMPTS || !StoreErrors.isRetryable(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(1, 10L * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private int appendOnce(Connection c, List<UsageEvent> events) throws SQLException {
        if (db.dialect() == Dialect.POSTGRESQL) {
            return appendPostgres(c, events);
        }
        List<UsageEvent> stored = insertH2(c, events);
        if (stored.isEmpty()) {
            return 0;
        }
        Map<Rollup, TreeMap<List<Object>, Sums>> rollups = new LinkedHashMap<>();
        for (Rollup r : Rollup.values()) {
            rollups.put(r, new TreeMap<>(UsageRepository::compareKeys));
        }
        for (UsageEvent e : stored) {
            long hour = e.startedAt().truncatedTo(ChronoUnit.HOURS).getEpochSecond();
            rollups.get(Rollup.HOURLY).computeIfAbsent(List.of(hour, e.keyId(), e.user(), e.subscription(), e.model()),
                    k -> new Sums()).add(e);
            rollups.get(Rollup.MODEL).computeIfAbsent(List.of(hour, e.subscription(), e.model()),
                    k -> new Sums()).add(e);
            for (String group : e.groups()) {
                rollups.get(Rollup.GROUP).computeIfAbsent(List.of(hour, group, e.subscription(), e.model()),
                        k -> new Sums()).add(e);
            }
        }
        for (Map.Entry<Rollup, TreeMap<List<Object>, Sums>> entry : rollups.entrySet()) {
            if (!entry.getValue().isEmpty()) {
                upsertH2(c, entry.getKey(), entry.getValue());
            }
        }
        return stored.size();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /**
     * One statement, one round trip: the events go in as column arrays, the conflict clause skips
     * stored request ids, and the rows it did insert ({@code RETURNING}) feed the three rollups in
     * the same statement, aggregated by the server. Rollup rows are upserted in key order, so
     * concurrent batches lock them in one order and cannot deadlock.
     */
    private static int appendPostgres(Connection c, List<UsageEvent> events) throws SQLException {
        int n = events.size();
        String[] requestIds = new String[n];
        Long[] started = new Long[n];
        Long[] ended = new Long[n];
        String[] keys = new String[n];
        String[] users = new String[n];
        String[] groups = new String[n];
        String[] subscriptions = new String[n];
        String[] models = new String[n];
        String[] endpoints = new String[n];
        Long[] prompt = new Long[n];
        Long[] completion = new Long[n];
        Boolean[] estimated = new Boolean[n];
        BigDecimal[] costs = new BigDecimal[n];
        Integer[] statuses = new Integer[n];
        String[] outcomes = new String[n];
        Boolean[] streamed = new Boolean[n];
        String[] chargebacks = new String[n];
        Boolean[] anomalous = new Boolean[n];
        for (int i = 0; i < n; i++) {
            UsageEvent e = events.get(i);
            requestIds[i] = e.requestId();
            started[i] = micros(e.startedAt());
            ended[i] = micros(e.endedAt());
            keys[i] = e.keyId();
            users[i] = e.user();
            groups[i] = Json.groups(e.groups());
            subscriptions[i] = e.subscription();
            models[i] = e.model();
            endpoints[i] = e.endpoint().name();
            prompt[i] = e.promptTokens();
            completion[i] = e.completionTokens();
            estimated[i] = e.estimated();
            costs[i] = e.cost();
            statuses[i] = e.httpStatus();
            outcomes[i] = e.outcome().name();
            streamed[i] = e.streamed();
            chargebacks[i] = Json.chargeback(e.chargeback());
            anomalous[i] = e.anomalous();
        }
        try (PreparedStatement ps = c.prepareStatement(POSTGRES_APPEND)) {
            Object[][] columns = {requestIds, started, ended, keys, users, groups, subscriptions, models, endpoints,
                    prompt, completion, estimated, costs, statuses, outcomes, streamed, chargebacks, anomalous};
            String[] types = {"varchar", "int8", "int8", "varchar", "varchar", "varchar", "varchar", "varchar",
                    "varchar", "int8", "int8", "bool", "numeric", "int4", "varchar", "bool", "varchar", "bool"};
            for (int i = 0; i < columns.length; i++) {
                ps.setArray(i + 1, c.createArrayOf(types[i], columns[i]));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static final String POSTGRES_APPEND = postgresAppend();

    private static String postgresAppend() {
        String sums = "SUM(r), SUM(ok), SUM(pt), SUM(ct), SUM(est), SUM(c)";
        StringBuilder sql = new StringBuilder();
        sql.append("WITH ins AS (INSERT INTO maas_usage_event (").append(EVENT_COLUMNS).append(")"
                + " SELECT r, TIMESTAMPTZ 'epoch' + s * INTERVAL '1 microsecond',"
                + " TIMESTAMPTZ 'epoch' + e * INTERVAL '1 microsecond', k, u, g, sub, m, ep, pt, ct, est, c, hs, o, st, cb,"
                + " an"
                + " FROM unnest(?::varchar[], ?::int8[], ?::int8[], ?::varchar[], ?::varchar[], ?::varchar[],"
                + " ?::varchar[], ?::varchar[], ?::varchar[], ?::int8[], ?::int8[], ?::bool[], ?::numeric[],"
                + " ?::int4[], ?::varchar[], ?::bool[], ?::varchar[], ?::bool[])"
                + " AS t(r, s, e, k, u, g, sub, m, ep, pt, ct, est, c, hs, o, st, cb, an)"
                + " WHERE NOT EXISTS (SELECT 1 FROM maas_usage_event x WHERE x.request_id = t.r)"
                + " RETURNING started_at, key_id, user_name, groups_json, subscription, model, prompt_tokens,"
                + " completion_tokens, estimated, cost, http_status, outcome),");
        sql.append(" agg AS (SELECT date_trunc('hour', started_at, 'UTC') AS h, key_id, user_name, subscription, model,"
                + " groups_json, COUNT(*) AS r, SUM(CASE WHEN outcome = 'SUCCESS' AND http_status < 400 THEN 1 ELSE 0 END)"
                + " AS ok, SUM(prompt_tokens) AS pt, SUM(completion_tokens) AS ct,"
                + " SUM(CASE WHEN estimated THEN 1 ELSE 0 END) AS est, SUM(cost) AS c"
                + " FROM ins GROUP BY 1, 2, 3, 4, 5, 6),");
        sql.append(" hourly AS (INSERT INTO maas_usage_hourly (bucket_hour, key_id, user_name, subscription, model, ")
                .append(SUMS).append(") SELECT h, key_id, user_name, subscription, model, ").append(sums)
                .append(" FROM agg GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5")
                .append(" ON CONFLICT (bucket_hour, key_id, user_name, subscription, model) DO UPDATE SET ")
                .append(increments("maas_usage_hourly")).append("),");
        sql.append(" per_model AS (INSERT INTO maas_usage_hourly_model (bucket_hour, subscription, model, ")
                .append(SUMS).append(") SELECT h, subscription, model, ").append(sums)
                .append(" FROM agg GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
                .append(" ON CONFLICT (bucket_hour, subscription, model) DO UPDATE SET ")
                .append(increments("maas_usage_hourly_model")).append("),");
        sql.append(" per_group AS (INSERT INTO maas_usage_hourly_group (bucket_hour, group_name, subscription, model, ")
                .append(SUMS).append(") SELECT h, grp.name, subscription, model, ").append(sums)
                .append(" FROM agg CROSS JOIN LATERAL json_array_elements_text(agg.groups_json::json) AS grp(name)")
                .append(" GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4")
                .append(" ON CONFLICT (bucket_hour, group_name, subscription, model) DO UPDATE SET ")
                .append(increments("maas_usage_hourly_group")).append(")");
        sql.append(" SELECT COUNT(*) FROM ins");
        return sql.toString();
    }

    private static String increments(String table) {
        StringBuilder updates = new StringBuilder();
        for (String sum : SUMS.split(", ")) {
            if (updates.length() > 0) {
                updates.append(", ");
            }
            updates.append(sum).append(" = ").append(table).append('.').append(sum).append(" + EXCLUDED.").append(sum);
        }
        return updates.toString();
    }

    /**
     * H2 has no insert that says which rows it skipped: read which ids exist, then insert the rest
     * in one batch. A concurrent insert of the same id fails the batch with a duplicate key, and
     * {@link #append} runs it again.
     */
    private static List<UsageEvent> insertH2(Connection c, List<UsageEvent> events) throws SQLException {
        Set<String> existing = new HashSet<>();
        for (int from = 0; from < events.size(); from += 500) {
            List<UsageEvent> chunk = events.subList(from, Math.min(events.size(), from + 500));
            String sql = "SELECT request_id FROM maas_usage_event WHERE request_id IN ("
                    + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i).requestId());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        existing.add(rs.getString(1));
                    }
                }
            }
        }
        List<UsageEvent> fresh = new ArrayList<>();
        for (UsageEvent e : events) {
            if (!existing.contains(e.requestId())) {
                fresh.add(e);
            }
        }
        if (fresh.isEmpty()) {
            return fresh;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO maas_usage_event (" + EVENT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (UsageEvent e : fresh) {
                ps.setString(1, e.requestId());
                ps.setObject(2, Database.timestamp(e.startedAt()));
                ps.setObject(3, Database.timestamp(e.endedAt()));
                ps.setString(4, e.keyId());
                ps.setString(5, e.user());
                ps.setString(6, Json.groups(e.groups()));
                ps.setString(7, e.subscription());
                ps.setString(8, e.model());
                ps.setString(9, e.endpoint().name());
                ps.setLong(10, e.promptTokens());
                ps.setLong(11, e.completionTokens());
                ps.setBoolean(12, e.estimated());
                ps.setBigDecimal(13, e.cost());
                ps.setInt(14, e.httpStatus());
                ps.setString(15, e.outcome().name());
                ps.setBoolean(16, e.streamed());
                ps.setString(17, Json.chargeback(e.chargeback()));
                ps.setBoolean(18, e.anomalous());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return fresh;
    }

    private static void upsertH2(Connection c, Rollup rollup, TreeMap<List<Object>, Sums> rows) throws SQLException {
        List<String> columns = new ArrayList<>();
        columns.add("bucket_hour");
        columns.addAll(rollup.dims);
        columns.addAll(Arrays.asList(SUMS.split(", ")));
        StringBuilder values = new StringBuilder("CAST(? AS TIMESTAMP WITH TIME ZONE)");
        for (int d = 0; d < rollup.dims.size(); d++) {
            values.append(", CAST(? AS VARCHAR)");
        }
        values.append(", CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT),"
                + " CAST(? AS BIGINT), CAST(? AS NUMERIC(38, 18))");
        StringBuilder on = new StringBuilder("t.bucket_hour = s.bucket_hour");
        for (String dim : rollup.dims) {
            on.append(" AND t.").append(dim).append(" = s.").append(dim);
        }
        StringBuilder updates = new StringBuilder();
        for (String sum : SUMS.split(", ")) {
            if (updates.length() > 0) {
                updates.append(", ");
            }
            updates.append(sum).append(" = t.").append(sum).append(" + s.").append(sum);
        }
        String list = String.join(", ", columns);
        String sql = "MERGE INTO " + rollup.table + " t USING (VALUES (" + values + ")) s(" + list + ") ON " + on
                + " WHEN MATCHED THEN UPDATE SET " + updates
                + " WHEN NOT MATCHED THEN INSERT (" + list + ") VALUES (s." + String.join(", s.", columns) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Map.Entry<List<Object>, Sums> row : rows.entrySet()) {
                int p = 1;
                ps.setObject(p++, Database.timestamp(Instant.ofEpochSecond((Long) row.getKey().get(0))));
                for (int d = 0; d < rollup.dims.size(); d++) {
                    ps.setString(p++, (String) row.getKey().get(d + 1));
                }
                Sums s = row.getValue();
                ps.setLong(p++, s.requests);
                ps.setLong(p++, s.successful);
                ps.setLong(p++, s.prompt);
                ps.setLong(p++, s.completion);
                ps.setLong(p++, s.estimated);
                ps.setBigDecimal(p, s.cost);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** Counts of events, added up in Java before they go to a rollup. */
    private static final class Sums {
        long requests;
        long successful;
        long prompt;
        long completion;
        long estimated;
        BigDecimal cost = BigDecimal.ZERO;

        void add(UsageEvent e) {
            requests++;
            successful += e.successful() ? 1 : 0;
            prompt += e.promptTokens();
            completion += e.completionTokens();
            estimated += e.estimated() ? 1 : 0;
            cost = cost.add(e.cost());
        }
    }

    // ------------------------------------------------------------------ reading

    /** Totals of the matching events. */
    public UsageTotals totals(UsageQuery query) {
        Objects.requireNonNull(query, "query");
        UsageTotals total = UsageTotals.ZERO;
        for (Row row : aggregate(query, null, false)) {
            total = total.plus(row.totals);
        }
        return normalize(total);
    }

    /** A series of the matching events, empty buckets left out. */
    public List<UsageBucket> series(UsageQuery query, Granularity granularity) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(granularity, "granularity");
        TreeMap<Instant, UsageTotals> buckets = new TreeMap<>();
        for (Row row : aggregate(query, null, true)) {
            buckets.merge(granularity.bucketStart(row.hour), row.totals, UsageTotals::plus);
        }
        List<UsageBucket> series = new ArrayList<>(buckets.size());
        buckets.forEach((start, totals) -> {
            if (totals.requests() > 0) {
                series.add(new UsageBucket(start, normalize(totals)));
            }
        });
        return series;
    }

    /** Totals per value of {@code dimension}. */
    public Map<String, UsageTotals> totalsBy(UsageDimension dimension, UsageQuery query) {
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(query, "query");
        Map<String, UsageTotals> result = new HashMap<>();
        for (Row row : aggregate(query, dimension, false)) {
            result.merge(row.value, row.totals, UsageTotals::plus);
        }
        result.replaceAll((k, v) -> normalize(v));
        result.values().removeIf(t -> t.requests() == 0);
        return result;
    }

    /** Streams the matching events, oldest first, holding one connection while it does. */
    public void forEach(UsageQuery query, Consumer<UsageEvent> sink) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(sink, "sink");
        if (!query.from().isBefore(query.to())) {
            return;
        }
        List<Object> params = new ArrayList<>();
        String where = rawWhere(query, query.from(), query.to(), params);
        String group = query.filters().get(UsageDimension.GROUP);
        db.transaction("read usage events", h -> {
            // a cursor (fetch size inside a transaction) so that an export of millions streams
            var q = h.createQuery("SELECT " + EVENT_COLUMNS + " FROM maas_usage_event WHERE " + where
                    + " ORDER BY started_at, request_id").setFetchSize(1_000);
            for (int i = 0; i < params.size(); i++) {
                q.bind(i, params.get(i));
            }
            q.map((rs, ctx) -> event(rs)).useStream(stream -> stream
                    .filter(e -> group == null || e.groups().contains(group))
                    .forEach(sink));
            return null;
        });
    }

    /** Deletes the events that started before {@code cutoff}, in chunks; rollups are kept. */
    public long purgeBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        long total = 0;
        while (true) {
            int n = db.call("purge usage events", h -> h.createUpdate("DELETE FROM maas_usage_event WHERE request_id IN"
                            + " (SELECT request_id FROM maas_usage_event WHERE started_at < ? FETCH FIRST 10000 ROWS ONLY)")
                    .bind(0, Database.timestamp(cutoff)).execute());
            total += n;
            if (n == 0) {
                return total;
            }
        }
    }

    private static UsageEvent event(ResultSet rs) throws SQLException {
        return new UsageEvent(rs.getString("request_id"), rs.getString("key_id"), rs.getString("user_name"),
                Json.strings(rs.getString("groups_json")), rs.getString("subscription"), rs.getString("model"),
                EndpointKind.valueOf(rs.getString("endpoint")),
                new TokenUsage(rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"), rs.getBoolean("estimated")),
                strip(rs.getBigDecimal("cost")), rs.getInt("http_status"), Outcome.valueOf(rs.getString("outcome")),
                Database.instant(rs, "started_at"), Database.instant(rs, "ended_at"), rs.getBoolean("streamed"),
                Json.tokenMetadata(rs.getString("chargeback_json")), rs.getBoolean("anomalous"));
    }

    private static BigDecimal strip(BigDecimal value) {
        if (value == null || value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static UsageTotals normalize(UsageTotals t) {
        return new UsageTotals(t.requests(), t.successfulRequests(), t.promptTokens(), t.completionTokens(),
                t.estimatedRequests(), strip(t.cost()));
    }

    /** Aggregated usage: per hour when asked, per value of a dimension when asked. */
    private record Row(Instant hour, String value, UsageTotals totals) {
    }

    private List<Row> aggregate(UsageQuery query, UsageDimension by, boolean perHour) {
        Instant from = query.from();
        Instant to = query.to();
        List<Row> rows = new ArrayList<>();
        if (!from.isBefore(to)) {
            return rows;
        }
        Rollup rollup = rollupFor(query, by);
        if (rollup == null) {
            // a group with a key or a user: no rollup keeps both, the events answer (exactly, slower)
            rows.addAll(raw(query, by, perHour, from, to));
            return rows;
        }
        Instant h1 = from.truncatedTo(ChronoUnit.HOURS);
        if (h1.isBefore(from)) {
            h1 = h1.plus(1, ChronoUnit.HOURS);
        }
        Instant h2 = to.truncatedTo(ChronoUnit.HOURS);
        if (h1.isAfter(h2)) {
            // from and to fall in the same hour
            rows.addAll(raw(query, by, false, from, to));
            return rows;
        }
        if (h1.isBefore(h2)) {
            rows.addAll(rollup(rollup, query, by, perHour, h1, h2));
        }
        // the partial hours at either end lie within one hour each
        if (from.isBefore(h1)) {
            rows.addAll(raw(query, by, false, from, h1));
        }
        if (h2.isBefore(to)) {
            rows.addAll(raw(query, by, false, h2, to));
        }
        return rows;
    }

    private static String column(UsageDimension dimension) {
        return switch (dimension) {
            case KEY -> "key_id";
            case USER -> "user_name";
            case MODEL -> "model";
            case SUBSCRIPTION -> "subscription";
            case GROUP -> "group_name";
        };
    }

    /** The rollup that keeps every dimension the query uses, or {@code null} when none does. */
    private static Rollup rollupFor(UsageQuery query, UsageDimension by) {
        Set<UsageDimension> dims = EnumSet.noneOf(UsageDimension.class);
        dims.addAll(query.filters().keySet());
        if (by != null) {
            dims.add(by);
        }
        if (by == UsageDimension.GROUP && query.filters().containsKey(UsageDimension.GROUP)) {
            // events of one group broken down by all their groups: a rollup row knows only one group
            return null;
        }
        if (EnumSet.of(UsageDimension.MODEL, UsageDimension.SUBSCRIPTION).containsAll(dims)) {
            return Rollup.MODEL;
        }
        if (!dims.contains(UsageDimension.GROUP)) {
            return Rollup.HOURLY;
        }
        if (EnumSet.of(UsageDimension.GROUP, UsageDimension.MODEL, UsageDimension.SUBSCRIPTION).containsAll(dims)) {
            return Rollup.GROUP;
        }
        return null;
    }

    private List<Row> rollup(Rollup rollup, UsageQuery query, UsageDimension by, boolean perHour, Instant from,
                             Instant to) {
        List<String> select = new ArrayList<>();
        if (perHour) {
            select.add("bucket_hour");
        }
        if (by != null) {
            select.add(column(by));
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String s : select) {
            sql.append(s).append(", ");
        }
        sql.append("SUM(requests), SUM(successful), SUM(prompt_tokens), SUM(completion_tokens), SUM(estimated),"
                + " SUM(cost) FROM ").append(rollup.table).append(" WHERE bucket_hour >= ? AND bucket_hour < ?");
        List<Object> params = new ArrayList<>(List.of(Database.timestamp(from), Database.timestamp(to)));
        for (Map.Entry<UsageDimension, String> f : new TreeMap<>(query.filters()).entrySet()) {
            sql.append(" AND ").append(column(f.getKey())).append(" = ?");
            params.add(f.getValue());
        }
        if (!select.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", select));
        }
        return db.call("read usage", h -> {
            var q = h.createQuery(sql.toString());
            for (int i = 0; i < params.size(); i++) {
                q.bind(i, params.get(i));
            }
            return q.map((rs, ctx) -> {
                int c = 1;
                Instant hour = perHour ? Database.instant(rs, "bucket_hour") : null;
                if (perHour) {
                    c++;
                }
                String value = by != null ? rs.getString(c++) : null;
                return new Row(hour, value, totals(rs, c));
            }).list();
        }).stream().filter(r -> r.totals.requests() > 0).toList();
    }

    /**
     * Events aggregated in SQL, per hour when {@code perHour} (else the range lies within one hour);
     * group membership is resolved here from each distinct set of groups.
     */
    private List<Row> raw(UsageQuery query, UsageDimension by, boolean perHour, Instant from, Instant to) {
        boolean groups = by == UsageDimension.GROUP || query.filters().containsKey(UsageDimension.GROUP);
        List<String> select = new ArrayList<>();
        if (perHour) {
            select.add(db.dialect() == Dialect.POSTGRESQL ? "date_trunc('hour', started_at, 'UTC')"
                    : "DATE_TRUNC('HOUR', started_at)");
        }
        if (by != null && by != UsageDimension.GROUP) {
            select.add(column(by));
        }
        if (groups) {
            select.add("groups_json");
        }
        List<Object> params = new ArrayList<>();
        String where = rawWhere(query, from, to, params);
        StringBuilder sql = new StringBuilder("SELECT ");
        for (String s : select) {
            sql.append(s).append(", ");
        }
        sql.append("COUNT(*), SUM(CASE WHEN outcome = 'SUCCESS' AND http_status < 400 THEN 1 ELSE 0 END),"
                + " SUM(prompt_tokens), SUM(completion_tokens), SUM(CASE WHEN estimated THEN 1 ELSE 0 END), SUM(cost)"
                + " FROM maas_usage_event WHERE ").append(where);
        if (!select.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", select));
        }
        Instant rangeHour = from.truncatedTo(ChronoUnit.HOURS);
        String group = query.filters().get(UsageDimension.GROUP);
        List<Row> rows = new ArrayList<>();
        db.call("read usage", h -> {
            var q = h.createQuery(sql.toString());
            for (int i = 0; i < params.size(); i++) {
                q.bind(i, params.get(i));
            }
            q.map((rs, ctx) -> {
                int c = 1;
                Instant hour = perHour ? rs.getObject(c++, java.time.OffsetDateTime.class).toInstant() : rangeHour;
                String value = by != null && by != UsageDimension.GROUP ? rs.getString(c++) : null;
                Set<String> eventGroups = groups ? Json.strings(rs.getString(c++)) : Set.of();
                UsageTotals totals = totals(rs, c);
                if (totals.requests() == 0 || group != null && !eventGroups.contains(group)) {
                    return List.<Row>of();
                }
                if (by == UsageDimension.GROUP) {
                    return eventGroups.stream().map(g -> new Row(hour, g, totals)).toList();
                }
                return List.of(new Row(hour, value, totals));
            }).forEach(rows::addAll);
            return null;
        });
        return rows;
    }

    private static String rawWhere(UsageQuery query, Instant from, Instant to, List<Object> params) {
        StringBuilder where = new StringBuilder("started_at >= ? AND started_at < ?");
        params.add(Database.timestamp(from));
        params.add(Database.timestamp(to));
        for (Map.Entry<UsageDimension, String> f : new TreeMap<>(query.filters()).entrySet()) {
            if (f.getKey() != UsageDimension.GROUP) {
                where.append(" AND ").append(column(f.getKey())).append(" = ?");
                params.add(f.getValue());
            }
        }
        return where.toString();
    }

    private static UsageTotals totals(ResultSet rs, int first) throws SQLException {
        BigDecimal cost = rs.getBigDecimal(first + 5);
        return new UsageTotals(rs.getLong(first), rs.getLong(first + 1), rs.getLong(first + 2), rs.getLong(first + 3),
                rs.getLong(first + 4), cost == null ? BigDecimal.ZERO : cost);
    }
}
