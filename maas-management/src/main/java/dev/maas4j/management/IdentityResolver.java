package dev.maas4j.management;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;

/**
 * Establishes who is calling the management API.
 *
 * <p>Implementations in this package: {@link ContainerPrincipalResolver} (the servlet container's
 * own authentication), {@link TrustedHeaderResolver} (a fronting proxy such as oauth2-proxy),
 * {@link BearerTokenResolver} (tokens declared in configuration, stored hashed),
 * {@link OidcTokenResolver} (OIDC access tokens of one issuer, e.g. a Keycloak realm),
 * {@link KubernetesTokenResolver} (tokens the Kubernetes API server reviews), and
 * {@link CompositeIdentityResolver} to try several in order. Group-based resolvers share one
 * {@link RoleMapping}:
 *
 * <pre>{@code
 * RoleMapping roles = new RoleMapping(Set.of("maas-admins"), Set.of("auditors"));
 * IdentityResolver resolver = IdentityResolver.firstOf(
 *         BearerTokenResolver.builder().addHashedToken(bootstrapAdminHash, Caller.of("admin", Set.of(), Role.ADMIN)).build(),
 *         OidcTokenResolver.builder("https://keycloak.example.com/realms/maas").roleMapping(roles).build(),
 *         TrustedHeaderResolver.builder().trustProxy("10.0.0.5").roleMapping(roles).build());
 * }</pre>
 *
 * <p><b>Contract.</b> A resolver has three answers:
 * <ul>
 *   <li>a {@link Caller}, for a credential it verified. Never return a caller for a credential
 *       that was not verified;</li>
 *   <li>{@link Optional#empty()}, when the request carries no credential this resolver
 *       understands (no bearer token, a token that is not a JWT, a JWT of another issuer, a token
 *       it does not know): a composite asks the next resolver, and when none claims the request
 *       the management API answers 401 ({@code missing_credentials}, or {@code unknown_issuer}
 *       for a JWT of an issuer nobody trusts);</li>
 *   <li>a {@link CredentialRejectedException}, when it recognises the credential as its own (a
 *       token of its issuer) and rejects it: the management API answers 401 with the reason's code
 *       ({@code token_expired}, {@code wrong_audience}, {@code bad_signature}, ...) and nothing
 *       else is tried.</li>
 * </ul>
 * Every 401 counts against the client's address. Any other runtime exception means the resolver
 * could not decide (an identity provider is down): the request is answered with 503 and nothing
 * else is tried, so that an outage never falls through to a weaker resolver. Neither exception's
 * message may contain the credential. The management API refuses API keys ({@code sk-oai-...})
 * before any resolver is asked, so a resolver never sees a request whose bearer credential is an
 * API key.
 *
 * <p><b>Thread-safety.</b> Implementations must be thread-safe; {@link #resolve} is called for every
 * management request, concurrently.
 *
 * <p><b>Adding a token resolver</b> (RFC 7662 introspection, say): {@link OidcTokenResolver}
 * and {@link KubernetesTokenResolver} are the pattern. Read {@code Authorization: Bearer <token>},
 * return empty for a token that is not this resolver's, verify it, map the groups to {@link Role}s with the shared {@link RoleMapping}, throw a
 * {@link CredentialRejectedException} for a token that is its own and refused, cache positive
 * answers by a hash of the token (never the token itself) for less than the token's remaining life,
 * and throw rather than return empty when the issuer or the API server cannot be reached.
 */
@FunctionalInterface
public interface IdentityResolver {

    /**
     * The verified caller of {@code request}, or empty when the request carries no credential this
     * resolver accepts.
     */
    Optional<Caller> resolve(HttpServletRequest request);

    /** A resolver that asks each of {@code resolvers} in order and takes the first caller found. */
    static IdentityResolver firstOf(IdentityResolver... resolvers) {
        return CompositeIdentityResolver.of(resolvers);
    }
}
