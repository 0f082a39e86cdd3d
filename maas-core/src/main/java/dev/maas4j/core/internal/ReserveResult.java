package dev.maas4j.core.internal;

/**
 * What stage 5 (admit) decided: a {@link Reservation} held, or a {@link LimitRefusal}. The
 * reservation implements this type, so admitting allocates no wrapper.
 */
public sealed interface ReserveResult permits Reservation, LimitRefusal {
}
