package dev.maas4j.management;

import java.util.Optional;

/**
 * What a caller of the management API may do. Roles are additive: a caller holds a set of them
 * and may do what any of them allows.
 *
 * <ul>
 *   <li>{@link #USER}: manage (create, list, revoke) and read the usage of the caller's own API
 *       keys; list the caller's own subscriptions and models.</li>
 *   <li>{@link #ADMIN_READONLY}: read everything (every key, usage across users, the catalog, the
 *       audit log); change nothing. A caller that should also manage their own keys holds
 *       {@link #USER} as well, which is what the container and trusted-header resolvers give
 *       every authenticated person.</li>
 *   <li>{@link #ADMIN}: everything.</li>
 * </ul>
 */
public enum Role {
    /** Full control. */
    ADMIN("admin"),
    /** Reads everything, changes nothing. */
    ADMIN_READONLY("adminReadonly"),
    /** Self-service on the caller's own keys. */
    USER("user");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    /** The role's name in configuration and JSON: {@code admin}, {@code adminReadonly}, {@code user}. */
    public String wireName() {
        return wireName;
    }

    /** The role with this wire name (case-sensitive), if any. */
    public static Optional<Role> fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName.equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
