package dev.maas4j.api;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which usage events to aggregate: a time range (by {@link UsageEvent#startedAt()}, start
 * inclusive, end exclusive) and exact-match filters on any {@link UsageDimension}.
 *
 * @param from    range start, inclusive
 * @param to      range end, exclusive
 * @param filters values the events must have, by dimension
 */
public record UsageQuery(Instant from, Instant to, Map<UsageDimension, String> filters) {

    /** Validates and copies the components. */
    public UsageQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from");
        }
        filters = Checks.map(filters, "filters");
    }

    /** All events in the range. */
    public static UsageQuery between(Instant from, Instant to) {
        return new UsageQuery(from, to, Map.of());
    }

    /** This query with one more filter. */
    public UsageQuery where(UsageDimension dimension, String value) {
        Map<UsageDimension, String> copy = new EnumMap<>(UsageDimension.class);
        copy.putAll(filters);
        copy.put(Objects.requireNonNull(dimension, "dimension"), Checks.notBlank(value, "value"));
        return new UsageQuery(from, to, copy);
    }

    /** Whether {@code event} falls in the range and passes every filter. */
    public boolean matches(UsageEvent event) {
        Instant at = event.startedAt();
        if (at.isBefore(from) || !at.isBefore(to)) {
            return false;
        }
        for (Map.Entry<UsageDimension, String> filter : filters.entrySet()) {
            if (!filter.getKey().matches(event, filter.getValue())) {
                return false;
            }
        }
        return true;
    }
}
