package dev.maas4j.management;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which groups grant which {@link Role}: the one rule every group-based resolver
 * ({@link OidcTokenResolver}, {@link TrustedHeaderResolver}, configured tokens) applies, so that
 * a group means the same whichever way its member signed in. Everyone authenticated holds
 * {@link Role#USER}; a member of an {@link #adminGroups() admin group} also holds {@link Role#ADMIN},
 * a member of an {@link #adminReadonlyGroups() adminReadonly group} {@link Role#ADMIN_READONLY}.
 * Groups are compared exactly, as the caller's groups are reported (with a resolver's group
 * prefix, if it adds one).
 *
 * <pre>{@code
 * RoleMapping roles = new RoleMapping(Set.of("maas-admins"), Set.of("auditors"));
 * roles.rolesOf(List.of("dev", "auditors"));        // [ADMIN_READONLY, USER]
 * Caller alice = roles.caller("alice", List.of("dev"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param adminGroups         groups whose members hold {@link Role#ADMIN}
 * @param adminReadonlyGroups groups whose members hold {@link Role#ADMIN_READONLY}
 */
public record RoleMapping(Set<String> adminGroups, Set<String> adminReadonlyGroups) {
    private static final RoleMapping NONE = new RoleMapping(Set.of(), Set.of());

    /**
     * Validates and copies the groups.
     *
     * @throws IllegalArgumentException if a group is blank
     */
    public RoleMapping {
        adminGroups = groups(adminGroups, "admin");
        adminReadonlyGroups = groups(adminReadonlyGroups, "adminReadonly");
    }

    /** No group grants more than {@link Role#USER}. */
    public static RoleMapping none() {
        return NONE;
    }

    /** The roles of a member of {@code groups}: {@link Role#USER} and whatever the groups grant. */
    public Set<Role> rolesOf(Collection<String> groups) {
        EnumSet<Role> roles = EnumSet.of(Role.USER);
        for (String group : groups) {
            if (adminGroups.contains(group)) {
                roles.add(Role.ADMIN);
            }
            if (adminReadonlyGroups.contains(group)) {
                roles.add(Role.ADMIN_READONLY);
            }
        }
        return roles;
    }

    /** The caller {@code user} in {@code groups}, with the roles the groups grant. */
    public Caller caller(String user, Collection<String> groups) {
        return new Caller(user, new LinkedHashSet<>(groups), rolesOf(groups));
    }

    private static Set<String> groups(Set<String> groups, String role) {
        Objects.requireNonNull(groups, role + " groups");
        for (String group : groups) {
            if (group == null || group.isBlank()) {
                throw new IllegalArgumentException(role + " groups must not contain a blank group");
            }
        }
        return Set.copyOf(groups);
    }
}
