package dev.maas4j.management;

import dev.maas4j.api.Secret;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.Test;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;

import static dev.maas4j.management.ManagementFixture.ALICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The identity resolvers over real HTTP: trusted headers, hashed bearer tokens, the container principal, composition. */
class ManagementIdentityTest {

    @Test
    void trustedHeadersFromAConfiguredProxyIdentifyTheCallerAndMapAdminGroups() throws Exception {
        TrustedHeaderResolver proxy = TrustedHeaderResolver.builder().trustProxy("127.0.0.0/8")
                .adminGroups("maas-admins").adminReadonlyGroups("maas-auditors").build();
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, proxy, null)) {
            ManagementFixture.Response created = f.sendWith("POST", "/api-keys", "{\"name\":\"bobs\"}",
                    "X-Forwarded-User", "bob", "X-Forwarded-Groups", "dev, staff");
            assertEquals(201, created.status(), created::toString);
            assertEquals(401, f.get("/api-keys", ALICE).status(), "only the proxy's headers identify callers here");
            ManagementFixture.Response asUser = f.sendWith("GET", "/api-keys", null, "X-Forwarded-User", "alice",
                    "X-Forwarded-Groups", "dev");
            assertEquals(0, asUser.json().get("data").size(), "alice sees only her own keys");
            ManagementFixture.Response asAdmin = f.sendWith("GET", "/api-keys", null, "X-Forwarded-User", "carol",
                    "X-Forwarded-Groups", "dev,maas-admins");
            assertEquals(1, asAdmin.json().get("data").size(), "members of an admin group are admins");
            ManagementFixture.Response auditor = f.sendWith("GET", "/audit", null, "X-Forwarded-User", "dave",
                    "X-Forwarded-Groups", "maas-auditors");
            assertEquals(200, auditor.status());
        }
    }

    @Test
    void trustedHeadersFromAnUntrustedAddressAreIgnored() throws Exception {
        TrustedHeaderResolver elsewhere = TrustedHeaderResolver.builder().trustProxy("10.9.9.9")
                .adminGroups("maas-admins").build();
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, elsewhere, null)) {
            ManagementFixture.Response r = f.sendWith("GET", "/api-keys", null, "X-Forwarded-User", "mallory",
                    "X-Forwarded-Groups", "maas-admins");
            assertEquals(401, r.status(), r::toString);
            assertEquals(0, f.audit.size());
        }
    }

    @Test
    void trustedHeaderConfigurationFailsFast() {
        assertThrows(IllegalStateException.class, () -> TrustedHeaderResolver.builder().build());
        IllegalArgumentException host = assertThrows(IllegalArgumentException.class,
                () -> TrustedHeaderResolver.builder().trustProxy("proxy.example.com"));
        assertTrue(host.getMessage().contains("IP address or CIDR"), host.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrustedHeaderResolver.builder().trustProxy("10.0.0.0/33"));
        TrustedHeaderResolver.builder().trustProxy("::1").trustProxy("fd00::/8").trustProxy("10.0.0.0/8").build();
    }

    @Test
    void bearerTokensAreKeptAndComparedAsHashes() throws Exception {
        Secret generated = BearerTokenResolver.generateToken();
        assertTrue(generated.reveal().startsWith("mgmt-") && generated.reveal().length() > 40);
        assertEquals("Secret[redacted]", generated.toString());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                BearerTokenResolver.sha256Hex("abc"));

        // declared by hash only: the resolver never sees the plain token, so it can only compare hashes
        BearerTokenResolver tokens = BearerTokenResolver.builder()
                .addHashedToken(BearerTokenResolver.sha256Hex(generated.reveal()).toUpperCase(),
                        Caller.of("bootstrap-admin", Set.of(), Role.ADMIN))
                .build();
        assertFalse(tokens.toString().contains(generated.reveal()));
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, tokens, null)) {
            assertEquals(200, f.get("/audit", generated.reveal()).status());
            String almost = generated.reveal().substring(0, generated.reveal().length() - 1)
                    + (generated.reveal().endsWith("A") ? "B" : "A");
            assertEquals(401, f.get("/audit", almost).status());
            assertEquals(401, f.sendWith("GET", "/audit", null, "Authorization", "Basic " + generated.reveal()).status());
        }
    }

    @Test
    void bearerTokenConfigurationFailsFast() {
        Caller admin = Caller.of("a", Set.of(), Role.ADMIN);
        assertThrows(IllegalArgumentException.class, () -> BearerTokenResolver.builder().addToken("short", admin));
        assertThrows(IllegalArgumentException.class,
                () -> BearerTokenResolver.builder().addToken("sk-oai-looks-like-an-api-key", admin));
        assertThrows(IllegalArgumentException.class,
                () -> BearerTokenResolver.builder().addToken("has a space in it!!", admin));
        assertThrows(IllegalArgumentException.class, () -> BearerTokenResolver.builder().addHashedToken("abc", admin));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> BearerTokenResolver.builder()
                .addToken("the-same-token-twice", admin).addToken("the-same-token-twice", admin));
        assertFalse(twice.getMessage().contains("the-same-token-twice"), "no secret in exceptions");
        assertThrows(IllegalArgumentException.class, () -> new Caller("x", Set.of(), Set.of()));
    }

    @Test
    void theContainersPrincipalAndRolesIdentifyTheCaller() throws Exception {
        // stands for the container's own authentication (a realm, Jakarta Security, Spring Security)
        Filter containerAuth = (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            String user = http.getHeader("X-Test-Login");
            chain.doFilter(user == null ? request : new HttpServletRequestWrapper(http) {
                @Override
                public Principal getUserPrincipal() {
                    return () -> user;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return user.equals("carol") ? Set.of("maas-admin", "dev").contains(role) : role.equals("dev");
                }
            }, response);
        };
        IdentityResolver container = ContainerPrincipalResolver.builder().adminRole("maas-admin").groupRoles("dev")
                .build();
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, container, containerAuth)) {
            assertEquals(401, f.get("/api-keys", null).status());
            assertEquals(201, f.sendWith("POST", "/api-keys", "{\"name\":\"k\"}", "X-Test-Login", "alice").status());
            assertEquals(0, f.sendWith("GET", "/api-keys", null, "X-Test-Login", "bob").json().get("data").size());
            assertEquals(1, f.sendWith("GET", "/api-keys", null, "X-Test-Login", "carol").json().get("data").size());
            assertEquals(403, f.sendWith("GET", "/audit", null, "X-Test-Login", "bob").status());
        }
    }

    @Test
    void aCompositeTakesTheFirstCallerAndAnOutageIsNotAFallThrough() throws Exception {
        IdentityResolver nobody = request -> Optional.empty();
        IdentityResolver everybodyIsBob = request -> Optional.of(Caller.user("bob"));
        IdentityResolver down = request -> {
            throw new IllegalStateException("identity provider unreachable");
        };
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, IdentityResolver.firstOf(nobody, everybodyIsBob), null)) {
            assertEquals(200, f.get("/api-keys", null).status());
        }
        try (ManagementFixture f = new ManagementFixture(b -> {
        }, CompositeIdentityResolver.of(down, everybodyIsBob), null)) {
            ManagementFixture.Response r = f.get("/api-keys", null);
            assertEquals(503, r.status(), r::toString);
            assertEquals("server_error", r.json().at("/error/type").asText());
            assertFalse(r.body().contains("unreachable"), "internal details stay in the log");
        }
        assertThrows(IllegalArgumentException.class, CompositeIdentityResolver::of);
    }

    @Test
    void everyResponseCarriesARequestId() throws Exception {
        try (ManagementFixture f = new ManagementFixture()) {
            assertEquals("trace-123", f.sendWith("GET", "/api-keys", null, "x-request-id", "trace-123",
                    "Authorization", "Bearer " + ALICE).headers().firstValue("x-request-id").orElseThrow());
            assertTrue(f.get("/nowhere", null).headers().firstValue("x-request-id").isPresent());
        }
    }
}
