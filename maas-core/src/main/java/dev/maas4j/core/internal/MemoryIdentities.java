package dev.maas4j.core.internal;

import dev.maas4j.api.Identity;
import dev.maas4j.api.IdentityDirectory;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectType;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The identity directory of {@link dev.maas4j.core.InMemoryStore}: the groups set for each user or
 * service account name.
 *
 * <p>Thread-safe: a concurrent map, read without a lock.
 */
public final class MemoryIdentities implements IdentityDirectory {
    /** Identities of users with groups, built once per change so resolving one on the hot path allocates nothing. */
    private final ConcurrentMap<String, Identity> identitiesByName = new ConcurrentHashMap<>();

    /** An empty directory. */
    public MemoryIdentities() {
    }

    /** Sets the groups of {@code user}; see {@link dev.maas4j.core.InMemoryStore#setGroups(String, Set)}. */
    public void setGroups(String user, Set<String> groups) {
        Objects.requireNonNull(user, "user");
        if (user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        Set<String> copy = Set.copyOf(Objects.requireNonNull(groups, "groups"));
        for (String group : copy) {
            if (group.isBlank()) {
                throw new IllegalArgumentException("group names must not be blank");
            }
        }
        if (copy.isEmpty()) {
            identitiesByName.remove(user);
        } else {
            identitiesByName.put(user, new Identity(user, copy));
        }
    }

    @Override
    public Identity identityOf(Subject owner) {
        Objects.requireNonNull(owner, "owner");
        if (owner.type() == SubjectType.GROUP) {
            return new Identity(owner.name(), Set.of(owner.name()));
        }
        Identity identity = identitiesByName.get(owner.name());
        return identity != null ? identity : new Identity(owner.name(), Set.of());
    }
}
