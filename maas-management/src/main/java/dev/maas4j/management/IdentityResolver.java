package dev.maas4j.management;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;

/**
 * Establishes who is calling the management API.
 *
 * <p>Implementations in this package: {@link ContainerPrincipalResolver} (the servlet container's
 * own authentication), {@link TrustedHeaderResolver} (a fronting proxy such as oauth2-proxy),
 * {@link BearerTokenResolver} (tokens declared in configuration, stored hashed), and
 * {@link CompositeIdentityResolver} to try several in order:
 *
 * <pre>{@code
 * IdentityResolver resolver = IdentityResolver.firstOf(
 *         BearerTokenResolver.builder().addHashedToken(bootstrapAdminHash, Caller.of("admin", Set.of(), Role.ADMIN)).build(),
 *         TrustedHeaderResolver.builder().trustProxy("10.0.0.5").adminGroups("maas-admins").build());
 * }</pre>
 *
 * <p><b>Contract.</b> Return {@link Optional#empty()} when the request carries no credential this
 * resolver understands, or one it does not accept; the management API then answers 401 (or asks
 * the next resolver, in a composite). Never return a caller for a credential that was not verified.
 * A runtime exception means the resolver could not decide (an identity provider is down): the
 * request is answered with 503 and nothing else is tried, so that an outage never falls through to
 * a weaker resolver. The management API refuses API keys ({@code sk-oai-...}) before any resolver
 * is asked, so a resolver never sees a request whose bearer credential is an API key.
 *
 * <p><b>Thread-safety.</b> Implementations must be thread-safe; {@link #resolve} is called for every
 * management request, concurrently.
 *
 * <p><b>Adding OIDC or Kubernetes tokens.</b> A resolver for OIDC access tokens reads
 * {@code Authorization: Bearer <jwt>}, returns empty if the token is not a JWT of the configured
 * issuer (so a composite can try the next resolver), verifies the signature against the issuer's
 * JWKS (cached) and the {@code exp}, {@code aud} and {@code iss} claims, and maps a groups claim to
 * {@link Role}s as {@link TrustedHeaderResolver} does. A Kubernetes resolver posts the token to the
 * {@code TokenReview} API and maps {@code status.user.username} and {@code status.user.groups} the
 * same way. Both should cache positive answers by a hash of the token (never the token itself) for
 * less than the token's remaining life, and throw rather than return empty when the issuer or the
 * API server cannot be reached.
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
