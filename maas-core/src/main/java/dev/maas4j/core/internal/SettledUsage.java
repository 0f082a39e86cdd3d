package dev.maas4j.core.internal;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.Identity;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.TimeSource;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageEvent;

/**
 * One settled request, as queued for the ledger: what the hot path knows, with the event itself
 * (instants, exact cost) built later by the recorder's writer thread. Immutable once queued (the
 * queue publishes it).
 */
public final class SettledUsage implements PendingUsage {
    private final AdmissionRequest request;
    private final KeyEntry keyEntry;
    private final Reservation reservation;
    private final long startedNanos;
    private final Outcome outcome;
    private final int httpStatus;
    private final TokenUsage charged;
    private final long endedNanos;
    private final boolean anomalous;

    public SettledUsage(AdmissionRequest request, KeyEntry keyEntry, Reservation reservation, long startedNanos,
                        Outcome outcome, int httpStatus, TokenUsage charged, long endedNanos, boolean anomalous) {
        this.request = request;
        this.keyEntry = keyEntry;
        this.reservation = reservation;
        this.startedNanos = startedNanos;
        this.outcome = outcome;
        this.httpStatus = httpStatus;
        this.charged = charged;
        this.endedNanos = endedNanos;
        this.anomalous = anomalous;
    }

    @Override
    public UsageEvent toUsageEvent() {
        Plan plan = reservation.plan();
        Identity identity = plan.identity();
        return new UsageEvent(request.requestId(), keyEntry.key().id(), identity.user(), identity.groups(),
                plan.subscription().name(), plan.model().name(), request.endpoint(), charged,
                plan.pricing().cost(charged.promptTokens(), charged.completionTokens()), httpStatus, outcome,
                TimeSource.toInstant(startedNanos), TimeSource.toInstant(endedNanos), request.stream(),
                plan.subscription().tokenMetadata(), anomalous);
    }
}
