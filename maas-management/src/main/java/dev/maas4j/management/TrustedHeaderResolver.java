package dev.maas4j.management;

import jakarta.servlet.http.HttpServletRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Takes the caller from headers set by an authenticating proxy in front of the gateway, such as
 * oauth2-proxy: {@code X-Forwarded-User} and {@code X-Forwarded-Groups} (comma-separated).
 *
 * <p>The headers are honoured only when the connection comes from one of the configured proxy
 * addresses (the servlet's {@code getRemoteAddr()}, i.e. the TCP peer: make sure the container is
 * not configured to replace it from {@code X-Forwarded-For}). From any other address they are
 * ignored, as anyone could set them.
 *
 * <p>Every caller found holds {@link Role#USER}; members of an admin group also hold
 * {@link Role#ADMIN}, and members of a read-only admin group {@link Role#ADMIN_READONLY}, by the
 * {@link RoleMapping} the other resolvers share ({@link Builder#roleMapping}).
 *
 * <pre>{@code
 * TrustedHeaderResolver proxy = TrustedHeaderResolver.builder()
 *         .trustProxy("10.1.0.0/16")            // the oauth2-proxy pods
 *         .adminGroups("maas-admins")
 *         .adminReadonlyGroups("maas-auditors")
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustedHeaderResolver implements IdentityResolver {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final List<Cidr> proxies;
    private final String userHeader;
    private final String groupsHeader;
    private final RoleMapping roles;

    private TrustedHeaderResolver(Builder b) {
        this.proxies = List.copyOf(b.proxies);
        this.userHeader = b.userHeader;
        this.groupsHeader = b.groupsHeader;
        this.roles = new RoleMapping(b.adminGroups, b.adminReadonlyGroups);
    }

    /** A builder; at least one proxy address must be trusted. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<Caller> resolve(HttpServletRequest request) {
        String user = request.getHeader(userHeader);
        if (user == null || user.isBlank() || !trusted(request.getRemoteAddr())) {
            return Optional.empty();
        }
        Set<String> groups = new LinkedHashSet<>();
        var values = request.getHeaders(groupsHeader);
        while (values != null && values.hasMoreElements()) {
            for (String group : values.nextElement().split(",")) {
                if (!group.isBlank()) {
                    groups.add(group.trim());
                }
            }
        }
        return Optional.of(roles.caller(user.trim(), groups));
    }

    private boolean trusted(String remoteAddress) {
        if (remoteAddress == null) {
            return false;
        }
        String literal = remoteAddress;
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (!isIpLiteral(literal)) {
            return false;
        }
        byte[] address;
        try {
            address = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        for (Cidr proxy : proxies) {
            if (proxy.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIpLiteral(String text) {
        // only literals: InetAddress.getByName would otherwise go to DNS
        return IPV4.matcher(text).matches() || IPV6.matcher(text).matches();
    }

    @Override
    public String toString() {
        return "TrustedHeaderResolver[proxies=" + proxies + ", userHeader=" + userHeader + ", groupsHeader="
                + groupsHeader + "]";
    }

    /** An address block: the address and the number of leading bits that must match. */
    private record Cidr(byte[] network, int prefixBits, String text) {
        static Cidr parse(String text) {
            String trimmed = text.trim();
            int slash = trimmed.indexOf('/');
            String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
            if (!isIpLiteral(host)) {
                throw new IllegalArgumentException("trusted proxy must be an IP address or CIDR block, was '"
                        + text + "'");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("trusted proxy must be an IP address or CIDR block, was '"
                        + text + "'", e);
            }
            int bits = network.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(trimmed.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > network.length * 8) {
                    throw new IllegalArgumentException("trusted proxy prefix length must be 0 to "
                            + network.length * 8 + ", was '" + text + "'");
                }
            }
            return new Cidr(network, bits, trimmed);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cidr c && c.prefixBits == prefixBits && Arrays.equals(c.network, network);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(network) * 31 + prefixBits;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Builds a {@link TrustedHeaderResolver}; not thread-safe. */
    public static final class Builder {
        private final List<Cidr> proxies = new ArrayList<>();
        private String userHeader = "X-Forwarded-User";
        private String groupsHeader = "X-Forwarded-Groups";
        private final Set<String> adminGroups = new LinkedHashSet<>();
        private final Set<String> adminReadonlyGroups = new LinkedHashSet<>();

        private Builder() {
        }

        /**
         * Trusts the headers on connections from this address or block ({@code 10.0.0.5},
         * {@code 10.1.0.0/16}, {@code ::1}). IP literals only: host names are refused, as resolving
         * them would make trust depend on DNS.
         */
        public Builder trustProxy(String addressOrCidr) {
            proxies.add(Cidr.parse(Objects.requireNonNull(addressOrCidr, "addressOrCidr")));
            return this;
        }

        /** The header carrying the user name (default {@code X-Forwarded-User}). */
        public Builder userHeader(String name) {
            userHeader = notBlank(name, "userHeader");
            return this;
        }

        /** The header carrying the comma-separated groups (default {@code X-Forwarded-Groups}). */
        public Builder groupsHeader(String name) {
            groupsHeader = notBlank(name, "groupsHeader");
            return this;
        }

        /**
         * Grants the roles of {@code mapping} (the one the other resolvers use), in addition to
         * any groups given to {@link #adminGroups} and {@link #adminReadonlyGroups}.
         */
        public Builder roleMapping(RoleMapping mapping) {
            Objects.requireNonNull(mapping, "roleMapping");
            adminGroups.addAll(mapping.adminGroups());
            adminReadonlyGroups.addAll(mapping.adminReadonlyGroups());
            return this;
        }

        /** Groups whose members hold {@link Role#ADMIN}. */
        public Builder adminGroups(String... groups) {
            for (String group : groups) {
                adminGroups.add(notBlank(group, "admin group"));
            }
            return this;
        }

        /** Groups whose members hold {@link Role#ADMIN_READONLY}. */
        public Builder adminReadonlyGroups(String... groups) {
            for (String group : groups) {
                adminReadonlyGroups.add(notBlank(group, "adminReadonly group"));
            }
            return this;
        }

        /**
         * Builds the resolver.
         *
         * @throws IllegalStateException if no proxy address is trusted
         */
        public TrustedHeaderResolver build() {
            if (proxies.isEmpty()) {
                throw new IllegalStateException(
                        "trustProxy must be set at least once: headers from untrusted addresses are never honoured");
            }
            return new TrustedHeaderResolver(this);
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
