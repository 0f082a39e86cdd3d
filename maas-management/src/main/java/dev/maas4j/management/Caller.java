package dev.maas4j.management;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling the management API, as an {@link IdentityResolver} established it.
 *
 * <p>The {@link #user()} is the name API keys are owned by ({@code Subject.user(user)}); the
 * {@link #groups()} are informational (audit, role mapping): model access of keys is decided by the
 * engine's {@code IdentityDirectory} when they are used, never by what a resolver saw once.
 *
 * <pre>{@code
 * Caller alice = Caller.user("alice", "data-science");
 * Caller ops = Caller.of("ops-bot", Set.of(), Role.ADMIN);
 * }</pre>
 *
 * @param user   the user name, never blank
 * @param groups the groups the resolver saw, possibly empty
 * @param roles  the roles held, at least one
 */
public record Caller(String user, Set<String> groups, Set<Role> roles) {

    /** Validates and copies the components. */
    public Caller {
        Objects.requireNonNull(user, "user");
        if (user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        groups = Set.copyOf(Objects.requireNonNull(groups, "groups"));
        roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a caller needs at least one role");
        }
    }

    /** A plain user in the given groups. */
    public static Caller user(String user, String... groups) {
        return new Caller(user, Set.of(groups), Set.of(Role.USER));
    }

    /** A caller with the given groups and roles. */
    public static Caller of(String user, Set<String> groups, Role... roles) {
        return new Caller(user, groups, roles.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(roles)));
    }

    /** Whether the caller holds {@code role}. */
    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    /** Whether the caller may read every key, all usage, the catalog and the audit log. */
    public boolean canReadAll() {
        return roles.contains(Role.ADMIN) || roles.contains(Role.ADMIN_READONLY);
    }

    /** Whether the caller may change anything (other users' keys, the catalog). */
    public boolean isAdmin() {
        return roles.contains(Role.ADMIN);
    }

    /** Whether the caller may create and revoke keys of their own. */
    public boolean canManageOwnKeys() {
        return roles.contains(Role.ADMIN) || roles.contains(Role.USER);
    }
}
