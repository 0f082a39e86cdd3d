package dev.maas4j.management.internal;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.Granularity;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.core.UsageReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api-keys/{id}/usage} (the key's owner, or readers of everything), {@code /usage} and
 * {@code /usage/export.csv} (readers of everything). Thread-safe.
 */
final class UsageResource {
    private static final Logger LOG = LoggerFactory.getLogger(UsageResource.class);
    /** The longest range a query may cover; bounds the work of one request. */
    private static final Duration MAX_RANGE = Duration.ofDays(366);
    /** Beyond this many buckets, empty ones are not filled in. */
    private static final int MAX_FILLED_BUCKETS = 10_000;
    private static final Map<String, UsageDimension> DIMENSIONS = dimensions();

    private final MaasEngine engine;
    private final KeyResource keys;

    UsageResource(MaasEngine engine, KeyResource keys) {
        this.engine = engine;
        this.keys = keys;
    }

    void routes(Router router) {
        router.add("GET", "/api-keys/{id}/usage", this::keyUsage)
                .add("GET", "/usage", this::report)
                .add("GET", "/usage/export.csv", this::export);
    }

    private static Map<String, UsageDimension> dimensions() {
        Map<String, UsageDimension> m = new LinkedHashMap<>();
        m.put("user", UsageDimension.USER);
        m.put("group", UsageDimension.GROUP);
        m.put("model", UsageDimension.MODEL);
        m.put("subscription", UsageDimension.SUBSCRIPTION);
        m.put("key", UsageDimension.KEY);
        return m;
    }

    /** The key-usage ranges: their bucket width and number of buckets, the last one partial. */
    private enum KeyRange {
        LAST_24_HOURS("24h", Granularity.HOUR, 24),
        LAST_7_DAYS("7d", Granularity.DAY, 7),
        LAST_30_DAYS("30d", Granularity.DAY, 30);

        final String wire;
        final Granularity granularity;
        final int buckets;

        KeyRange(String wire, Granularity granularity, int buckets) {
            this.wire = wire;
            this.granularity = granularity;
            this.buckets = buckets;
        }

        static KeyRange parse(Optional<String> text) {
            for (KeyRange range : values()) {
                if (range.wire.equals(text.orElse(""))) {
                    return range;
                }
            }
            throw ApiException.invalid("range", "range must be one of 24h, 7d, 30d");
        }
    }

    private void keyUsage(Call call) throws IOException {
        ApiKey key = keys.visibleKey(call, call.variable("id"));
        KeyRange range = KeyRange.parse(call.query("range"));
        Granularity granularity = range.granularity;
        Instant to = call.now;
        // from is aligned so that the series has exactly `buckets` points, the current one partial
        Instant from = granularity.bucketStart(to).minus(granularity.width().multipliedBy(range.buckets - 1L));
        UsageReport report = engine.usage().report(UsageQuery.between(from, to).where(UsageDimension.KEY, key.id()),
                granularity);
        call.json(200, new UsageJson.KeyUsage(key.id(), range.wire, from.toString(), to.toString(),
                granularity.name().toLowerCase(Locale.ROOT), currency().orElse(null),
                UsageJson.Totals.of(report.totals()), series(report.series(), granularity, from, to)));
    }

    private void report(Call call) throws IOException {
        Access.requireReadAll(call.caller, "usage across keys");
        Window window = window(call);
        Map<String, String> filters = filters(call);
        Granularity granularity = granularity(call, Duration.between(window.from, window.to));
        UsageQuery query = query(window, filters);
        List<String> groupBy = new ArrayList<>();
        for (String name : call.query("groupBy").map(g -> g.split(",", -1)).orElse(new String[0])) {
            String dimension = name.trim();
            if (!DIMENSIONS.containsKey(dimension)) {
                throw ApiException.invalid("groupBy", "groupBy must be a comma-separated list of "
                        + String.join(", ", DIMENSIONS.keySet()));
            }
            if (!groupBy.contains(dimension)) {
                groupBy.add(dimension);
            }
        }
        UsageReport report = engine.usage().report(query, granularity);
        List<UsageJson.Group> groups = groupBy.isEmpty() ? List.of() : groups(query, groupBy);
        call.json(200, new UsageJson.Report(window.from.toString(), window.to.toString(), groupBy,
                currency().orElse(null), filters, UsageJson.Totals.of(report.totals()), groups,
                granularity.name().toLowerCase(Locale.ROOT),
                series(report.series(), granularity, window.from, window.to)));
    }

    /** Totals per combination of the dimensions' values, the most tokens first. */
    private List<UsageJson.Group> groups(UsageQuery query, List<String> groupBy) {
        Map<Map<String, String>, UsageTotals> totals = new LinkedHashMap<>();
        if (groupBy.size() == 1) {
            // the ledger aggregates a single dimension itself, possibly in its database
            String name = groupBy.get(0);
            engine.usage().totalsBy(DIMENSIONS.get(name), query).forEach((value, t) -> totals.put(Map.of(name, value), t));
        } else {
            engine.usage().forEach(query, event -> {
                for (Map<String, String> combination : combinations(event, groupBy)) {
                    totals.merge(combination, UsageTotals.ZERO.plus(event), UsageTotals::plus);
                }
            });
        }
        return totals.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<Map<String, String>, UsageTotals> e) ->
                                e.getValue().totalTokens()).reversed()
                        .thenComparing(e -> e.getKey().toString()))
                .map(e -> new UsageJson.Group(new java.util.TreeMap<>(e.getKey()), UsageJson.Totals.of(e.getValue())))
                .toList();
    }

    /** The combinations an event counts in: one, or one per group of the user when grouping by group. */
    private static List<Map<String, String>> combinations(UsageEvent event, List<String> groupBy) {
        List<Map<String, String>> result = List.of(Map.of());
        for (String name : groupBy) {
            List<String> values = switch (name) {
                case "user" -> List.of(event.user());
                case "model" -> List.of(event.model());
                case "subscription" -> List.of(event.subscription());
                case "key" -> List.of(event.keyId());
                default -> List.copyOf(event.groups());
            };
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : result) {
                for (String value : values) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(name, value);
                    next.add(m);
                }
            }
            result = next;
        }
        return result;
    }

    /** The currency of the costs, when every priced model uses the same one. */
    private Optional<String> currency() {
        List<String> currencies = engine.catalog().models().stream()
                .flatMap(m -> m.price().stream()).map(p -> p.currency()).distinct().toList();
        return currencies.size() == 1 ? Optional.of(currencies.get(0)) : Optional.empty();
    }

    private void export(Call call) throws IOException {
        Access.requireReadAll(call.caller, "exporting usage");
        Window window = window(call);
        Map<String, String> filters = filters(call);
        UsageQuery query = query(window, filters);
        var response = call.response;
        response.setStatus(200);
        response.setContentType("text/csv");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Disposition", "attachment; filename=\"usage-"
                + window.from.toString().replace(':', '-') + "-" + window.to.toString().replace(':', '-') + ".csv\"");
        Writer out = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
                16 * 1024);
        Csv csv = new Csv(out);
        try {
            csv.row(Csv.HEADER);
            engine.usage().forEach(query, event -> {
                try {
                    csv.row(Csv.fields(event));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (UncheckedIOException e) {
            // the client went away mid-export: nothing to answer, the status is already sent
            LOG.debug("usage export aborted: {}", e.getCause().getMessage());
        }
    }

    // ------------------------------------------------------------------ parameters

    private record Window(Instant from, Instant to) {
    }

    private static Window window(Call call) {
        Optional<String> range = call.query("range");
        Optional<String> from = call.query("from");
        Optional<String> to = call.query("to");
        if (range.isPresent() && from.isPresent()) {
            throw ApiException.invalid("range", "range and from are mutually exclusive: give one of them");
        }
        Instant end = to.map(t -> Text.parseInstant(t, "to")).orElse(call.now);
        Instant start = from.isPresent() ? Text.parseInstant(from.get(), "from")
                : end.minus(range(range.orElse("24h")));
        if (!start.isBefore(end)) {
            throw ApiException.invalid("from", "from must be before to");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw ApiException.invalid("from", "the range from 'from' to 'to' must not exceed 366 days");
        }
        return new Window(start, end);
    }

    static Duration range(String text) {
        Duration range;
        try {
            range = Text.parseRelative(text, "range");
        } catch (ApiException e) {
            throw ApiException.invalid("range", "range must look like 24h, 7d or 30d");
        }
        if (range.compareTo(MAX_RANGE) > 0) {
            throw ApiException.invalid("range", "range must not exceed 366d");
        }
        return range;
    }

    private static Granularity granularity(Call call, Duration range) {
        Optional<String> text = call.query("granularity");
        if (text.isEmpty()) {
            return range.compareTo(Duration.ofDays(1)) <= 0 ? Granularity.HOUR : Granularity.DAY;
        }
        return switch (text.get()) {
            case "hour" -> Granularity.HOUR;
            case "day" -> Granularity.DAY;
            default -> throw ApiException.invalid("granularity", "granularity must be hour or day");
        };
    }

    /** The dimension filters asked for. */
    private static Map<String, String> filters(Call call) {
        Map<String, String> filters = new LinkedHashMap<>();
        for (String name : DIMENSIONS.keySet()) {
            Optional<String> value = call.query(name);
            if (value.isPresent()) {
                if (value.get().isBlank()) {
                    throw ApiException.invalid(name, name + " must not be blank");
                }
                filters.put(name, value.get());
            }
        }
        return filters;
    }

    private static UsageQuery query(Window window, Map<String, String> filters) {
        UsageQuery query = UsageQuery.between(window.from, window.to);
        for (Map.Entry<String, String> filter : filters.entrySet()) {
            query = query.where(DIMENSIONS.get(filter.getKey()), filter.getValue());
        }
        return query;
    }

    /** The series with empty buckets filled in with zeros, so that charts have every point. */
    private static List<UsageJson.Point> series(List<UsageBucket> buckets, Granularity granularity, Instant from,
                                                Instant to) {
        Instant first = granularity.bucketStart(from);
        long count = Duration.between(first, to).dividedBy(granularity.width()) + 1;
        if (count > MAX_FILLED_BUCKETS) {
            return buckets.stream().map(b -> UsageJson.Point.of(b.start(), b.totals())).toList();
        }
        Map<Instant, UsageTotals> byStart = new LinkedHashMap<>();
        for (UsageBucket bucket : buckets) {
            byStart.put(bucket.start(), bucket.totals());
        }
        List<UsageJson.Point> points = new ArrayList<>();
        for (Instant start = first; start.isBefore(to); start = start.plus(granularity.width())) {
            points.add(UsageJson.Point.of(start, byStart.getOrDefault(start, UsageTotals.ZERO)));
        }
        return points;
    }

    /** One CSV line per usage event. */
    static final class Csv {
        static final List<String> HEADER = List.of("request_id", "started_at", "ended_at", "key_id", "user", "groups",
                "subscription", "model", "endpoint", "streamed", "http_status", "outcome", "prompt_tokens",
                "completion_tokens", "total_tokens", "estimated", "cost", "organization_id", "cost_center");
        private final Writer out;

        Csv(Writer out) {
            this.out = out;
        }

        static List<String> fields(UsageEvent e) {
            return List.of(text(e.requestId()), e.startedAt().toString(), e.endedAt().toString(), text(e.keyId()),
                    text(e.user()), text(String.join(";", e.groups().stream().sorted().toList())),
                    text(e.subscription()), text(e.model()), e.endpoint().name().toLowerCase(Locale.ROOT),
                    Boolean.toString(e.streamed()), Integer.toString(e.httpStatus()),
                    e.outcome().name().toLowerCase(Locale.ROOT), Long.toString(e.promptTokens()),
                    Long.toString(e.completionTokens()), Long.toString(e.totalTokens()),
                    Boolean.toString(e.estimated()),
                    e.cost().signum() == 0 ? "0" : e.cost().stripTrailingZeros().toPlainString(),
                    text(e.chargeback().organizationId()), text(e.chargeback().costCenter()));
        }

        void row(List<String> fields) throws IOException {
            for (int i = 0; i < fields.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(escape(fields.get(i)));
            }
            out.write("\r\n");
        }

        /**
         * A free-text value made safe for spreadsheets: a value a spreadsheet would take for a
         * formula ({@code =}, {@code +}, {@code -}, {@code @}, tab, carriage return) gets a leading
         * apostrophe (OWASP's advice against CSV injection). Numbers and timestamps never pass here.
         */
        static String text(String value) {
            if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
                return "'" + value;
            }
            return value;
        }

        /** RFC 4180: a field with a comma, a quote or a line break is quoted, and its quotes doubled. */
        static String escape(String field) {
            boolean quote = false;
            for (int i = 0; i < field.length() && !quote; i++) {
                char c = field.charAt(i);
                quote = c == ',' || c == '"' || c == '\n' || c == '\r';
            }
            return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
        }
    }
}
