package dev.maas4j.core.internal;

import dev.maas4j.api.Granularity;
import dev.maas4j.api.UsageBucket;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The usage ledger of {@link dev.maas4j.core.InMemoryStore}: one map by request id decides
 * idempotence, one ordered by start time (then request id) answers range queries.
 *
 * <p>Thread-safe: both maps are concurrent, and the id map alone decides which of several
 * concurrent appenders stores an event.
 */
public final class MemoryLedger implements UsageLedger {
    private final ConcurrentMap<String, UsageEvent> eventsByRequestId = new ConcurrentHashMap<>();
    private final ConcurrentNavigableMap<EventKey, UsageEvent> eventsByTime = new ConcurrentSkipListMap<>();

    /** An empty ledger. */
    public MemoryLedger() {
    }

    @Override
    public int append(List<UsageEvent> batch) {
        Objects.requireNonNull(batch, "batch");
        // validate first: the SPI promises all or nothing
        for (UsageEvent event : batch) {
            Objects.requireNonNull(event, "batch element");
        }
        int stored = 0;
        for (UsageEvent event : batch) {
            // the id map decides atomically which of several concurrent appenders stores the event
            if (eventsByRequestId.putIfAbsent(event.requestId(), event) == null) {
                eventsByTime.put(EventKey.of(event), event);
                stored++;
            }
        }
        return stored;
    }

    @Override
    public UsageTotals totals(UsageQuery query) {
        Accumulator total = new Accumulator();
        scan(query, total::add);
        return total.toTotals();
    }

    @Override
    public List<UsageBucket> series(UsageQuery query, Granularity granularity) {
        Objects.requireNonNull(granularity, "granularity");
        TreeMap<Instant, Accumulator> buckets = new TreeMap<>();
        scan(query, event -> buckets.computeIfAbsent(granularity.bucketStart(event.startedAt()),
                start -> new Accumulator()).add(event));
        List<UsageBucket> result = new ArrayList<>(buckets.size());
        buckets.forEach((start, acc) -> result.add(new UsageBucket(start, acc.toTotals())));
        return Collections.unmodifiableList(result);
    }

    @Override
    public Map<String, UsageTotals> totalsBy(UsageDimension dimension, UsageQuery query) {
        Objects.requireNonNull(dimension, "dimension");
        TreeMap<String, Accumulator> byValue = new TreeMap<>();
        scan(query, event -> {
            if (dimension == UsageDimension.GROUP) {
                for (String group : event.groups()) {
                    byValue.computeIfAbsent(group, g -> new Accumulator()).add(event);
                }
            } else {
                byValue.computeIfAbsent(valueOf(dimension, event), v -> new Accumulator()).add(event);
            }
        });
        Map<String, UsageTotals> result = new LinkedHashMap<>();
        byValue.forEach((value, acc) -> result.put(value, acc.toTotals()));
        return Collections.unmodifiableMap(result);
    }

    @Override
    public void forEach(UsageQuery query, Consumer<UsageEvent> sink) {
        Objects.requireNonNull(sink, "sink");
        scan(query, sink);
    }

    /** Removes the events that started before {@code cutoff}; see {@link dev.maas4j.core.InMemoryStore#purgeBefore}. */
    public int purgeBefore(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        int removed = 0;
        for (Map.Entry<EventKey, UsageEvent> entry : eventsByTime.headMap(EventKey.first(cutoff)).entrySet()) {
            // time index first: while the id stays in the other map a concurrent replay is skipped
            if (eventsByTime.remove(entry.getKey(), entry.getValue())) {
                eventsByRequestId.remove(entry.getKey().requestId(), entry.getValue());
                removed++;
            }
        }
        return removed;
    }

    private void scan(UsageQuery query, Consumer<UsageEvent> sink) {
        Objects.requireNonNull(query, "query");
        // the range is matched by the index; the filters (and the range again) by the query itself
        for (UsageEvent event : eventsByTime.subMap(EventKey.first(query.from()), EventKey.first(query.to()))
                .values()) {
            if (query.matches(event)) {
                sink.accept(event);
            }
        }
    }

    private static String valueOf(UsageDimension dimension, UsageEvent event) {
        return switch (dimension) {
            case KEY -> event.keyId();
            case USER -> event.user();
            case MODEL -> event.model();
            case SUBSCRIPTION -> event.subscription();
            case GROUP -> throw new IllegalArgumentException("an event has several groups");
        };
    }

    /** Orders events by start, then request id (unique). */
    private record EventKey(Instant startedAt, String requestId) implements Comparable<EventKey> {
        static EventKey of(UsageEvent event) {
            return new EventKey(event.startedAt(), event.requestId());
        }

        /** Sorts before every event that starts at {@code at}: request ids are never empty. */
        static EventKey first(Instant at) {
            return new EventKey(at, "");
        }

        @Override
        public int compareTo(EventKey other) {
            int byTime = startedAt.compareTo(other.startedAt);
            return byTime != 0 ? byTime : requestId.compareTo(other.requestId);
        }
    }

    /** Sums events without allocating per event; the cost sum is exact. */
    private static final class Accumulator {
        private long requests;
        private long successful;
        private long promptTokens;
        private long completionTokens;
        private long estimated;
        private BigDecimal cost = BigDecimal.ZERO;

        void add(UsageEvent event) {
            requests++;
            if (event.successful()) {
                successful++;
            }
            promptTokens += event.promptTokens();
            completionTokens += event.completionTokens();
            if (event.estimated()) {
                estimated++;
            }
            cost = cost.add(event.cost());
        }

        UsageTotals toTotals() {
            return new UsageTotals(requests, successful, promptTokens, completionTokens, estimated, cost);
        }
    }
}
