package dev.maas4j.api;

import java.util.Collection;
import java.util.Set;

/**
 * A set of groups and users, as in {@code MaaSSubscription.spec.owner} and
 * {@code MaaSAuthPolicy.spec.subjects}.
 *
 * @param groups group names
 * @param users  user names
 */
public record SubjectSet(Set<String> groups, Set<String> users) {

    /** The empty set: includes nobody. */
    public static final SubjectSet NONE = new SubjectSet(Set.of(), Set.of());

    /** Validates and copies the components. */
    public SubjectSet {
        groups = Checks.set(groups, "groups");
        users = Checks.set(users, "users");
    }

    /** A set of groups only. */
    public static SubjectSet groups(String... groups) {
        return new SubjectSet(Set.of(groups), Set.of());
    }

    /** A set of users only. */
    public static SubjectSet users(String... users) {
        return new SubjectSet(Set.of(), Set.of(users));
    }

    /** A set of the given groups and users. */
    public static SubjectSet of(Collection<String> groups, Collection<String> users) {
        return new SubjectSet(Set.copyOf(groups), Set.copyOf(users));
    }

    /** Whether the identity is named as a user or is a member of one of the groups. */
    public boolean includes(Identity identity) {
        if (users.contains(identity.user())) {
            return true;
        }
        // iterate the smaller side: identities usually carry few groups
        for (String group : identity.groups()) {
            if (groups.contains(group)) {
                return true;
            }
        }
        return false;
    }
}
