package dev.maas4j.core.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The counters of a {@link UsageRecorder} and its parts, all without tags (the recorder's
 * {@code maas.usage.pending} gauge stays with the recorder, which removes it at close).
 * Registered once per recorder; thread-safe, as Micrometer's meters are.
 */
final class UsageMeters {
    /** Events handed to the recorder. */
    final Counter recorded;
    /** Events in successful appends, replays included. */
    final Counter written;
    /** Events enqueued beyond capacity after waiting for room. */
    final Counter overflow;
    /** Failed append attempts. */
    final Counter failures;
    /** Events per batch written. */
    final DistributionSummary batchSize;

    UsageMeters(MeterRegistry registry) {
        recorded = Counter.builder("maas.usage.recorded")
                .description("usage events handed to the recorder").register(registry);
        written = Counter.builder("maas.usage.written")
                .description("usage events written to the ledger").register(registry);
        overflow = Counter.builder("maas.usage.overflow")
                .description("usage events enqueued beyond capacity after waiting for room").register(registry);
        failures = Counter.builder("maas.usage.write.failures")
                .description("failed attempts to append a batch to the ledger").register(registry);
        batchSize = DistributionSummary.builder("maas.usage.batch.size")
                .description("events per batch written to the ledger").register(registry);
    }
}
