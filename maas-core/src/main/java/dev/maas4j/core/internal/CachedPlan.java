package dev.maas4j.core.internal;

import dev.maas4j.api.Identity;

/**
 * What is decided about a key calling a model once, and reused by its next requests until the
 * catalog or the owner's groups change or a budget period ends: a {@link Plan} to admit under, or
 * a {@link RefusedPlan}.
 */
public sealed interface CachedPlan permits Plan, RefusedPlan {
    /** Whether this decision still holds for a request by {@code identity} at {@code nowNanos}. */
    boolean isCurrent(long catalogVersion, Identity identity, long nowNanos);
}
