package dev.maas4j.api;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The durable record of usage.
 *
 * <p>Implementations must be thread-safe. {@link #append(List)} is idempotent by
 * {@link UsageEvent#requestId()}: an event whose request id is already stored is skipped, so a
 * batch replayed after a failure counts once.
 */
public interface UsageLedger {

    /**
     * Stores a batch of events, skipping those already stored.
     *
     * @return how many events were newly stored
     * @throws StoreException if the batch could not be stored (nothing or all of it is stored)
     */
    int append(List<UsageEvent> batch);

    /** Totals of the events the query matches. */
    UsageTotals totals(UsageQuery query);

    /** A time series of the events the query matches; buckets with no event are left out. */
    List<UsageBucket> series(UsageQuery query, Granularity granularity);

    /** Totals of the matching events per value of {@code dimension}. */
    Map<String, UsageTotals> totalsBy(UsageDimension dimension, UsageQuery query);

    /** Streams every matching event, oldest first, to {@code sink} (for exports). */
    void forEach(UsageQuery query, Consumer<UsageEvent> sink);
}
