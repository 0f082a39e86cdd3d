package dev.maas4j.management;

import jakarta.servlet.http.HttpServletRequest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks several {@link IdentityResolver}s in order and takes the first caller found. An exception
 * from one of them propagates at once (see the {@link IdentityResolver} contract): a
 * {@link CredentialRejectedException} because a credential recognised and refused must not be
 * reinterpreted by the next resolver, any other because an identity provider that is down must
 * not let the request fall through to a weaker one.
 *
 * <pre>{@code
 * IdentityResolver resolver = CompositeIdentityResolver.of(bearerTokens, trustedHeaders, containerPrincipal);
 * }</pre>
 *
 * <p>Immutable and thread-safe when its resolvers are.
 */
public final class CompositeIdentityResolver implements IdentityResolver {
    private final List<IdentityResolver> resolvers;

    private CompositeIdentityResolver(List<IdentityResolver> resolvers) {
        this.resolvers = resolvers;
    }

    /**
     * A resolver trying {@code resolvers} in the order given.
     *
     * @throws IllegalArgumentException if none is given
     */
    public static CompositeIdentityResolver of(IdentityResolver... resolvers) {
        return of(List.of(resolvers));
    }

    /**
     * A resolver trying {@code resolvers} in the order given.
     *
     * @throws IllegalArgumentException if the list is empty
     */
    public static CompositeIdentityResolver of(List<? extends IdentityResolver> resolvers) {
        Objects.requireNonNull(resolvers, "resolvers");
        if (resolvers.isEmpty()) {
            throw new IllegalArgumentException("resolvers must not be empty");
        }
        return new CompositeIdentityResolver(List.copyOf(resolvers));
    }

    /** The resolvers, in the order they are asked. */
    public List<IdentityResolver> resolvers() {
        return resolvers;
    }

    @Override
    public Optional<Caller> resolve(HttpServletRequest request) {
        for (IdentityResolver resolver : resolvers) {
            Optional<Caller> caller = resolver.resolve(request);
            if (caller.isPresent()) {
                return caller;
            }
        }
        return Optional.empty();
    }
}
