package dev.maas4j.management;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.maas4j.api.TimeSource;
import dev.maas4j.management.CredentialRejectedException.Reason;
import dev.maas4j.management.internal.BearerJwt;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Accepts OIDC / OAuth 2 access tokens (JWTs) of one issuer, such as a Keycloak realm, in
 * {@code Authorization: Bearer <jwt>}.
 *
 * <p>The issuer's discovery document ({@code <issuer>/.well-known/openid-configuration}) names
 * its key set ({@code jwks_uri}); both are fetched on the first token, not at start, so that the
 * gateway starts while the identity provider is down. The key set is cached (5 minutes) and
 * refetched when a token names a key ({@code kid}) it does not hold, at most once every 30
 * seconds, so that the provider's key rotation needs no restart and unknown {@code kid}s cannot
 * make us hammer it. A token is accepted when its signature verifies with one of the issuer's
 * keys under an {@link Builder#algorithms allowed algorithm} (asymmetric only: never
 * {@code none}, never HMAC), its {@code iss} is the issuer, {@code exp} is to come and
 * {@code nbf} (if any) has passed, both within the {@link Builder#clockSkew clock skew}, and
 * {@code aud} names the {@link Builder#audience audience} if one is configured.
 *
 * <p>The caller's user is the {@link Builder#userClaim user claim} ({@code preferred_username} by
 * default; {@code sub} or {@code email} are common), the groups those of the
 * {@link Builder#groupsClaim groups claim} (a list or a single text; a dotted path such as
 * {@code realm_access.roles} reaches into nested objects), each prefixed with the
 * {@link Builder#groupPrefix group prefix}, and the roles those the {@link RoleMapping} grants them.
 *
 * <p>Answers, following the {@link IdentityResolver} contract: empty when the request has no
 * bearer token, the token is not a JWT, or it is a JWT of another issuer (so that a
 * {@link CompositeIdentityResolver} can ask the next resolver, e.g. another realm's); a
 * {@link CredentialRejectedException} naming the reason when it is a token of this issuer that
 * fails a check (expired, wrong audience, bad signature, unknown key, algorithm not allowed, ...);
 * an {@link IllegalStateException} when the discovery document or the key set cannot be fetched
 * (the management API answers 503).
 *
 * <p>Verified tokens are cached by their SHA-256 (never the token itself) until the earlier of
 * their {@code exp} and {@link Builder#cacheTtl the cache TTL}, so that a busy client does not
 * cost a signature check per request.
 *
 * <pre>{@code
 * RoleMapping roles = new RoleMapping(Set.of("maas-admins"), Set.of("auditors"));
 * IdentityResolver keycloak = IdentityResolver.firstOf(
 *         OidcTokenResolver.builder("https://keycloak.example.com/realms/maas")
 *                 .audience("maas-api")
 *                 .groupsClaim("groups")
 *                 .roleMapping(roles)
 *                 .build(),
 *         OidcTokenResolver.builder("https://keycloak.example.com/realms/partners")
 *                 .groupsClaim("realm_access.roles").groupPrefix("partners:")
 *                 .roleMapping(roles)
 *                 .build());
 * }</pre>
 *
 * <p>Thread-safe: one instance serves all requests.
 */
public final class OidcTokenResolver implements IdentityResolver {
    /** The algorithms allowed unless {@link Builder#algorithms} says otherwise. */
    public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384",
            "PS512", "ES256", "ES384", "ES512");
    private static final Set<JWSAlgorithm> ASYMMETRIC;
    /** RFC 9068 access tokens are typed at+jwt, Keycloak's JWT; many providers send no typ at all. */
    private static final Set<String> ACCEPTED_TYPES = Set.of("jwt", "at+jwt", "application/at+jwt");

    static {
        Set<JWSAlgorithm> asymmetric = new HashSet<>(JWSAlgorithm.Family.RSA);
        asymmetric.addAll(JWSAlgorithm.Family.EC);
        ASYMMETRIC = Set.copyOf(asymmetric);
    }

    private final String issuer;
    private final Optional<String> audience;
    private final String userClaim;
    private final String groupsClaim;
    private final String groupPrefix;
    private final RoleMapping roles;
    private final Duration clockSkew;
    private final Set<JWSAlgorithm> algorithms;
    private final Optional<URI> jwksUri;
    private final TimeSource time;
    private final Duration cacheTtl;
    private final ResourceRetriever http;
    private final Cache<String, Verified> verified;
    /** Set once, on the first token: the discovery document is fetched then, not at start. */
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    private OidcTokenResolver(Builder b) {
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.userClaim = b.userClaim;
        this.groupsClaim = b.groupsClaim;
        this.groupPrefix = b.groupPrefix;
        this.roles = b.roles;
        this.clockSkew = b.clockSkew;
        this.algorithms = Set.copyOf(b.algorithms);
        this.jwksUri = b.jwksUri;
        this.time = b.time;
        this.cacheTtl = b.cacheTtl;
        int timeoutMillis = (int) b.httpTimeout.toMillis();
        this.http = new DefaultResourceRetriever(timeoutMillis, timeoutMillis, 512 * 1024);
        this.verified = Caffeine.newBuilder().maximumSize(b.cacheSize)
                .expireAfterWrite(cacheTtl).build();
    }

    /**
     * A builder for tokens of {@code issuer}, e.g. {@code https://keycloak.example.com/realms/maas}:
     * the exact value of the tokens' {@code iss} claim, which is also where the discovery document is.
     *
     * @throws IllegalArgumentException if {@code issuer} is not an absolute http(s) URL without query
     */
    public static Builder builder(String issuer) {
        return new Builder(issuer);
    }

    /** The issuer whose tokens this resolver verifies. */
    public String issuer() {
        return issuer;
    }

    @Override
    public Optional<Caller> resolve(HttpServletRequest request) {
        Optional<String> token = BearerTokenResolver.bearerToken(request);
        if (token.isEmpty()) {
            return Optional.empty();
        }
        Optional<JWT> jwt = BearerJwt.parse(token.get());
        if (jwt.isEmpty() || !BearerJwt.issuer(jwt.get()).map(issuer::equals).orElse(false)) {
            return Optional.empty(); // not a token of this issuer: another resolver's, or nobody's
        }
        String hash = BearerTokenResolver.sha256Hex(token.get());
        Instant now = time.now();
        Verified cached = verified.getIfPresent(hash);
        if (cached != null && now.isBefore(cached.until())) {
            return Optional.of(cached.caller());
        }
        JWTClaimsSet claims = verify(jwt.get(), now);
        Caller caller = caller(claims);
        // cached for less than the token's remaining life: an expired token is never served from here
        Instant until = now.plus(cacheTtl);
        Date exp = claims.getExpirationTime();
        if (exp.toInstant().isBefore(until)) {
            until = exp.toInstant();
        }
        if (now.isBefore(until)) {
            verified.put(hash, new Verified(caller, until));
        }
        return Optional.of(caller);
    }

    private JWTClaimsSet verify(JWT jwt, Instant now) {
        if (!(jwt instanceof SignedJWT signed)) {
            throw new CredentialRejectedException(Reason.ALGORITHM_NOT_ALLOWED,
                    "the token is " + (jwt.getHeader().getAlgorithm() == null
                            || "none".equals(jwt.getHeader().getAlgorithm().getName()) ? "unsigned (alg: none)"
                            : "encrypted") + ", which is never accepted");
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw new CredentialRejectedException(Reason.ALGORITHM_NOT_ALLOWED,
                    "the token is signed with " + printable(alg.getName()) + ", which is not allowed (allowed: "
                            + String.join(", ", algorithms.stream().map(JWSAlgorithm::getName).sorted().toList())
                            + ")");
        }
        JOSEObjectType typ = signed.getHeader().getType();
        if (typ != null && !ACCEPTED_TYPES.contains(typ.getType().toLowerCase(Locale.ROOT))) {
            throw new CredentialRejectedException(Reason.MALFORMED,
                    "the token's type (typ \"" + printable(typ.getType()) + "\") is not an access token's");
        }
        try {
            return processor().process(signed, null);
        } catch (BadJWSException e) {
            throw new CredentialRejectedException(Reason.BAD_SIGNATURE,
                    "the token's signature does not verify with the issuer's key");
        } catch (BadJWTException e) {
            throw claimsRejected(e, jwt, now);
        } catch (BadJOSEException e) {
            // nimbus's "no matching key(s) found": the algorithm is allowed, so the kid is unknown
            throw unknownKey(signed);
        } catch (RateLimitReachedException e) {
            // the key set was refetched for another unknown kid moments ago: this one is unknown too
            throw unknownKey(signed);
        } catch (KeySourceException e) {
            throw new IllegalStateException("the key set of issuer " + issuer + " cannot be fetched: " + e.getMessage(),
                    e);
        } catch (JOSEException e) {
            throw new CredentialRejectedException(Reason.BAD_SIGNATURE,
                    "the token's signature cannot be verified with the issuer's key");
        }
    }

    private static CredentialRejectedException unknownKey(SignedJWT signed) {
        String kid = signed.getHeader().getKeyID();
        return new CredentialRejectedException(Reason.UNKNOWN_KEY, kid == null
                ? "the token names no key (kid) and no key of the issuer verifies it"
                : "the token's key (kid \"" + printable(kid) + "\") is not in the issuer's key set");
    }

    /** Which claim check failed: nimbus says it in prose only, so the claims are looked at again. */
    private CredentialRejectedException claimsRejected(BadJWTException e, JWT jwt, Instant now) {
        if (e instanceof ExpiredJWTException) {
            return new CredentialRejectedException(Reason.EXPIRED, "the token has expired");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException pe) {
            return new CredentialRejectedException(Reason.MALFORMED, "the token's claims cannot be read");
        }
        if (claims.getExpirationTime() == null) {
            return new CredentialRejectedException(Reason.MISSING_CLAIM, "the token has no expiry (exp)");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(clockSkew))) {
            return new CredentialRejectedException(Reason.NOT_YET_VALID, "the token is not valid yet (nbf)");
        }
        if (audience.isPresent() && !claims.getAudience().contains(audience.get())) {
            return new CredentialRejectedException(Reason.WRONG_AUDIENCE,
                    "the token is not meant for this API: its audience (aud) does not include " + audience.get());
        }
        return new CredentialRejectedException(Reason.MALFORMED, "the token's claims are not acceptable");
    }

    private Caller caller(JWTClaimsSet claims) {
        Object user = claims.getClaim(userClaim);
        if (!(user instanceof String name) || name.isBlank()) {
            throw new CredentialRejectedException(Reason.MISSING_CLAIM,
                    "the token has no " + userClaim + " claim to name the user");
        }
        Set<String> groups = new LinkedHashSet<>();
        Object value = claim(claims.getClaims(), groupsClaim);
        if (value instanceof Collection<?> list) {
            for (Object group : list) {
                if (group instanceof String g && !g.isBlank()) {
                    groups.add(groupPrefix + g);
                }
            }
        } else if (value instanceof String g && !g.isBlank()) {
            groups.add(groupPrefix + g);
        }
        return roles.caller(name.strip(), groups);
    }

    /** The claim {@code path}: a top-level claim of that exact name, else a dotted path into nested objects. */
    private static Object claim(Map<String, Object> claims, String path) {
        if (claims.containsKey(path)) {
            return claims.get(path);
        }
        Object at = claims;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(part);
        }
        return at;
    }

    private DefaultJWTProcessor<SecurityContext> processor() throws KeySourceException {
        DefaultJWTProcessor<SecurityContext> p = processor;
        if (p != null) {
            return p;
        }
        synchronized (this) {
            // one discovery for the requests that arrive together
            if (processor == null) {
                processor = newProcessor(jwksUri.isPresent() ? jwksUri.get() : discoverJwksUri());
            }
            return processor;
        }
    }

    private URI discoverJwksUri() throws KeySourceException {
        String location = (issuer.endsWith("/") ? issuer : issuer + "/") + ".well-known/openid-configuration";
        Map<String, Object> document;
        try {
            Resource resource = http.retrieveResource(new URL(location));
            document = JSONObjectUtils.parse(resource.getContent());
        } catch (IOException | ParseException e) {
            throw new KeySourceException("the discovery document " + location + " cannot be read: " + e.getMessage(),
                    e);
        }
        Object declared = document.get("issuer");
        if (!issuer.equals(declared)) {
            // OIDC Discovery 4.3: a document for another issuer must not be used
            throw new KeySourceException("the discovery document " + location + " is for issuer " + declared
                    + ", not " + issuer);
        }
        Object jwks = document.get("jwks_uri");
        if (!(jwks instanceof String text)) {
            throw new KeySourceException("the discovery document " + location + " has no jwks_uri");
        }
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new KeySourceException("the discovery document " + location + " has an invalid jwks_uri", e);
        }
    }

    private DefaultJWTProcessor<SecurityContext> newProcessor(URI jwks) throws KeySourceException {
        URL url;
        try {
            url = jwks.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new KeySourceException("jwks_uri " + jwks + " is not a URL", e);
        }
        // cached 5 minutes; an unknown kid refetches, at most once per 30 s (nimbus's defaults, stated here)
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(url, http)
                .cache(Duration.ofMinutes(5).toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                .rateLimited(Duration.ofSeconds(30).toMillis())
                .retrying(true)
                .build();
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        // typ is checked before, with a reason of its own (ACCEPTED_TYPES)
        p.setJWSTypeVerifier((type, context) -> {
        });
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(new HashSet<>(algorithms), keys));
        // mutable sets: nimbus asks them contains(null), which Set.of refuses
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                audience.map(a -> new HashSet<>(List.of(a))).orElse(null),
                new JWTClaimsSet.Builder().issuer(issuer).build(),
                new HashSet<>(List.of("exp", "iss")), new HashSet<>()) {
            @Override
            protected Date currentTime() {
                return Date.from(time.now());
            }
        };
        claims.setMaxClockSkew((int) clockSkew.toSeconds());
        p.setJWTClaimsSetVerifier(claims);
        return p;
    }

    /** Header values come from the client: shown shortened and printable only. */
    private static String printable(String text) {
        String shown = text.replaceAll("[^\\x21-\\x7e]", "?");
        return shown.length() > 40 ? shown.substring(0, 37) + "..." : shown;
    }

    @Override
    public String toString() {
        return "OidcTokenResolver[issuer=" + issuer + audience.map(a -> ", audience=" + a).orElse("") + "]";
    }

    private record Verified(Caller caller, Instant until) {
    }

    /** Builds an {@link OidcTokenResolver}; each setting may be given once. Not thread-safe. */
    public static final class Builder {
        private final String issuer;
        private final Set<String> set = new HashSet<>();
        private Optional<String> audience = Optional.empty();
        private String userClaim = "preferred_username";
        private String groupsClaim = "groups";
        private String groupPrefix = "";
        private RoleMapping roles = RoleMapping.none();
        private Duration clockSkew = Duration.ofSeconds(60);
        private Set<JWSAlgorithm> algorithms = parseAlgorithms(DEFAULT_ALGORITHMS);
        private Optional<URI> jwksUri = Optional.empty();
        private TimeSource time = TimeSource.system();
        private Duration cacheTtl = Duration.ofMinutes(5);
        private long cacheSize = 10_000;
        private Duration httpTimeout = Duration.ofSeconds(5);

        private Builder(String issuer) {
            this.issuer = httpUrl(Objects.requireNonNull(issuer, "issuer"), "issuer").toString();
        }

        private void once(String setting) {
            if (!set.add(setting)) {
                throw new IllegalStateException(setting + " was already set");
            }
        }

        /** The audience a token's {@code aud} must include (default: any audience is accepted). */
        public Builder audience(String value) {
            once("audience");
            audience = Optional.of(notBlank(value, "audience"));
            return this;
        }

        /** The claim naming the user (default {@code preferred_username}; {@code sub} and {@code email} are common). */
        public Builder userClaim(String claim) {
            once("userClaim");
            userClaim = notBlank(claim, "userClaim");
            return this;
        }

        /**
         * The claim holding the groups (default {@code groups}): a list of texts or one text; a
         * dotted path such as {@code realm_access.roles} reaches into nested objects. A token
         * without it has no groups.
         */
        public Builder groupsClaim(String claim) {
            once("groupsClaim");
            groupsClaim = notBlank(claim, "groupsClaim");
            return this;
        }

        /**
         * A prefix added to each group (default none), e.g. {@code oidc:}, so that an issuer's
         * groups cannot pass for another source's; the {@link RoleMapping} sees the prefixed names.
         */
        public Builder groupPrefix(String prefix) {
            once("groupPrefix");
            groupPrefix = Objects.requireNonNull(prefix, "groupPrefix");
            if (groupPrefix.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("groupPrefix must not contain white space");
            }
            return this;
        }

        /** Which groups grant which roles (default: none, everyone is a {@link Role#USER}). */
        public Builder roleMapping(RoleMapping value) {
            once("roleMapping");
            roles = Objects.requireNonNull(value, "roleMapping");
            return this;
        }

        /**
         * How far {@code exp} and {@code nbf} may be off between the provider's clock and ours
         * (default 60 s, at most 5 minutes).
         */
        public Builder clockSkew(Duration value) {
            once("clockSkew");
            Objects.requireNonNull(value, "clockSkew");
            if (value.isNegative() || value.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("clockSkew must be from 0s to 5m, was " + value);
            }
            clockSkew = value;
            return this;
        }

        /**
         * The signature algorithms allowed (default {@link #DEFAULT_ALGORITHMS}): RSA and EC
         * ({@code RS256}, {@code PS256}, {@code ES256}, ...) only.
         *
         * @throws IllegalArgumentException for {@code none}, an HMAC algorithm (it would need a
         *                                  secret shared with the provider) or an unknown name
         */
        public Builder algorithms(String... names) {
            once("algorithms");
            if (names.length == 0) {
                throw new IllegalArgumentException("algorithms must name at least one algorithm");
            }
            algorithms = parseAlgorithms(List.of(names));
            return this;
        }

        /** The key set's URL, when the provider has no discovery document (default: from discovery). */
        public Builder jwksUri(String uri) {
            once("jwksUri");
            jwksUri = Optional.of(httpUrl(Objects.requireNonNull(uri, "jwksUri"), "jwksUri"));
            return this;
        }

        /** The clock {@code exp}, {@code nbf} and the cache are judged by (default: the system clock). */
        public Builder timeSource(TimeSource value) {
            once("timeSource");
            time = Objects.requireNonNull(value, "timeSource");
            return this;
        }

        /**
         * The longest a verified token is cached (default 5 minutes; never beyond its {@code exp}).
         * {@link Duration#ZERO} verifies every request.
         */
        public Builder cacheTtl(Duration value) {
            once("cacheTtl");
            Objects.requireNonNull(value, "cacheTtl");
            if (value.isNegative()) {
                throw new IllegalArgumentException("cacheTtl must not be negative");
            }
            cacheTtl = value;
            return this;
        }

        /** The most verified tokens cached (default 10,000). */
        public Builder cacheSize(long value) {
            once("cacheSize");
            if (value < 0) {
                throw new IllegalArgumentException("cacheSize must not be negative");
            }
            cacheSize = value;
            return this;
        }

        /** The connect and read timeout of the discovery and key-set requests (default 5 s). */
        public Builder httpTimeout(Duration value) {
            once("httpTimeout");
            Objects.requireNonNull(value, "httpTimeout");
            if (value.toMillis() < 1 || value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("httpTimeout must be 1ms or more");
            }
            httpTimeout = value;
            return this;
        }

        /** Builds the resolver; nothing is fetched until the first token. */
        public OidcTokenResolver build() {
            return new OidcTokenResolver(this);
        }

        private static Set<JWSAlgorithm> parseAlgorithms(List<String> names) {
            Set<JWSAlgorithm> parsed = new LinkedHashSet<>();
            List<String> refused = new ArrayList<>();
            for (String name : names) {
                JWSAlgorithm alg = JWSAlgorithm.parse(Objects.requireNonNull(name, "algorithm").strip()
                        .toUpperCase(Locale.ROOT));
                if (ASYMMETRIC.contains(alg)) {
                    parsed.add(alg);
                } else {
                    refused.add(name);
                }
            }
            if (!refused.isEmpty()) {
                throw new IllegalArgumentException("algorithms: " + String.join(", ", refused)
                        + " not allowed; only RSA and EC signatures are (RS256, RS384, RS512, PS256, PS384, PS512, "
                        + "ES256, ES384, ES512)");
            }
            return parsed;
        }

        private static URI httpUrl(String text, String field) {
            URI uri;
            try {
                uri = new URI(text.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(field + " must be an http(s) URL, was '" + text + "'");
            }
            if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new IllegalArgumentException(field + " must be an http(s) URL without query, was '" + text + "'");
            }
            return uri;
        }

        private static String notBlank(String value, String field) {
            Objects.requireNonNull(value, field);
            if (value.isBlank()) {
                throw new IllegalArgumentException(field + " must not be blank");
            }
            return value.strip();
        }
    }
}
