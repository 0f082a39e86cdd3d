package dev.maas4j.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.Subject;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.client.ApiResponse;
import dev.maas4j.client.AuthenticationException;
import dev.maas4j.client.BadRequestException;
import dev.maas4j.client.ChatCompletion;
import dev.maas4j.client.ChatCompletionChunk;
import dev.maas4j.client.ChatCompletionRequest;
import dev.maas4j.client.ChatCompletionStream;
import dev.maas4j.client.ChatMessage;
import dev.maas4j.client.ConflictException;
import dev.maas4j.client.MaasApiException;
import dev.maas4j.client.MaasClient;
import dev.maas4j.client.ModelList;
import dev.maas4j.client.NotFoundException;
import dev.maas4j.client.PermissionDeniedException;
import dev.maas4j.client.RateLimitException;
import dev.maas4j.client.RetryPolicy;
import dev.maas4j.client.Usage;
import dev.maas4j.client.admin.ApiKey;
import dev.maas4j.client.admin.AuditEvent;
import dev.maas4j.client.admin.AuditQuery;
import dev.maas4j.client.admin.AuthPolicy;
import dev.maas4j.client.admin.BudgetPeriod;
import dev.maas4j.client.admin.CreateApiKeyRequest;
import dev.maas4j.client.admin.CreatedApiKey;
import dev.maas4j.client.admin.KeyStatus;
import dev.maas4j.client.admin.KeyUsage;
import dev.maas4j.client.admin.MaasAdminClient;
import dev.maas4j.client.admin.ModelRef;
import dev.maas4j.client.admin.Subjects;
import dev.maas4j.client.admin.Subscription;
import dev.maas4j.client.admin.UsageQuery;
import dev.maas4j.client.admin.UsageRange;
import dev.maas4j.client.admin.UsageReport;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.testing.FakeOpenAiUpstream;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static dev.maas4j.testing.TestData.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The typed {@link MaasClient} and {@link MaasAdminClient} against the real gateway over HTTP on
 * loopback: the built-in demo model, and a configured model proxied to {@link FakeOpenAiUpstream}.
 * One gateway serves the class; every test uses keys of its own, so the tests do not share limits
 * or usage. Waits are bounded; nothing asserts on timing.
 */
class ClientAgainstGatewayTest {
    private static final Duration BOUND = Duration.ofSeconds(15);

    private static FakeOpenAiUpstream upstream;
    private static Gateway gateway;
    private static MaasAdminClient admin;

    @BeforeAll
    static void startGatewayAndUpstream() throws Exception {
        upstream = FakeOpenAiUpstream.start();
        String yaml = """
                models:
                  - name: granite
                    endpoints: [%1$s]
                    price: {promptPerMillion: "1", completionPerMillion: "2"}
                  - name: granite-tight
                    endpoints: [%1$s]
                policies:
                  - {name: dev, subjects: {groups: [{name: dev}]}, modelRefs: [{name: granite}]}
                  - {name: tight, subjects: {groups: [{name: tight}]}, modelRefs: [{name: granite-tight}]}
                subscriptions:
                  - name: dev-plan
                    priority: 10
                    owner: {groups: [{name: dev}]}
                    modelRefs: [{name: granite, tokenRateLimits: [{limit: 1000000, window: 1m}]}]
                  - name: tight-plan
                    priority: 10
                    owner: {groups: [{name: tight}]}
                    modelRefs:
                      - name: granite-tight
                        tokenRateLimits: [{limit: 1000000000, window: 1m}]
                        requestRateLimits: [{limit: 1, window: 2s}]
                users:
                  alice: [dev]
                  rita: [tight]
                  ross: [tight]
                  cody: [crud]
                """.formatted(upstream.baseUrl());
        // a fresh store each run (MAAS_STORE selects it where the gateway has a persistent default)
        GatewayConfig config = GatewayConfig.parse(yaml, Map.of("MAAS_PORT", "0", "MAAS_STORE", "memory"));
        gateway = Gateway.start(config, new PrintStream(OutputStream.nullOutputStream()));
        admin = MaasAdminClient.builder().baseUrl(gateway.baseUri()).token(gateway.adminToken().reveal())
                .timeout(BOUND).build();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    // ------------------------------------------------------------------ calls

    @Test
    void theDemoModelAnswersTheTypedClientStreamedAndNot() {
        MaasClient client = client(newKey("dana", null));

        ModelList models = client.models().list();
        assertEquals(List.of("demo-echo"), models.data().stream().map(m -> m.id()).toList());

        ApiResponse<ChatCompletion> response = client.chat().createWithResponse(
                ChatCompletionRequest.of("demo-echo", "Hello, gateway!"));
        ChatCompletion completion = response.body();
        assertEquals("You said: Hello, gateway!", completion.text().orElseThrow());
        assertEquals("stop", completion.choices().get(0).finishReason().orElseThrow());
        Usage usage = completion.usage().orElseThrow();
        assertTrue(usage.completionTokens() > 0);
        assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens());
        assertTrue(response.requestId().isPresent(), "x-request-id");
        assertEquals(60, response.rateLimits().limitRequests().orElseThrow());
        assertEquals(59, response.rateLimits().remainingRequests().orElseThrow());
        assertEquals(100_000, response.rateLimits().limitTokens().orElseThrow());

        // no stream_options asked for: the gateway adds include_usage, so the usage chunk arrives anyway
        StringBuilder text = new StringBuilder();
        try (ChatCompletionStream stream = client.chat().stream(ChatCompletionRequest.of("demo-echo", "Hello, gateway!"))) {
            assertEquals(200, stream.statusCode());
            assertTrue(stream.requestId().isPresent());
            int chunks = 0;
            for (ChatCompletionChunk chunk : stream) {
                assertEquals("chat.completion.chunk", chunk.object());
                chunk.text().ifPresent(text::append);
                chunks++;
            }
            assertTrue(chunks > 3, "delivered chunk by chunk: " + chunks);
            assertEquals(usage, stream.usage().orElseThrow(), "the final usage chunk, then [DONE]");
        }
        assertEquals("You said: Hello, gateway!", text.toString());
    }

    @Test
    void aProxiedModelKeepsUnknownFieldsAndReasoningBothWays() {
        MaasClient client = client(newKey("alice", null));
        ChatCompletion completion = client.chat().create(ChatCompletionRequest.builder().model("granite")
                .addUserMessage("Hi").putExtra("top_k", 40).build());

        assertEquals(40, lastRequest().path("top_k").asInt(), "an unknown request field reaches the model");
        assertEquals(FakeOpenAiUpstream.ANSWER, completion.text().orElseThrow());
        ChatMessage message = completion.message().orElseThrow();
        assertEquals(FakeOpenAiUpstream.REASONING, message.reasoningContent().orElseThrow());
        assertEquals(FakeOpenAiUpstream.REASONING, message.reasoningText().orElseThrow());
        assertEquals(Map.of("remote_engine_id", "engine-7"), completion.extra().get("kv_transfer_params"));
        assertEquals(List.of(Map.of("source", "kb-1")), message.extra().get("x_citations"));
        assertEquals(128_001, completion.choices().get(0).extra().get("stop_reason"));
        assertEquals("fp_upstream", completion.systemFingerprint().orElseThrow());
        Usage usage = completion.usage().orElseThrow();
        assertEquals(FakeOpenAiUpstream.PROMPT_TOKENS + FakeOpenAiUpstream.COMPLETION_TOKENS, usage.totalTokens());
        assertEquals(0.25, usage.extra().get("x_queue_seconds"));
        assertEquals(4L, usage.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow());
        assertEquals(0, usage.promptTokensDetails().orElseThrow().extra().get("x_audio_tokens"));
        assertEquals(3L, usage.completionTokensDetails().orElseThrow().reasoningTokens().orElseThrow());
    }

    @Test
    void aProxiedStreamKeepsUnknownFieldsAndReasoningAndEndsWithTheUsage() {
        String key = newKey("alice", null);
        MaasClient client = client(key);
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletion assembled;
        try (ChatCompletionStream stream = client.chat().stream(ChatCompletionRequest.of("granite", "Hi"))) {
            Iterator<ChatCompletionChunk> it = stream.iterator();
            chunks.add(it.next());
            assembled = stream.readAll();
            assertEquals(FakeOpenAiUpstream.PROMPT_TOKENS + FakeOpenAiUpstream.COMPLETION_TOKENS,
                    stream.usage().orElseThrow().totalTokens(), "the usage chunk the gateway asked for");
        }
        JsonNode forwarded = lastRequest();
        assertTrue(forwarded.path("stream_options").path("include_usage").asBoolean(),
                "the gateway asks the model for usage: " + forwarded);

        ChatCompletionChunk first = chunks.get(0);
        assertEquals("v1", first.extra().get("x_chunk_field"));
        assertEquals(true, first.choices().get(0).delta().extra().get("x_delta_field"));
        assertEquals("Hello there", assembled.text().orElseThrow(), "comment and CRLF events handled");
        assertEquals("Thinking.", assembled.message().orElseThrow().reasoningText().orElseThrow());
        assertEquals("stop", assembled.choices().get(0).finishReason().orElseThrow());
        assertEquals(0.25, assembled.usage().orElseThrow().extra().get("x_queue_seconds"));

        UsageEvent event = awaitSingleEvent(keyId(key));
        assertEquals(Outcome.SUCCESS, event.outcome());
        assertTrue(event.streamed());
        assertFalse(event.estimated(), "the gateway read the upstream's usage chunk");
        assertEquals(FakeOpenAiUpstream.PROMPT_TOKENS + FakeOpenAiUpstream.COMPLETION_TOKENS, event.totalTokens());
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aBadOrRevokedKeyIsAnAuthenticationException() {
        MaasClient wrong = client("sk-oai-wrongwrongwrong");
        AuthenticationException bad = assertThrows(AuthenticationException.class,
                () -> wrong.chat().create(ChatCompletionRequest.of("demo-echo", "hi")));
        assertOpenAiError(bad, 401, "authentication_error", "invalid_api_key");
        assertFalse(bad.toString().contains("wrongwrong"), "the key is not in the message: " + bad);

        String key = newKey("dora", null);
        MaasClient client = client(key);
        client.chat().create(ChatCompletionRequest.of("demo-echo", "hi"));
        gateway.engine().revokeKey(keyId(key));
        AuthenticationException revoked = assertThrows(AuthenticationException.class,
                () -> client.chat().create(ChatCompletionRequest.of("demo-echo", "hi")));
        assertOpenAiError(revoked, 401, "authentication_error", "revoked_api_key");
        assertFalse(revoked.toString().contains(key.substring(7)), "the key is not in the message: " + revoked);
        assertThrows(AuthenticationException.class, () -> client.models().list());
    }

    @Test
    void aModelTheKeyIsNotGrantedIsAPermissionDeniedException() {
        MaasClient client = client(newKey("dora", null));
        PermissionDeniedException e = assertThrows(PermissionDeniedException.class,
                () -> client.chat().create(ChatCompletionRequest.of("granite", "hi")));
        assertOpenAiError(e, 403, "permission_error", "model_not_authorized");
    }

    @Test
    void anUnknownModelIsANotFoundException() {
        MaasClient client = client(newKey("dora", null));
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> client.chat().create(ChatCompletionRequest.of("no-such-model", "hi")));
        assertOpenAiError(e, 404, "not_found_error", "model_not_found");
        assertThrows(NotFoundException.class, () -> client.chat().stream(ChatCompletionRequest.of("no-such-model", "hi")));
    }

    @Test
    void aMalformedBodyIsABadRequestException() {
        MaasClient client = client(newKey("dora", null));
        // the typed client writes valid JSON; an extra property of the wrong type is what it can get wrong
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> client.chat().create(ChatCompletionRequest.builder().model("demo-echo").addUserMessage("hi")
                        .putExtra("max_completion_tokens", "lots").build()));
        assertOpenAiError(e, 400, "invalid_request_error", "invalid_json");
        assertTrue(e.errorMessage().contains("max_completion_tokens"), e.errorMessage());
    }

    @Test
    void aRequestOverTheLimitIsARateLimitExceptionWithRetryAfterAndTheLimits() {
        MaasClient client = MaasClient.builder().baseUrl(gateway.baseUri().resolve("/v1"))
                .apiKey(newKey("rita", "tight-plan")).maxRetries(0).timeout(BOUND).build();
        RateLimitException limited = null;
        // one request per 2 s window: the second of two back-to-back calls is refused, unless a
        // window boundary fell between them, hence a few tries
        for (int attempt = 0; attempt < 4 && limited == null; attempt++) {
            try {
                client.chat().create(ChatCompletionRequest.of("granite-tight", "hi"));
            } catch (RateLimitException e) {
                limited = e;
            }
        }
        if (limited == null) {
            fail("no 429 in four back-to-back calls with a limit of one per 2 s");
        }
        // a fixed window of the subscription is a quota in the gateway's terms
        assertOpenAiError(limited, 429, "rate_limit_error", "quota_exceeded");
        Duration retryAfter = limited.retryAfter().orElseThrow();
        assertTrue(!retryAfter.isNegative() && retryAfter.compareTo(Duration.ofSeconds(2)) <= 0, retryAfter.toString());
        assertEquals(1, limited.rateLimits().limitRequests().orElseThrow());
        assertEquals(0, limited.rateLimits().remainingRequests().orElseThrow());
        Duration reset = limited.rateLimits().resetRequests().orElseThrow();
        assertTrue(reset.compareTo(Duration.ofSeconds(2)) <= 0, reset.toString());
    }

    @Test
    void aRefusedRequestIsRetriedAfterRetryAfterAndSucceeds() {
        // Retry-After is at most 2 s (windows are aligned to the epoch), within the default maxBackoff of 8 s
        MaasClient client = MaasClient.builder().baseUrl(gateway.baseUri().resolve("/v1"))
                .apiKey(newKey("ross", "tight-plan")).retryPolicy(RetryPolicy.defaults()).timeout(BOUND).build();
        double before = refusals("tight-plan");
        int calls = 0;
        while (refusals("tight-plan") == before && calls < 4) {
            ApiResponse<ChatCompletion> r = client.chat().createWithResponse(
                    ChatCompletionRequest.of("granite-tight", "hi"));
            assertEquals(200, r.statusCode());
            assertEquals(FakeOpenAiUpstream.ANSWER, r.body().text().orElseThrow());
            calls++;
        }
        assertTrue(refusals("tight-plan") > before, "a 429 was answered (and retried) within " + calls + " calls");
        assertTrue(calls >= 2, "the first call of a fresh key is not refused");
    }

    // ------------------------------------------------------------------ early close

    @Test
    void closingAProxiedStreamEarlySettlesItOnceAsClientAbortedAndHangsUpUpstream() throws Exception {
        String key = newKey("alice", null);
        String requestId;
        MaasClient endless = MaasClient.builder().baseUrl(gateway.baseUri().resolve("/v1")).apiKey(key).timeout(BOUND)
                .header("X-Test-Mode", "endless").build();
        try (ChatCompletionStream stream = endless.chat().stream(ChatCompletionRequest.of("granite", "go on"))) {
            requestId = stream.requestId().orElseThrow();
            Iterator<ChatCompletionChunk> chunks = stream.iterator();
            for (int i = 0; i < 3; i++) {
                chunks.next();
            }
        }
        assertTrue(upstream.awaitDisconnect(BOUND),
                "the gateway stops the upstream generation");
        UsageEvent event = awaitSingleEvent(keyId(key));
        assertEquals(requestId, event.requestId());
        assertEquals(Outcome.CLIENT_ABORTED, event.outcome());
        assertTrue(event.estimated(), "no usage chunk came: the usage is estimated");
        assertTrue(event.streamed());
        assertTrue(event.completionTokens() > 0, "what was generated is charged: " + event);
    }

    @Test
    void closingADemoStreamEarlySettlesItOnceAsClientAborted() {
        String key = newKey("dora", null);
        String longMessage = "word ".repeat(400);
        try (ChatCompletionStream stream = client(key).chat().stream(ChatCompletionRequest.of("demo-echo", longMessage))) {
            Iterator<ChatCompletionChunk> chunks = stream.iterator();
            for (int i = 0; i < 3; i++) {
                chunks.next();
            }
        }
        UsageEvent event = awaitSingleEvent(keyId(key));
        assertEquals(Outcome.CLIENT_ABORTED, event.outcome());
        assertTrue(event.estimated());
        assertTrue(event.completionTokens() < 400, "charged for what was sent, not the whole answer: " + event);
    }

    // ------------------------------------------------------------------ management API

    @Test
    void theAdminClientCreatesListsGetsAndRevokesKeysAndReadsTheirUsage() {
        CreatedApiKey created = admin.apiKeys().create(CreateApiKeyRequest.builder("laptop")
                .description("for the client test").expiresIn(Duration.ofDays(30)).label("team", "search").build());
        assertTrue(created.key().startsWith("sk-oai-"), created.key());
        assertTrue(created.key().startsWith(created.keyPrefix()), created.keyPrefix());
        assertFalse(created.toString().contains(created.key()), "the secret is not in toString()");
        assertEquals("laptop", created.name());
        assertEquals("demo", created.subscription().orElseThrow());
        assertEquals(Duration.ofDays(30), Duration.between(created.createdAt(), created.expiresAt().orElseThrow()));
        assertEquals(Map.of("team", "search"), created.labels());
        assertFalse(created.ephemeral());
        assertEquals(90, admin.apiKeys().config().maxExpirationDays());

        List<ApiKey> listed = admin.apiKeys().list().data();
        ApiKey mine = listed.stream().filter(k -> k.id().equals(created.id())).findFirst().orElseThrow();
        ApiKey got = admin.apiKeys().get(created.id());
        for (ApiKey key : List.of(mine, got)) {
            assertEquals(KeyStatus.ACTIVE, key.status());
            assertEquals("laptop", key.name());
            assertEquals("admin", key.username().orElseThrow());
            assertEquals("for the client test", key.description().orElseThrow());
            assertEquals(created.keyPrefix(), key.keyPrefix().orElseThrow());
            assertEquals(Map.of("team", "search"), key.labels());
            assertEquals("demo", key.subscription().orElseThrow());
            assertEquals(created.createdAt(), key.creationDate());
            assertEquals(created.expiresAt(), key.expirationDate());
            assertFalse(key.toString().contains(created.key().substring(12)), "no secret on reads: " + key);
        }

        MaasClient client = client(created.key());
        long tokens = client.chat().create(ChatCompletionRequest.of("demo-echo", "one")).usage().orElseThrow()
                .totalTokens();
        try (ChatCompletionStream stream = client.chat().stream(ChatCompletionRequest.of("demo-echo", "two"))) {
            stream.readAll();
            tokens += stream.usage().orElseThrow().totalTokens();
        }
        long expectedTokens = tokens;
        KeyUsage usage = awaitValue(() -> admin.apiKeys().usage(created.id(), UsageRange.LAST_24_HOURS),
                u -> u.totals().requests() == 2);
        assertEquals(created.id(), usage.keyId());
        assertEquals("24h", usage.range());
        assertEquals("hour", usage.granularity());
        assertEquals(24, usage.series().size(), "a dense series");
        assertEquals(expectedTokens, usage.totals().totalTokens());
        assertEquals(1.0, usage.totals().successRate());
        assertEquals("USD", usage.currency().orElseThrow());
        assertTrue(usage.totals().cost().signum() > 0, "the demo model is priced");
        assertEquals(expectedTokens, usage.series().stream().mapToLong(p -> p.totalTokens()).sum());

        UsageReport report = admin.usage(UsageQuery.builder().user("admin").groupBy(
                dev.maas4j.client.admin.UsageDimension.MODEL).build());
        assertTrue(report.totals().requests() >= 2, report.toString());
        assertTrue(report.groups().stream().anyMatch(g -> "demo-echo".equals(g.dimensions().get("model"))),
                report.toString());

        ApiKey revoked = admin.apiKeys().revoke(created.id());
        assertEquals(KeyStatus.REVOKED, revoked.status());
        assertTrue(revoked.revokedAt().isPresent());
        assertEquals(KeyStatus.REVOKED, admin.apiKeys().get(created.id()).status());
        assertThrows(AuthenticationException.class, () -> client.chat().create(ChatCompletionRequest.of("demo-echo", "three")));
        assertThrows(NotFoundException.class, () -> admin.apiKeys().get("no-such-key"));

        List<AuditEvent> audited = admin.audit(AuditQuery.builder().resource("api_key", created.id()).build()).data();
        assertEquals(List.of("api_key.revoke", "api_key.create"), audited.stream().map(AuditEvent::action).toList(),
                "newest first");
        assertEquals("laptop", audited.get(1).details().get("name"));
        assertFalse(audited.toString().contains(created.key().substring(12)), "no secret in the audit log");
    }

    @Test
    void anAdminManagesTheCatalogAndTheChangesAreLive() {
        ModelRef model = ModelRef.builder("granite-crud", "default").displayName("Granite CRUD")
                .endpoint(upstream.baseUri()).price(ModelRef.Price.usd("0.20", "0.60")).build();
        ModelRef createdModel = admin.models().create(model);
        assertEquals("granite-crud", createdModel.name());
        assertEquals(List.of(upstream.baseUri()), createdModel.endpoints());
        assertEquals(0, new BigDecimal("0.60").compareTo(createdModel.price().orElseThrow().completionPerMillion()));
        assertEquals("granite-crud", createdModel.extra().get("id"), "the ODH read-only properties come too");
        assertTrue(admin.models().list().stream().anyMatch(m -> m.name().equals("granite-crud")));
        assertThrows(ConflictException.class, () -> admin.models().create(model));

        Subscription plan = Subscription.builder("crud-plan", "default").priority(5).owner(Subjects.groups("crud"))
                .addModel(Subscription.Model.of("granite-crud", "default",
                        Subscription.TokenRateLimit.of(50_000, "1h")))
                .tokenMetadata(new Subscription.TokenMetadata(Optional.of("acme"), Optional.of("ai-team"),
                        Map.of("env", "test")))
                .budget(new BigDecimal("500.00"), BudgetPeriod.MONTH)
                .build();
        Subscription createdPlan = admin.subscriptions().create(plan);
        for (Subscription read : List.of(createdPlan, admin.subscriptions().get("crud-plan"))) {
            assertEquals("crud-plan", read.name());
            assertEquals(5, read.priority());
            assertEquals(List.of("crud"), read.owner().groupNames());
            assertEquals(50_000, read.modelRefs().get(0).tokenRateLimits().get(0).limit());
            assertEquals("1h", read.modelRefs().get(0).tokenRateLimits().get(0).window());
            assertEquals(plan.tokenMetadata(), read.tokenMetadata());
            assertEquals(plan.budget(), read.budget());
            assertEquals("crud-plan", read.extra().get("subscription_id_header"), "the ODH properties come too");
        }

        AuthPolicy policy = AuthPolicy.of("crud-access", "default", Subjects.groups("crud"),
                new AuthPolicy.ModelReference("granite-crud", "default"));
        assertEquals(policy, admin.policies().create(policy));
        assertEquals(policy, admin.policies().get("crud-access"));
        assertTrue(admin.policies().list().stream().anyMatch(p -> p.name().equals("crud-access")));

        MaasClient cody = client(newKey("cody", "crud-plan"));
        assertEquals(FakeOpenAiUpstream.ANSWER, cody.chat().create(ChatCompletionRequest.of("granite-crud", "hi"))
                .text().orElseThrow());

        ModelRef disabled = admin.models().update(createdModel.toBuilder().displayName("Granite CRUD (off)")
                .enabled(false).build());
        assertFalse(disabled.enabled());
        assertEquals("Granite CRUD (off)", admin.models().get("granite-crud").displayName().orElseThrow());
        PermissionDeniedException off = assertThrows(PermissionDeniedException.class,
                () -> cody.chat().create(ChatCompletionRequest.of("granite-crud", "hi")));
        assertEquals("model_disabled", off.code().orElseThrow());

        admin.policies().delete("crud-access");
        admin.subscriptions().delete("crud-plan");
        admin.models().delete("granite-crud");
        assertThrows(NotFoundException.class, () -> admin.models().get("granite-crud"));
        assertThrows(NotFoundException.class, () -> admin.subscriptions().get("crud-plan"));
        assertThrows(NotFoundException.class, () -> admin.policies().get("crud-access"));
        assertThrows(NotFoundException.class, () -> cody.chat().create(ChatCompletionRequest.of("granite-crud", "hi")));

        List<AuditEvent> modelEvents = admin.audit(AuditQuery.builder().resource("model", "granite-crud").build())
                .data();
        assertEquals(List.of("model.delete success", "model.update success", "model.create failed",
                        "model.create success"),
                modelEvents.stream().map(e -> e.action() + " " + e.outcome()).toList(), "newest first, the 409 too");
        for (AuditEvent event : modelEvents) {
            assertEquals("admin", event.actor());
        }
        Set<String> other = admin.audit(AuditQuery.builder().actor("admin").build()).data().stream()
                .filter(e -> e.resourceId().equals("crud-plan") || e.resourceId().equals("crud-access"))
                .map(AuditEvent::action).collect(Collectors.toSet());
        assertEquals(Set.of("subscription.create", "subscription.delete", "policy.create", "policy.delete"), other);
    }

    // ------------------------------------------------------------------ helpers

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The body of the last request the upstream received, as the gateway forwarded it. */
    private static JsonNode lastRequest() {
        try {
            return JSON.readTree(upstream.last().body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static MaasClient client(String key) {
        return MaasClient.builder().baseUrl(gateway.baseUri().resolve("/v1")).apiKey(key).timeout(BOUND).build();
    }

    /** A key of {@code user}, bound to {@code subscription} or, when null, to the user's default. */
    private static String newKey(String user, String subscription) {
        KeyRequest.Builder request = KeyRequest.builder(Subject.user(user), "test key");
        if (subscription != null) {
            request.subscription(subscription);
        }
        return gateway.engine().createKey(request.build()).secret().reveal();
    }

    /** The id part of {@code sk-oai-{id}_{secret}}. */
    private static String keyId(String key) {
        return gateway.engine().authenticate(key).key().orElseThrow().id();
    }

    private static double refusals(String subscription) {
        return gateway.engine().meterRegistry().find("limited_calls").tag("subscription", subscription)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private static void assertOpenAiError(MaasApiException e, int status, String type, String code) {
        assertEquals(status, e.statusCode(), e::toString);
        assertEquals(type, e.type().orElseThrow(), e::toString);
        assertEquals(code, e.code().orElseThrow(), e::toString);
        assertFalse(e.errorMessage().isBlank());
        assertTrue(e.requestId().isPresent(), "x-request-id");
    }

    /**
     * Settlement follows the response's end by a moment: flushes and reads the ledger until the
     * key has an event, then checks, after another flush, that it has exactly one.
     */
    private static UsageEvent awaitSingleEvent(String keyId) {
        List<UsageEvent> events = awaitValue(() -> eventsOf(keyId), list -> !list.isEmpty());
        List<UsageEvent> again = awaitValue(() -> eventsOf(keyId), list -> true);
        assertEquals(1, again.size(), "settled once: " + again);
        assertEquals(events.get(0).requestId(), again.get(0).requestId());
        return again.get(0);
    }

    private static List<UsageEvent> eventsOf(String keyId) {
        gateway.engine().usage().flush(Duration.ofSeconds(5));
        List<UsageEvent> events = new ArrayList<>();
        gateway.engine().usage().forEach(dev.maas4j.api.UsageQuery.between(Instant.EPOCH,
                Instant.now().plusSeconds(60)).where(UsageDimension.KEY, keyId), events::add);
        return events;
    }

    private static <T> T awaitValue(Supplier<T> read, Predicate<T> done) {
        return eventually("the awaited value").atMost(BOUND).pollInterval(Duration.ofMillis(25))
                .until(read::get, done::test);
    }
}
