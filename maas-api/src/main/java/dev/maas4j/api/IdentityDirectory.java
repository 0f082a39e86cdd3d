package dev.maas4j.api;

import java.util.Set;

/**
 * Resolves the owner of an API key to the identity its requests act as, with the groups it
 * belongs to now. Called when a request is admitted (the engine may cache answers briefly), so
 * group changes take effect without re-issuing keys.
 *
 * <p>Implementations must be thread-safe and should be fast; a slow directory should cache.
 */
@FunctionalInterface
public interface IdentityDirectory {

    /** The identity a key owned by {@code owner} acts as. */
    Identity identityOf(Subject owner);

    /**
     * A directory with no group information: users and service accounts act with no groups, and a
     * key owned by a group acts as a member of that group.
     */
    static IdentityDirectory ownersOnly() {
        return owner -> owner.type() == SubjectType.GROUP
                ? new Identity(owner.name(), Set.of(owner.name()))
                : new Identity(owner.name(), Set.of());
    }
}
