package dev.maas4j.gateway;

import dev.maas4j.api.TimeSource;
import dev.maas4j.management.BearerTokenResolver;
import dev.maas4j.management.Caller;
import dev.maas4j.management.CompositeIdentityResolver;
import dev.maas4j.management.IdentityResolver;
import dev.maas4j.management.OidcTokenResolver;
import dev.maas4j.management.Role;
import dev.maas4j.management.RoleMapping;
import dev.maas4j.management.TrustedHeaderResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The management API's callers, from the {@code identity} section: the one place where the
 * sources are listed, in the order they are asked. Tokens come first (cheap, local), then each
 * OIDC issuer (a JWT of another issuer passes to the next), then the trusted proxy's headers.
 * Every group-based source maps groups to roles with the one {@link RoleMapping}. Stateless.
 */
final class IdentitySources {
    private IdentitySources() {
    }

    /** The resolvers of {@code config}, with the bootstrap administrator's {@code adminToken}. */
    static IdentityResolver resolver(GatewayConfig config, String adminToken, TimeSource time) {
        GatewayConfig.Identity identity = config.identity();
        RoleMapping roles = identity.roles();
        List<IdentityResolver> sources = new ArrayList<>();

        // 1. tokens: the bootstrap admin (kept only as a hash) and the configured ones (hashes only)
        BearerTokenResolver.Builder tokens = BearerTokenResolver.builder()
                .addToken(adminToken, Caller.of(config.admin().user(), Set.of(), Role.ADMIN));
        for (GatewayConfig.StaticToken token : identity.tokens()) {
            tokens.addHashedToken(token.sha256(), roles.caller(token.user(), token.groups()));
        }
        sources.add(tokens.build());

        // 2. OIDC issuers, each returning empty for another issuer's token
        for (GatewayConfig.Oidc oidc : identity.oidc()) {
            sources.add(oidc(oidc, roles, time));
        }

        // 3. (to come) kubernetes: a TokenReview resolver for service-account tokens goes here,
        //    after the OIDC issuers (whose JWTs it would otherwise post to the API server) and before
        //    the trusted headers

        // 4. the authenticating proxy's headers, believed only from its addresses
        identity.trustedHeaders().ifPresent(h -> {
            TrustedHeaderResolver.Builder proxy = TrustedHeaderResolver.builder().userHeader(h.userHeader())
                    .groupsHeader(h.groupsHeader()).roleMapping(roles);
            h.trustedProxies().forEach(proxy::trustProxy);
            sources.add(proxy.build());
        });
        return sources.size() == 1 ? sources.get(0) : CompositeIdentityResolver.of(sources);
    }

    /** The resolver of one {@code identity.oidc[]} entry; builds it without I/O (discovery waits for the first token). */
    static OidcTokenResolver oidc(GatewayConfig.Oidc oidc, RoleMapping roles, TimeSource time) {
        OidcTokenResolver.Builder b = OidcTokenResolver.builder(oidc.issuer()).userClaim(oidc.userClaim())
                .groupsClaim(oidc.groupsClaim()).groupPrefix(oidc.groupPrefix()).clockSkew(oidc.clockSkew())
                .roleMapping(roles).timeSource(time);
        oidc.audience().ifPresent(b::audience);
        return b.build();
    }
}
