package dev.maas4j.management;

import jakarta.servlet.http.HttpServletRequest;

import java.security.Principal;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Takes the caller from the servlet container's own authentication
 * ({@link HttpServletRequest#getUserPrincipal()}), with roles from
 * {@link HttpServletRequest#isUserInRole(String)}: for hosts that already authenticate their users
 * (a Spring Security or Jakarta Security set-up, a container realm).
 *
 * <p>Every authenticated principal holds {@link Role#USER}; one in the container role configured
 * for {@link Role#ADMIN} (default {@code admin}) or {@link Role#ADMIN_READONLY} (default
 * {@code adminReadonly}) holds that role too. Container roles listed with {@link Builder#groupRoles}
 * are reported as the caller's groups.
 *
 * <pre>{@code
 * IdentityResolver container = ContainerPrincipalResolver.builder()
 *         .adminRole("maas-admin").adminReadonlyRole("maas-viewer").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ContainerPrincipalResolver implements IdentityResolver {
    private final String adminRole;
    private final String adminReadonlyRole;
    private final Set<String> groupRoles;

    private ContainerPrincipalResolver(Builder b) {
        this.adminRole = b.adminRole;
        this.adminReadonlyRole = b.adminReadonlyRole;
        this.groupRoles = Set.copyOf(b.groupRoles);
    }

    /** A resolver with the default role names {@code admin} and {@code adminReadonly}. */
    public static ContainerPrincipalResolver create() {
        return builder().build();
    }

    /** A builder with the default role names. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<Caller> resolve(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
            return Optional.empty();
        }
        EnumSet<Role> roles = EnumSet.of(Role.USER);
        if (request.isUserInRole(adminRole)) {
            roles.add(Role.ADMIN);
        }
        if (request.isUserInRole(adminReadonlyRole)) {
            roles.add(Role.ADMIN_READONLY);
        }
        Set<String> groups = new LinkedHashSet<>();
        for (String role : groupRoles) {
            if (request.isUserInRole(role)) {
                groups.add(role);
            }
        }
        return Optional.of(new Caller(principal.getName(), groups, roles));
    }

    @Override
    public String toString() {
        return "ContainerPrincipalResolver[adminRole=" + adminRole + ", adminReadonlyRole=" + adminReadonlyRole + "]";
    }

    /** Builds a {@link ContainerPrincipalResolver}; not thread-safe. */
    public static final class Builder {
        private String adminRole = "admin";
        private String adminReadonlyRole = "adminReadonly";
        private final Set<String> groupRoles = new LinkedHashSet<>();

        private Builder() {
        }

        /** The container role that grants {@link Role#ADMIN} (default {@code admin}). */
        public Builder adminRole(String role) {
            adminRole = notBlank(role, "adminRole");
            return this;
        }

        /** The container role that grants {@link Role#ADMIN_READONLY} (default {@code adminReadonly}). */
        public Builder adminReadonlyRole(String role) {
            adminReadonlyRole = notBlank(role, "adminReadonlyRole");
            return this;
        }

        /** Container roles to report as the caller's groups when the caller is in them. */
        public Builder groupRoles(String... roles) {
            for (String role : roles) {
                groupRoles.add(notBlank(role, "group role"));
            }
            return this;
        }

        /** Builds the resolver. */
        public ContainerPrincipalResolver build() {
            return new ContainerPrincipalResolver(this);
        }

        private static String notBlank(String value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value;
        }
    }
}
