package dev.maas4j.core.internal;

import dev.maas4j.api.UsageEvent;

/**
 * A settled request whose {@link UsageEvent} has not been built yet. The hot path enqueues the
 * settlement itself and the recorder's writer thread builds the event (instants, exact cost) off
 * the request path.
 */
public interface PendingUsage {

    /** Builds the event; called once, on the writer thread, after the settlement is published. */
    UsageEvent toUsageEvent();
}
