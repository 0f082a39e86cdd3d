package dev.maas4j.core.internal;

import dev.maas4j.api.Denial;
import dev.maas4j.api.Identity;

/**
 * Every request of a key to a model is refused (unknown model, not authorized, no subscription),
 * until the catalog or the owner's groups change.
 *
 * @param catalogVersion the catalog it was decided on
 * @param identity       the identity it was decided for
 * @param denial         why
 */
public record RefusedPlan(long catalogVersion, Identity identity, Denial denial) implements CachedPlan {
    @Override
    public boolean isCurrent(long version, Identity currentIdentity, long nowNanos) {
        return catalogVersion == version && (identity == currentIdentity || identity.equals(currentIdentity));
    }
}
