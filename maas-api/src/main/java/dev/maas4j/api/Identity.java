package dev.maas4j.api;

import java.util.Set;

/**
 * Who is calling: a user name and the groups the user belongs to at the time of the request.
 *
 * <p>Groups are resolved when a request is admitted (see {@link IdentityDirectory}), never frozen
 * into an {@link ApiKey}: a user removed from a group loses that group's grants at once.
 *
 * @param user   the user (or service account, or group) name the request acts as
 * @param groups the groups, possibly empty
 */
public record Identity(String user, Set<String> groups) {

    /** Validates and copies the components. */
    public Identity {
        user = Checks.notBlank(user, "user");
        groups = Checks.set(groups, "groups");
    }

    /** An identity with the given groups. */
    public static Identity of(String user, String... groups) {
        return new Identity(user, Set.of(groups));
    }

    /** Whether the identity is a member of {@code group}. */
    public boolean isMemberOf(String group) {
        return groups.contains(group);
    }
}
