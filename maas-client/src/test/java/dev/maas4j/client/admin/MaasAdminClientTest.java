package dev.maas4j.client.admin;

import dev.maas4j.testing.FakeOpenAiUpstream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.client.AuthenticationException;
import dev.maas4j.client.ConflictException;
import dev.maas4j.client.NotFoundException;
import dev.maas4j.client.PermissionDeniedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.maas4j.client.Fixtures.bodyJson;
import static dev.maas4j.client.Fixtures.fixture;
import static dev.maas4j.testing.FakeOpenAiUpstream.respond;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaasAdminClientTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.admin-token.sig";
    private static final String BASE = "/maas-api/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeOpenAiUpstream server = FakeOpenAiUpstream.start();
    private final MaasAdminClient admin = MaasAdminClient.builder().baseUrl(server.root()).token(TOKEN).build();

    @AfterEach
    void stop() {
        server.close();
    }

    /** Answers {@code json} with {@code status}, or 401 unless the request carries the admin bearer token. */
    private static FakeOpenAiUpstream.Handler authorized(int status, String json) {
        return (request, exchange, attempt) -> {
            if (!("Bearer " + TOKEN).equals(request.header("Authorization"))) {
                respond(exchange, 401, "{\"error\":{\"message\":\"Authorization required\",\"type\":\"authentication_error\"}}");
                return;
            }
            respond(exchange, status, json);
        };
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void assertSent(String method, String path, String expectedJson) {
        FakeOpenAiUpstream.Request r = server.last();
        assertEquals(method + " " + path, r.method() + " " + r.path());
        assertEquals("Bearer " + TOKEN, r.header("Authorization"));
        if (expectedJson != null) {
            assertEquals("application/json", r.header("Content-Type"));
            assertEquals(tree(expectedJson), bodyJson(r));
        }
    }

    @Test
    void createKeySendsTheOdhShapeWithLimitsAndLabelsAndReturnsTheSecretOnce() {
        server.on("POST", BASE + "/api-keys", authorized(201, fixture("admin/api-key-created.json")));

        CreatedApiKey key = admin.apiKeys().create(CreateApiKeyRequest.builder("ci-pipeline")
                .description("Key for the nightly evaluation")
                .expiresIn(Duration.ofDays(30))
                .subscription("premium-subscription")
                .limits(KeyLimits.builder().requestsPerMinute(60).tokensPerMinute(50_000)
                        .budget(new BigDecimal("25.00"), BudgetPeriod.MONTH).build())
                .label("team", "search").label("env", "prod")
                .build());

        assertSent("POST", BASE + "/api-keys", """
                {"name": "ci-pipeline", "description": "Key for the nightly evaluation", "expiresIn": "30d",
                 "subscription": "premium-subscription",
                 "limits": {"requestsPerMinute": 60, "tokensPerMinute": 50000, "budget": "25.00", "budgetPeriod": "month"},
                 "labels": {"team": "search", "env": "prod"}}
                """);
        assertEquals("sk-oai-Ab3xK9_5f1d0c2e9a8b7c6d5e4f3a2b1c0d9e8f", key.key());
        assertEquals("Ab3xK9", key.id());
        assertEquals("sk-oai-Ab3x", key.keyPrefix());
        assertEquals(Instant.parse("2026-01-15T10:30:00Z"), key.createdAt());
        assertEquals(Instant.parse("2026-02-14T10:30:00Z"), key.expiresAt().orElseThrow());
        assertEquals(new BigDecimal("25.00"), key.limits().orElseThrow().budget().orElseThrow());
        assertEquals(BudgetPeriod.MONTH, key.limits().orElseThrow().budgetPeriod().orElseThrow());
        assertEquals(Map.of("team", "search", "env", "prod"), key.labels());
        assertFalse(key.toString().contains(key.key()), key.toString());
        assertFalse(key.toString().contains("5f1d0c2e9a8b"), key.toString());
    }

    @Test
    void anEphemeralKeyNeedsNoName() {
        server.on("POST", BASE + "/api-keys", authorized(201, fixture("admin/api-key-created.json")));

        admin.apiKeys().create(CreateApiKeyRequest.ephemeralBuilder().expiresIn("1h").build());

        assertSent("POST", BASE + "/api-keys", "{\"ephemeral\": true, \"expiresIn\": \"1h\"}");
        assertThrows(IllegalArgumentException.class, () -> CreateApiKeyRequest.builder("x").expiresIn("30 days"));
        assertEquals(Optional.of("3600s"), CreateApiKeyRequest.builder("x").expiresIn("3600s").build().expiresIn(),
                "the server's grammar: seconds too");
        assertEquals(Optional.of("90s"), CreateApiKeyRequest.builder("x").expiresIn(Duration.ofSeconds(90)).build()
                .expiresIn());
        assertEquals(Optional.of("2h"), CreateApiKeyRequest.builder("x").expiresIn(Duration.ofMinutes(120)).build()
                .expiresIn());
        assertThrows(IllegalArgumentException.class, () -> CreateApiKeyRequest.builder("x").expiresIn("0d"));
        assertThrows(IllegalArgumentException.class, () -> CreateApiKeyRequest.builder("x").expiresIn("1234567890s"),
                "at most nine digits, as the server reads them");
        assertThrows(IllegalArgumentException.class, () -> CreateApiKeyRequest.builder("x")
                .expiresIn(Duration.ofDays(1_000_000_000L)), "beyond the server's nine digits of days");
    }

    @Test
    void searchSendsFiltersSortAndPaginationAndReadsThePage() {
        server.on("POST", BASE + "/api-keys/search", authorized(200, fixture("admin/api-key-list.json")));

        ApiKeyList page = admin.apiKeys().search(ApiKeySearch.builder().username("alice")
                .status(KeyStatus.ACTIVE, KeyStatus.REVOKED).includeEphemeral(false)
                .sortBy(ApiKeySearch.SortField.NAME, true).limit(20).offset(40).build());

        assertSent("POST", BASE + "/api-keys/search", """
                {"filters": {"username": "alice", "status": ["active", "revoked"], "includeEphemeral": false},
                 "sort": {"by": "name", "order": "asc"}, "pagination": {"limit": 20, "offset": 40}}
                """);
        assertTrue(page.hasMore());
        ApiKey key = page.data().get(0);
        assertEquals("Ab3xK9", key.id());
        assertEquals("alice", key.username().orElseThrow());
        assertEquals(List.of("premium-user", "system:authenticated"), key.groups());
        assertEquals(KeyStatus.ACTIVE, key.status());
        assertEquals(Instant.parse("2026-01-16T08:00:00Z"), key.lastUsedAt().orElseThrow());
        assertEquals(60L, key.limits().orElseThrow().requestsPerMinute().orElseThrow());
        ApiKey odhOnly = page.data().get(1);
        assertTrue(odhOnly.keyPrefix().isEmpty() && odhOnly.labels().isEmpty(), "ODH keys without maas4j fields read");
    }

    @Test
    void listUsesTheDefaultSearchAndSearchAllFollowsThePages() {
        server.on("POST", BASE + "/api-keys/search", (request, exchange, attempt) -> respond(exchange, 200,
                attempt == 1 ? fixture("admin/api-key-list.json")
                        : "{\"object\":\"list\",\"data\":[{\"id\":\"k3\",\"name\":\"n\",\"creationDate\":"
                        + "\"2026-01-01T00:00:00Z\",\"status\":\"expired\",\"ephemeral\":true}],\"has_more\":false}"));

        List<ApiKey> all = admin.apiKeys().searchAll(ApiKeySearch.builder().limit(2).build());

        assertEquals(List.of("Ab3xK9", "key_def456", "k3"), all.stream().map(ApiKey::id).toList());
        assertEquals(2, bodyJson(server.last()).at("/pagination/offset").asInt());
        assertEquals(KeyStatus.EXPIRED, all.get(2).status());

        admin.apiKeys().list();
        assertSent("POST", BASE + "/api-keys/search", "{\"filters\": {}, \"pagination\": {\"limit\": 50, \"offset\": 0}}");
    }

    @Test
    void getRevokeAndBulkRevokeUseTheOdhPathsAndShapes() {
        String revoked = """
                {"id": "key_abc123", "name": "my-production-key", "subscription": "premium-subscription",
                 "creationDate": "2024-01-15T10:30:00Z", "status": "revoked", "ephemeral": false,
                 "revokedAt": "2024-02-01T00:00:00Z"}
                """;
        server.on("GET", BASE + "/api-keys/key_abc123", authorized(200, revoked));
        server.on("DELETE", BASE + "/api-keys/key_abc123", authorized(200, revoked));
        server.on("POST", BASE + "/api-keys/bulk-revoke", authorized(200,
                "{\"revokedCount\": 3, \"message\": \"Dry run: 3 active key(s) would be revoked\", \"dryRun\": true}"));

        assertEquals("my-production-key", admin.apiKeys().get("key_abc123").name());
        assertSent("GET", BASE + "/api-keys/key_abc123", null);
        ApiKey key = admin.apiKeys().revoke("key_abc123");
        assertSent("DELETE", BASE + "/api-keys/key_abc123", null);
        assertEquals(KeyStatus.REVOKED, key.status());
        assertEquals(Instant.parse("2024-02-01T00:00:00Z"), key.revokedAt().orElseThrow());

        BulkRevokeResult result = admin.apiKeys().bulkRevoke(
                BulkRevokeRequest.forUser("bob").inSubscription("simulator-subscription").asDryRun());
        assertSent("POST", BASE + "/api-keys/bulk-revoke",
                "{\"username\": \"bob\", \"subscription\": \"simulator-subscription\", \"dryRun\": true}");
        assertEquals(3, result.revokedCount());
        assertTrue(result.dryRun());
        assertThrows(IllegalArgumentException.class,
                () -> new BulkRevokeRequest(Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void aKeyIsRotated() {
        server.on("POST", BASE + "/api-keys/Ab3xK9/rotate", authorized(200, """
                {"key": "sk-oai-Ab3xK9_new", "keyPrefix": "sk-oai-Ab3x", "id": "Ab3xK9", "name": "ci",
                 "subscription": "free", "createdAt": "2026-01-15T10:30:00Z", "expiresAt": "2026-02-14T10:30:00Z",
                 "ephemeral": false, "previousKeyValidUntil": "2026-01-20T10:10:00Z"}
                """));
        CreatedApiKey rotated = admin.apiKeys().rotate("Ab3xK9", Duration.ofMinutes(10));
        assertSent("POST", BASE + "/api-keys/Ab3xK9/rotate", "{\"overlap\": \"600s\"}");
        assertEquals("sk-oai-Ab3xK9_new", rotated.key());
        assertEquals("2026-01-20T10:10:00Z", rotated.extra().get("previousKeyValidUntil"));
    }

    @Test
    void keyUsageAndConfigAreRead() {
        server.on("GET", BASE + "/api-keys/Ab3xK9/usage", authorized(200, fixture("admin/api-key-usage.json")));
        server.on("GET", BASE + "/api-keys/config", authorized(200,
                "{\"max_expiration_days\": 90, \"ephemeral_max_expiration\": \"1h\"}"));

        KeyUsage usage = admin.apiKeys().usage("Ab3xK9", UsageRange.LAST_24_HOURS);

        assertEquals("range=24h", server.last().query());
        assertEquals(120, usage.totals().requests());
        assertEquals(0.975, usage.totals().successRate());
        assertEquals(60000, usage.totals().totalTokens());
        assertEquals(new BigDecimal("0.0168"), usage.totals().cost());
        assertEquals("hour", usage.granularity());
        assertEquals(2, usage.series().size());
        assertEquals(Instant.parse("2026-01-15T12:00:00Z"), usage.series().get(1).start());
        assertEquals(BigDecimal.ZERO, usage.series().get(1).cost());
        ApiKeyConfig config = admin.apiKeys().config();
        assertEquals(90, config.maxExpirationDays());
        assertEquals("1h", config.ephemeralMaxExpiration());
    }

    @Test
    void usageAcrossKeysSendsTheQueryParameters() {
        server.on("GET", BASE + "/usage", authorized(200, fixture("admin/usage-report.json")));

        UsageReport report = admin.usage(UsageQuery.builder()
                .from(Instant.parse("2026-03-01T00:00:00Z")).to(Instant.parse("2026-04-01T00:00:00Z"))
                .groupBy(UsageDimension.MODEL, UsageDimension.USER).subscription("premium").build());

        assertEquals("from=2026-03-01T00%3A00%3A00Z&to=2026-04-01T00%3A00%3A00Z&groupBy=model%2Cuser"
                + "&subscription=premium", server.last().query());
        assertEquals(List.of("model", "user"), report.groupBy());
        assertEquals(new BigDecimal("0.42"), report.totals().cost());
        assertEquals(Map.of("model", "granite-3-8b", "user", "alice"), report.groups().get(0).dimensions());
        assertEquals(800000, report.groups().get(0).totals().totalTokens());
    }

    @Test
    void modelsAreManagedWithOdhReadOnlyFieldsKept() {
        server.on("GET", BASE + "/models", authorized(200, fixture("admin/models.json")));
        String one = tree(fixture("admin/models.json")).at("/data/0").toString();
        server.on("POST", BASE + "/models", authorized(201, one));
        server.on("PUT", BASE + "/models/granite-3-8b", authorized(200, one));
        server.on("DELETE", BASE + "/models/granite-3-8b", authorized(204, ""));

        ModelRef listed = admin.models().list().get(0);
        assertEquals("llm", listed.namespace());
        assertEquals(List.of(URI.create("http://granite.llm.svc:8000/v1")), listed.endpoints());
        assertEquals(new BigDecimal("0.60"), listed.price().orElseThrow().completionPerMillion());
        assertEquals("llm/granite-3-8b", listed.extra().get("owned_by"));

        ModelRef created = admin.models().create(ModelRef.builder("granite-3-8b", "llm").displayName("Granite 3 8B")
                .endpoint(URI.create("http://granite.llm.svc:8000/v1")).price(ModelRef.Price.usd("0.20", "0.60")).build());
        assertSent("POST", BASE + "/models", """
                {"name": "granite-3-8b", "namespace": "llm", "displayName": "Granite 3 8B",
                 "endpoints": ["http://granite.llm.svc:8000/v1"], "enabled": true,
                 "price": {"promptPerMillion": "0.20", "completionPerMillion": "0.60", "currency": "USD"}}
                """);
        assertTrue(created.enabled());

        admin.models().update(created.toBuilder().enabled(false).build());
        assertSent("PUT", BASE + "/models/granite-3-8b", null);
        assertFalse(bodyJson(server.last()).get("enabled").asBoolean());
        admin.models().delete("granite-3-8b");
        assertSent("DELETE", BASE + "/models/granite-3-8b", null);
    }

    @Test
    void subscriptionsAreReadFromTheOdhArrayAndWrittenInTheCrdShape() {
        server.on("GET", BASE + "/subscriptions", authorized(200, fixture("admin/subscriptions.json")));
        String one = tree(fixture("admin/subscriptions.json")).get(0).toString();
        server.on("POST", BASE + "/subscriptions", authorized(201, one));
        server.on("GET", BASE + "/subscriptions/premium-subscription", authorized(200, one));

        Subscription listed = admin.subscriptions().list().get(0);
        assertEquals(20, listed.priority());
        assertEquals(List.of("premium-user"), listed.owner().groupNames());
        assertEquals(new Subscription.TokenRateLimit(50000, "1h"), listed.modelRefs().get(0).tokenRateLimits().get(0));
        assertEquals(new BigDecimal("0.000001"), listed.modelRefs().get(0).billingRate().orElseThrow().perToken());
        assertEquals(new Subscription.Budget(new BigDecimal("500.00"), BudgetPeriod.MONTH), listed.budget().orElseThrow());
        assertEquals("premium-subscription", listed.extra().get("subscription_id_header"));

        admin.subscriptions().create(Subscription.builder("premium-subscription", "models-as-a-service").priority(20)
                .owner(Subjects.groups("premium-user"))
                .addModel(new Subscription.Model("granite-3-8b", "llm",
                        List.of(Subscription.TokenRateLimit.of(50000, "1h")),
                        Optional.of(new Subscription.BillingRate(new BigDecimal("0.000001"))), Map.of()))
                .tokenMetadata(new Subscription.TokenMetadata(Optional.of("acme"), Optional.of("ai-team"),
                        Map.of("env", "prod")))
                .budget(new BigDecimal("500.00"), BudgetPeriod.MONTH)
                .build());
        assertSent("POST", BASE + "/subscriptions", """
                {"name": "premium-subscription", "namespace": "models-as-a-service", "priority": 20,
                 "owner": {"groups": [{"name": "premium-user"}], "users": []},
                 "modelRefs": [{"name": "granite-3-8b", "namespace": "llm",
                                "tokenRateLimits": [{"limit": 50000, "window": "1h"}],
                                "billingRate": {"perToken": "0.000001"}}],
                 "tokenMetadata": {"organizationId": "acme", "costCenter": "ai-team", "labels": {"env": "prod"}},
                 "budget": {"amount": "500.00", "period": "month"}}
                """);
        assertEquals(listed, admin.subscriptions().get("premium-subscription"));
        assertThrows(IllegalArgumentException.class, () -> Subscription.TokenRateLimit.of(10, "1d"));
    }

    @Test
    void policiesAreManaged() {
        server.on("GET", BASE + "/policies", authorized(200, fixture("admin/policies.json")));
        String one = tree(fixture("admin/policies.json")).at("/data/0").toString();
        server.on("PUT", BASE + "/policies/premium-access", authorized(200, one));

        AuthPolicy policy = admin.policies().list().get(0);
        assertEquals(List.of("premium-user"), policy.subjects().groupNames());
        assertEquals(new AuthPolicy.ModelReference("granite-3-8b", "llm"), policy.modelRefs().get(0));

        admin.policies().update(AuthPolicy.of("premium-access", "models-as-a-service", Subjects.groups("premium-user"),
                new AuthPolicy.ModelReference("granite-3-8b", "llm")));
        assertSent("PUT", BASE + "/policies/premium-access", """
                {"name": "premium-access", "namespace": "models-as-a-service",
                 "subjects": {"groups": [{"name": "premium-user"}], "users": []},
                 "modelRefs": [{"name": "granite-3-8b", "namespace": "llm"}]}
                """);
    }

    @Test
    void theAuditLogIsPaged() {
        server.on("GET", BASE + "/audit", authorized(200, fixture("admin/audit.json")));

        AuditPage page = admin.audit(AuditQuery.builder().actor("alice").resourceType("api_key").limit(10).build());

        assertEquals("actor=alice&resourceType=api_key&limit=10&offset=0", server.last().query());
        AuditEvent event = page.data().get(0);
        assertEquals("api_key.create", event.action());
        assertEquals(Instant.parse("2026-01-15T10:30:00Z"), event.time());
        assertEquals("ci-pipeline", event.details().get("name"));
        assertFalse(page.hasMore());
    }

    @Test
    void errorsAreTypedAndTheTokenNeverShows() {
        server.on("GET", BASE + "/api-keys/nope", authorized(404,
                "{\"error\":{\"message\":\"API key not found\",\"type\":\"not_found_error\"}}"));
        server.on("POST", BASE + "/models", authorized(409,
                "{\"error\":{\"message\":\"model granite exists\",\"type\":\"conflict_error\"}}"));
        server.on("GET", BASE + "/audit", authorized(403,
                "{\"error\":{\"message\":\"admin only, token " + TOKEN + "\",\"type\":\"permission_error\"}}"));

        assertThrows(NotFoundException.class, () -> admin.apiKeys().get("nope"));
        assertThrows(ConflictException.class, () -> admin.models().create(ModelRef.builder("granite", "llm").build()));
        PermissionDeniedException denied = assertThrows(PermissionDeniedException.class,
                () -> admin.audit(AuditQuery.latest()));
        assertFalse(denied.getMessage().contains(TOKEN), denied.getMessage());

        MaasAdminClient wrong = MaasAdminClient.builder().baseUrl(server.root()).token("sk-oai-not-a-token").build();
        assertThrows(AuthenticationException.class, () -> wrong.apiKeys().get("nope"));
        assertFalse(admin.toString().contains(TOKEN), admin.toString());
        assertEquals("token is required",
                assertThrows(IllegalStateException.class,
                        () -> MaasAdminClient.builder().baseUrl(server.root()).build()).getMessage());
    }

    @Test
    void theBasePathCanPointAtAMaasApiServiceDirectly() {
        server.on("GET", "/v1/api-keys/config", authorized(200,
                "{\"max_expiration_days\": 30, \"ephemeral_max_expiration\": \"1h\"}"));

        MaasAdminClient direct = MaasAdminClient.builder().baseUrl(server.root()).basePath("/v1").token(TOKEN).build();

        assertEquals(30, direct.apiKeys().config().maxExpirationDays());
    }
}
