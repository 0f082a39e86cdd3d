package dev.maas4j.core.internal;

import dev.maas4j.api.Ticker;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageLedger;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends a {@link UsageRecorder}'s batches to the {@link UsageLedger}, retrying a failed append
 * with the same batch and exponential backoff until it succeeds or close gives up on the ledger
 * ({@link #abandon()}). The ledger's idempotence by request id makes a retry after a partial
 * failure count once. The batch being appended stays visible in {@link #inFlight()}, so that
 * events are never out of sight of {@link UsageRecorder#unwritten()}.
 *
 * <p><b>Thread-safety.</b> {@link #append} runs on the writer thread only, one batch at a time;
 * {@link #abandon()}, {@link #abandoned()} and {@link #inFlight()} may be called from any thread.
 */
final class BatchAppender {
    // the recorder's logger, as before its parts were split out: log configuration names it
    private static final Logger LOG = LoggerFactory.getLogger(UsageRecorder.class);

    private final UsageLedger ledger;
    private final UsageBuffer buffer;
    private final UsageMeters meters;
    private final Ticker ticker;
    private final long minBackoffNanos;
    private final long maxBackoffNanos;
    /** How long one park may last, see {@link UsageWriter#maxParkNanos}. */
    private final long maxParkNanos;
    /** Set by close when closeTimeout has passed: no more retries, the batch stays in {@link #inFlight}. */
    private volatile boolean abandoned;
    /** The batch being appended; published before each append. */
    private volatile List<UsageEvent> inFlight = List.of();

    BatchAppender(UsageLedger ledger, UsageBuffer buffer, UsageRecorder.Settings settings, UsageMeters meters,
                  long maxParkNanos) {
        this.ledger = ledger;
        this.buffer = buffer;
        this.meters = meters;
        this.ticker = settings.ticker();
        this.minBackoffNanos = settings.minBackoff().toNanos();
        this.maxBackoffNanos = settings.maxBackoff().toNanos();
        this.maxParkNanos = maxParkNanos;
    }

    /**
     * Appends one batch, retrying the same batch with exponential backoff until it succeeds, then
     * counts it as written.
     *
     * @return {@code false} if close gave up on the ledger first (the batch stays in {@link #inFlight})
     */
    boolean append(List<UsageEvent> batch) {
        List<UsageEvent> frozen = Collections.unmodifiableList(batch);
        inFlight = frozen;
        long backoff = minBackoffNanos;
        int failures = 0;
        long outageStart = 0;
        while (true) {
            try {
                int stored = ledger.append(frozen);
                if (stored < frozen.size()) {
                    LOG.debug("ledger already held {} of {} events (a replay)", frozen.size() - stored, frozen.size());
                }
                break;
            } catch (Exception e) {
                // Exception, not RuntimeException: a ledger may throw checked exceptions sneakily
                meters.failures.increment();
                failures++;
                if (failures == 1) {
                    outageStart = ticker.read();
                    LOG.warn("usage ledger append failed; retrying the batch of {} events with backoff "
                            + "({} events pending)", frozen.size(), buffer.pending(), e);
                }
                if (!sleep(backoff)) {
                    return false;
                }
                backoff = Math.min(maxBackoffNanos, backoff * 2);
            }
        }
        // counted as written only now that the ledger holds the batch: flush() relies on it
        buffer.markWritten(frozen.size());
        inFlight = List.of();
        if (failures > 0) {
            LOG.info("usage ledger recovered after {} failed attempts over {} ms", failures,
                    TimeUnit.NANOSECONDS.toMillis(ticker.read() - outageStart));
        }
        meters.written.increment(frozen.size());
        meters.batchSize.record(frozen.size());
        return true;
    }

    /** Parks for the backoff; {@code false} if close gave up meanwhile. */
    private boolean sleep(long nanos) {
        long deadline = ticker.read() + nanos;
        long remaining;
        while (!abandoned && (remaining = deadline - ticker.read()) > 0) {
            // an interrupt means nothing here (close() is how to stop), and a pending one would
            // make every park return at once
            Thread.interrupted();
            LockSupport.parkNanos(this, Math.min(remaining, maxParkNanos));
        }
        return !abandoned;
    }

    /** Gives up on the ledger: the retry in progress, if any, ends at its next wake-up. */
    void abandon() {
        abandoned = true;
    }

    boolean abandoned() {
        return abandoned;
    }

    /** The batch whose append is running or being retried; empty between batches. */
    List<UsageEvent> inFlight() {
        return inFlight;
    }
}
