package dev.maas4j.core;

import dev.maas4j.api.Granularity;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import dev.maas4j.core.internal.UsageRecorder;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The usage the engine metered: reports, totals and events from the ledger, and a way to wait
 * until what was settled is written there. Obtained from {@link MaasEngine#usage()}.
 *
 * <pre>{@code
 * UsageQuery query = UsageQuery.between(monthStart, now).where(UsageDimension.USER, "alice");
 * UsageReport report = engine.usage().report(query, Granularity.DAY);
 * BigDecimal spent = report.totals().cost();
 * }</pre>
 *
 * <p>Settled requests reach the ledger in batches shortly after they end; {@link #flush} waits for
 * them, so that a report right after a request includes it. Thread-safe; the ledger does the I/O.
 */
public final class UsageService {
    private final UsageLedger ledger;
    private final UsageRecorder recorder;

    UsageService(UsageLedger ledger, UsageRecorder recorder) {
        this.ledger = ledger;
        this.recorder = recorder;
    }

    /** Totals and a time series of the usage {@code query} matches. */
    public UsageReport report(UsageQuery query, Granularity granularity) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(granularity, "granularity");
        return new UsageReport(ledger.totals(query), granularity, ledger.series(query, granularity));
    }

    /** The totals of the usage {@code query} matches. */
    public UsageTotals totals(UsageQuery query) {
        return ledger.totals(Objects.requireNonNull(query, "query"));
    }

    /** The totals of the usage {@code query} matches, per value of {@code dimension}. */
    public Map<String, UsageTotals> totalsBy(UsageDimension dimension, UsageQuery query) {
        return ledger.totalsBy(Objects.requireNonNull(dimension, "dimension"), Objects.requireNonNull(query, "query"));
    }

    /** Hands every event {@code query} matches to {@code sink}, oldest first, without holding them all. */
    public void forEach(UsageQuery query, Consumer<UsageEvent> sink) {
        ledger.forEach(Objects.requireNonNull(query, "query"), Objects.requireNonNull(sink, "sink"));
    }

    /**
     * Waits until every usage event settled so far is written to the ledger.
     *
     * @return {@code false} if {@code timeout} passed first
     */
    public boolean flush(Duration timeout) {
        return recorder.flush(Objects.requireNonNull(timeout, "timeout"));
    }
}
