package dev.maas4j.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.management.BearerTokenResolver;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway with an {@code identity} section, end to end on loopback: users of two OIDC issuers
 * (a real OIDC provider, mock-oauth2-server, with realms {@code maas} and {@code partners}) and a
 * configured token manage keys by their roles, and the keys call the demo model.
 */
class GatewayOidcTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CI_TOKEN = "ci-bot-token-0123456789abcdef";
    private static MockOAuth2Server idp;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startProvider() throws Exception {
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterAll
    static void stopProvider() {
        idp.shutdown();
    }

    private static Gateway start() throws Exception {
        String yaml = """
                identity:
                  oidc:
                    - issuer: %s
                      audience: maas-api
                    - issuer: %s
                      groupsClaim: realm_access.roles
                      groupPrefix: "partners:"
                  tokens:
                    - {sha256: "%s", user: ci-bot, groups: [ci]}
                  roles:
                    admin: [maas-admins]
                    adminReadonly: [auditors, "partners:auditors"]
                """.formatted(idp.issuerUrl("maas"), idp.issuerUrl("partners"), BearerTokenResolver.sha256Hex(CI_TOKEN));
        GatewayConfig config = GatewayConfig.parse(yaml, Map.of("MAAS_PORT", "0", "MAAS_STORE", "memory"));
        return Gateway.start(config, new PrintStream(OutputStream.nullOutputStream()));
    }

    private static String login(String user, String... groups) {
        return idp.issueToken("maas", "maas-portal", new DefaultOAuth2TokenCallback("maas", user, "JWT",
                List.of("maas-api"), Map.of("preferred_username", user, "groups", List.of(groups)), 3600)).serialize();
    }

    private static String partnerLogin(String user, String... roles) {
        return idp.issueToken("partners", "partner-portal", new DefaultOAuth2TokenCallback("partners", user, "JWT",
                List.of("account"), Map.of("preferred_username", user, "realm_access", Map.of("roles", List.of(roles))),
                3600)).serialize();
    }

    private HttpResponse<String> call(Gateway gateway, String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.baseUri().resolve("/maas-api/v1" + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode createKey(Gateway gateway, String token, String name) throws Exception {
        HttpResponse<String> created = call(gateway, "POST", "/api-keys", token, "{\"name\":\"" + name + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body());
    }

    private static List<String> ids(HttpResponse<String> listing) throws Exception {
        assertEquals(200, listing.statusCode(), listing.body());
        List<String> ids = new java.util.ArrayList<>();
        JSON.readTree(listing.body()).path("data").forEach(k -> ids.add(k.path("id").asText()));
        return ids;
    }

    private HttpResponse<String> chat(Gateway gateway, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUri() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"demo-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aUserOfTheIdentityProviderServesHerselfAndSeesOnlyHerOwnKeys() throws Exception {
        try (Gateway gateway = start()) {
            String alice = login("alice", "data-science");
            JsonNode aliceKey = createKey(gateway, alice, "laptop");
            HttpResponse<String> completion = chat(gateway, aliceKey.path("key").asText());
            assertEquals(200, completion.statusCode(), completion.body());

            String bob = login("bob", "data-science");
            JsonNode bobKey = createKey(gateway, bob, "bobs");
            String bobsId = bobKey.path("id").asText();

            assertEquals(List.of(aliceKey.path("id").asText()), ids(call(gateway, "GET", "/api-keys", alice, null)));
            HttpResponse<String> searched = call(gateway, "POST", "/api-keys/search", alice, "{}");
            assertEquals(1, JSON.readTree(searched.body()).path("data").size(), searched.body());
            assertEquals(404, call(gateway, "GET", "/api-keys/" + bobsId, alice, null).statusCode(),
                    "another user's key does not exist for her");
            assertEquals(404, call(gateway, "DELETE", "/api-keys/" + bobsId, alice, null).statusCode());
            assertEquals(403, call(gateway, "GET", "/audit", alice, null).statusCode());
            assertEquals(200, chat(gateway, bobKey.path("key").asText()).statusCode(), "bob's key still works");
        }
    }

    @Test
    void anAuditorReadsEverythingAndChangesNothingAndAnAdminDoesEverything() throws Exception {
        try (Gateway gateway = start()) {
            String alicesId = createKey(gateway, login("alice"), "laptop").path("id").asText();

            String auditor = login("dora", "auditors");
            assertEquals(List.of(alicesId), ids(call(gateway, "GET", "/api-keys?username=alice", auditor, null)));
            assertEquals(200, call(gateway, "GET", "/api-keys/" + alicesId, auditor, null).statusCode());
            assertEquals(200, call(gateway, "GET", "/audit", auditor, null).statusCode());
            assertEquals(403, call(gateway, "DELETE", "/api-keys/" + alicesId, auditor, null).statusCode());
            assertEquals(403, call(gateway, "POST", "/models", auditor,
                    "{\"name\":\"x\",\"endpoints\":[\"http://127.0.0.1:9/v1\"]}").statusCode());

            String admin = login("root", "maas-admins");
            assertEquals(200, call(gateway, "GET", "/audit", admin, null).statusCode());
            HttpResponse<String> revoked = call(gateway, "DELETE", "/api-keys/" + alicesId, admin, null);
            assertTrue(revoked.statusCode() == 200 || revoked.statusCode() == 204, revoked.body());
            HttpResponse<String> model = call(gateway, "POST", "/models", admin,
                    "{\"name\":\"granite\",\"endpoints\":[\"http://127.0.0.1:9/v1\"]}");
            assertEquals(201, model.statusCode(), model.body());
        }
    }

    @Test
    void tokensOfTheSecondIssuerAndConfiguredTokensWorkAndBadTokensSayWhy() throws Exception {
        try (Gateway gateway = start()) {
            String carol = partnerLogin("carol", "auditors");
            createKey(gateway, login("alice"), "laptop");
            assertEquals(1, ids(call(gateway, "GET", "/api-keys?username=alice", carol, null)).size(),
                    "partners:auditors read everything");
            assertEquals(403, call(gateway, "POST", "/models", carol, "{\"name\":\"x\"}").statusCode());
            String dave = partnerLogin("dave", "maas-admins");
            assertEquals(403, call(gateway, "GET", "/audit", dave, null).statusCode(),
                    "the partners realm's maas-admins is partners:maas-admins, no admin");
            createKey(gateway, dave, "daves");

            createKey(gateway, CI_TOKEN, "pipeline");
            assertEquals(1, ids(call(gateway, "GET", "/api-keys", CI_TOKEN, null)).size());
            assertEquals(200, call(gateway, "GET", "/audit", gateway.adminToken().reveal(), null).statusCode(),
                    "the bootstrap admin stays");

            String forAnotherApi = idp.issueToken("maas", "x", new DefaultOAuth2TokenCallback("maas", "alice", "JWT",
                    List.of("account"), Map.of("preferred_username", "alice"), 3600)).serialize();
            HttpResponse<String> wrongAudience = call(gateway, "GET", "/api-keys", forAnotherApi, null);
            assertEquals(401, wrongAudience.statusCode());
            JsonNode error = JSON.readTree(wrongAudience.body()).path("error");
            assertEquals("wrong_audience", error.path("code").asText(), wrongAudience.body());
            assertEquals("authentication_error", error.path("type").asText());
            assertFalse(wrongAudience.body().contains(forAnotherApi));

            String stranger = idp.issueToken("elsewhere", "x", new DefaultOAuth2TokenCallback("elsewhere", "mallory",
                    "JWT", List.of("maas-api"), Map.of("preferred_username", "mallory"), 3600)).serialize();
            HttpResponse<String> unknown = call(gateway, "GET", "/api-keys", stranger, null);
            assertEquals(401, unknown.statusCode());
            assertEquals("unknown_issuer", JSON.readTree(unknown.body()).at("/error/code").asText());
        }
    }
}
