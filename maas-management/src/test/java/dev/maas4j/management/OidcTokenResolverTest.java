package dev.maas4j.management;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.maas4j.api.ManualTimeSource;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OidcTokenResolver} behind the management API over real HTTP, verifying tokens of a real
 * OIDC provider on loopback (mock-oauth2-server) with two issuers, {@code maas} and {@code partners}.
 */
class OidcTokenResolverTest {
    private static final RoleMapping ROLES = new RoleMapping(Set.of("maas-admins"), Set.of("auditors"));
    private static MockOAuth2Server idp;

    private final ManualTimeSource clock = new ManualTimeSource(Instant.now());

    @BeforeAll
    static void startProvider() throws Exception {
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterAll
    static void stopProvider() {
        idp.shutdown();
    }

    private static String issuer(String id) {
        return idp.issuerUrl(id).toString();
    }

    /** A token of issuer {@code id} for {@code user}, valid {@code seconds} from the provider's (real) now. */
    private static String token(String id, String user, List<String> audience, Map<String, Object> claims,
                                long seconds) {
        Map<String, Object> all = new java.util.HashMap<>(claims);
        all.put("preferred_username", user);
        return idp.issueToken(id, "maas-portal", new DefaultOAuth2TokenCallback(id, "sub-" + user, "JWT", audience,
                all, seconds)).serialize();
    }

    private static String token(String id, String user, String... groups) {
        return token(id, user, List.of("maas-api"), Map.of("groups", List.of(groups)), 3600);
    }

    private OidcTokenResolver.Builder maas() {
        return maas(clock);
    }

    private static OidcTokenResolver.Builder maas(ManualTimeSource time) {
        return OidcTokenResolver.builder(issuer("maas")).audience("maas-api").roleMapping(ROLES).timeSource(time);
    }

    private static void assertRejected(ManagementFixture.Response r, String code, String token) {
        assertEquals(401, r.status(), r::toString);
        assertEquals(code, r.json().at("/error/code").asText(), r::toString);
        assertEquals("authentication_error", r.json().at("/error/type").asText(), r::toString);
        assertFalse(r.body().contains(token), "the token is never echoed");
        if (!code.equals("api_key_not_accepted")) {
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), r::toString);
        }
    }

    @Test
    void aUserWithATokenOfTheIssuerManagesOnlyHerOwnKeys() throws Exception {
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, maas().build(), null)) {
            String alice = token("maas", "alice", "dev");
            ManagementFixture.Response created = f.post("/api-keys", alice, "{\"name\":\"laptop\"}");
            assertEquals(201, created.status(), created::toString);
            f.post("/api-keys", token("maas", "bob", "dev"), "{\"name\":\"bobs\"}");

            ManagementFixture.Response mine = f.get("/api-keys", alice);
            assertEquals(1, mine.json().get("data").size(), mine::toString);
            assertEquals("alice", mine.json().get("data").get(0).path("username").asText());
            assertEquals(403, f.get("/audit", alice).status(), "a plain user reads no audit log");
        }
    }

    @Test
    void groupsMapToRolesThroughTheSharedMapping() throws Exception {
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, maas().build(), null)) {
            f.post("/api-keys", token("maas", "alice", "dev"), "{\"name\":\"laptop\"}");
            String auditor = token("maas", "dora", "auditors");
            assertEquals(1, f.get("/api-keys?username=alice", auditor).json().get("data").size());
            assertEquals(200, f.get("/audit", auditor).status());
            assertEquals(403, f.post("/models", auditor, "{\"name\":\"x\"}").status(), "adminReadonly changes nothing");
            String admin = token("maas", "root", "maas-admins");
            assertEquals(200, f.get("/audit", admin).status());
        }
        Caller auditor = ROLES.caller("dora", List.of("auditors"));
        assertEquals(Set.of(Role.USER, Role.ADMIN_READONLY), auditor.roles());
        TrustedHeaderResolver headers = TrustedHeaderResolver.builder().trustProxy("127.0.0.1").roleMapping(ROLES)
                .build();
        assertTrue(headers.toString().contains("X-Forwarded-User"));
    }

    @Test
    void aDottedGroupsClaimReachesNestedRolesAndThePrefixIsAddedBeforeMapping() throws Exception {
        RoleMapping prefixed = new RoleMapping(Set.of("kc:maas-admins"), Set.of());
        OidcTokenResolver realm = OidcTokenResolver.builder(issuer("maas")).groupsClaim("realm_access.roles")
                .groupPrefix("kc:").roleMapping(prefixed).userClaim("sub").timeSource(clock).build();
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, realm, null)) {
            f.store.setGroups("sub-root", "dev");
            String admin = token("maas", "root", List.of("maas-api"),
                    Map.of("realm_access", Map.of("roles", List.of("maas-admins", "offline_access"))), 3600);
            assertEquals(200, f.get("/audit", admin).status());
            ManagementFixture.Response created = f.post("/api-keys", admin, "{\"name\":\"k\"}");
            assertEquals(201, created.status(), created::toString);
            // the user claim is sub here: the key's owner is the subject, not preferred_username
            assertEquals(1, f.get("/api-keys?username=sub-root", admin).json().get("data").size());

            String unprefixedGroupOnly = token("maas", "eve", List.of("maas-api"), Map.of("groups",
                    List.of("kc:maas-admins")), 3600);
            assertEquals(403, f.get("/audit", unprefixedGroupOnly).status(),
                    "only the configured claim carries groups");
        }
    }

    @Test
    void tokensOfTwoIssuersWorkSideBySideAndAnUnconfiguredIssuerIsUnknown() throws Exception {
        OidcTokenResolver partners = OidcTokenResolver.builder(issuer("partners")).groupPrefix("partners:")
                .roleMapping(ROLES).timeSource(clock).build();
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, IdentityResolver.firstOf(maas().build(), partners), null)) {
            assertEquals(201, f.post("/api-keys", token("maas", "alice", "dev"), "{\"name\":\"a\"}").status());
            String bob = token("partners", "bob", "maas-admins");
            assertEquals(201, f.post("/api-keys", bob, "{\"name\":\"b\"}").status());
            assertEquals(403, f.get("/audit", bob).status(), "partners' maas-admins is partners:maas-admins");

            String stranger = token("elsewhere", "mallory", "maas-admins");
            assertRejected(f.get("/api-keys", stranger), "unknown_issuer", stranger);
        }
    }

    @Test
    void anExpiredTokenIsRejectedAsExpiredEvenWhenItWasCached() throws Exception {
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, maas().clockSkew(Duration.ofSeconds(30)).build(), null)) {
            String shortLived = token("maas", "alice", List.of("maas-api"), Map.of(), 120);
            assertEquals(200, f.get("/api-keys", shortLived).status());
            clock.advance(Duration.ofSeconds(140)); // past exp, within the skew: still good
            assertEquals(200, f.get("/api-keys", shortLived).status());
            clock.advance(Duration.ofSeconds(30));
            assertRejected(f.get("/api-keys", shortLived), "token_expired", shortLived);
        }
    }

    @Test
    void aTokenNotYetValidIsRejectedAsSuch() throws Exception {
        // our clock behind the provider's by more than the skew
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, maas(new ManualTimeSource(Instant.now().minus(Duration.ofMinutes(10)))).build(), null)) {
            String early = token("maas", "alice", "dev");
            assertRejected(f.get("/api-keys", early), "token_not_yet_valid", early);
        }
    }

    @Test
    void aTokenForAnotherAudienceIsRejected() throws Exception {
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, maas().build(), null)) {
            String forOthers = token("maas", "alice", List.of("account"), Map.of(), 3600);
            assertRejected(f.get("/api-keys", forOthers), "wrong_audience", forOthers);
        }
    }

    @Test
    void badSignaturesUnknownKeysAndUnsignedTokensAreRejectedEachWithItsReason() throws Exception {
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, maas().build(), null)) {
            String genuine = token("maas", "alice", "dev");
            SignedJWT parsed = SignedJWT.parse(genuine);
            String kid = parsed.getHeader().getKeyID();

            // the payload altered after signing: groups raised to admin
            JWTClaimsSet raised = new JWTClaimsSet.Builder(parsed.getJWTClaimsSet())
                    .claim("groups", List.of("maas-admins")).build();
            String[] parts = genuine.split("\\.");
            String tampered = parts[0] + "." + Base64URL.encode(raised.toString().getBytes(StandardCharsets.UTF_8))
                    + "." + parts[2];
            assertRejected(f.get("/audit", tampered), "bad_signature", tampered);

            // signed by a key the issuer does not have, under the kid of one it has
            RSAKey impostor = new RSAKeyGenerator(2048).keyID(kid).generate();
            String forged = sign(impostor, JWSAlgorithm.RS256, parsed.getJWTClaimsSet());
            assertRejected(f.get("/audit", forged), "bad_signature", forged);

            // a kid the issuer's key set does not hold, even refetched; and a second one, rate-limited
            String rotatedAway = sign(new RSAKeyGenerator(2048).keyID("retired-key").generate(), JWSAlgorithm.RS256,
                    parsed.getJWTClaimsSet());
            assertRejected(f.get("/audit", rotatedAway), "unknown_key", rotatedAway);
            String another = sign(new RSAKeyGenerator(2048).keyID("another-key").generate(), JWSAlgorithm.RS256,
                    parsed.getJWTClaimsSet());
            assertRejected(f.get("/audit", another), "unknown_key", another);

            String unsigned = new PlainJWT(raised).serialize();
            assertRejected(f.get("/audit", unsigned), "algorithm_not_allowed", unsigned);
            SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), raised);
            hmac.sign(new MACSigner("a-shared-secret-of-at-least-256-bits-0123"));
            assertRejected(f.get("/audit", hmac.serialize()), "algorithm_not_allowed", hmac.serialize());

            String apiKey = "sk-oai-" + "x".repeat(40);
            assertRejected(f.get("/audit", apiKey), "api_key_not_accepted", apiKey);

            assertEquals(200, f.get("/api-keys", genuine).status(), "the genuine token still works");
        }
    }

    @Test
    void failedTokensCountAgainstTheAddressLikeEvery401() throws Exception {
        try (ManagementFixture f = new ManagementFixture(b -> b.authFailureThrottle(
                dev.maas4j.core.AuthFailureThrottle.builder().maxFailures(2).window(Duration.ofMinutes(1)).build()),
                maas().build(), null)) {
            String forOthers = token("maas", "alice", List.of("account"), Map.of(), 3600);
            f.get("/api-keys", forOthers);
            f.get("/api-keys", forOthers);
            ManagementFixture.Response throttled = f.get("/api-keys", token("maas", "alice", "dev"));
            assertEquals(429, throttled.status(), throttled::toString);
        }
    }

    @Test
    void anUnreachableProviderIs503NotAFallThrough() throws Exception {
        OidcTokenResolver down = OidcTokenResolver.builder("http://127.0.0.1:9/realms/maas")
                .httpTimeout(Duration.ofSeconds(2)).build();
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, down, null)) {
            String token = sign(new RSAKeyGenerator(2048).keyID("k").generate(), JWSAlgorithm.RS256,
                    new JWTClaimsSet.Builder().issuer("http://127.0.0.1:9/realms/maas").subject("alice")
                            .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
            ManagementFixture.Response r = f.get("/api-keys", token);
            assertEquals(503, r.status(), r::toString);
            assertEquals("identity_unavailable", r.json().at("/error/code").asText());
        }
    }

    @Test
    void theBuilderRefusesUnsafeSettings() {
        assertThrows(IllegalArgumentException.class, () -> OidcTokenResolver.builder("not a url"));
        assertThrows(IllegalArgumentException.class, () -> OidcTokenResolver.builder("ftp://idp/realms/x"));
        IllegalArgumentException hmac = assertThrows(IllegalArgumentException.class,
                () -> OidcTokenResolver.builder(issuer("maas")).algorithms("RS256", "HS256"));
        assertTrue(hmac.getMessage().contains("HS256"), hmac.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OidcTokenResolver.builder(issuer("maas")).algorithms("none"));
        assertThrows(IllegalArgumentException.class,
                () -> OidcTokenResolver.builder(issuer("maas")).clockSkew(Duration.ofHours(1)));
        assertThrows(IllegalStateException.class,
                () -> OidcTokenResolver.builder(issuer("maas")).audience("a").audience("b"));
        assertEquals(issuer("maas"), OidcTokenResolver.builder(issuer("maas")).build().issuer());
    }

    private static String sign(RSAKey key, JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT)
                .build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
