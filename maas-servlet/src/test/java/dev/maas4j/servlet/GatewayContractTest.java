package dev.maas4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicInteger;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Secret;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.core.CreatedKey;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.testing.FakeOpenAiUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.maas4j.testing.TestData.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The governed endpoint over real HTTP on loopback: {@link MaasFilter} in front of
 * {@link MaasProxyServlet}, forwarding to {@link FakeOpenAiUpstream}. Each container runs it through a
 * subclass. Waits are bounded; nothing asserts on timing.
 */
abstract class GatewayContractTest extends GovernedHttpTest {
    private FakeOpenAiUpstream upstream;
    private ServletHost host;
    private CreatedKey alice;

    abstract ServletHost host();

    /** The proxy under test, from a builder with the suite's settings; a subclass may add its own. */
    MaasProxyServlet proxy(MaasProxyServlet.Builder builder) {
        return builder.build();
    }

    @BeforeEach
    void start() throws Exception {
        upstream = FakeOpenAiUpstream.start();
        store = new InMemoryStore();
        store.setGroups("alice", "dev");
        store.setGroups("bob", "outsiders");
        store.putModel(ModelRef.builder("granite").endpoint(upstream.baseUri())
                .price(ModelPrice.usd("1", "2")).build());
        store.putModel(ModelRef.builder("dead").endpoint(FakeOpenAiUpstream.refusingUrl()).build());
        store.putModel(ModelRef.builder("replicated").endpoint(FakeOpenAiUpstream.refusingUrl())
                .endpoint(upstream.baseUri()).build());
        store.putModel(ModelRef.builder("external").endpoint(upstream.baseUri())
                .upstreamCredential(Secret.of("upstream-secret")).build());
        store.putModel(ModelRef.builder("miskeyed").endpoint(upstream.baseUri())
                .upstreamCredential(Secret.of("upstream-secret\n")).build());
        store.putModel(ModelRef.builder("hidden").endpoint(upstream.baseUri()).build());
        store.putModel(ModelRef.builder("team-model").namespace("team-a").endpoint(upstream.baseUri()).build());
        store.putPolicy(AuthPolicy.of("dev-models", SubjectSet.groups("dev"), "granite", "dead", "replicated",
                "external", "miskeyed"));
        store.putPolicy(new AuthPolicy("team-a-models", "team-a", SubjectSet.groups("dev"),
                List.of(new dev.maas4j.api.ModelReference("team-model", "team-a")), Map.of()));
        store.putPolicy(AuthPolicy.of("hidden-models", SubjectSet.groups("admins"), "hidden"));
        Subscription.Builder free = Subscription.builder("free").owner(SubjectSet.groups("dev", "outsiders"));
        for (String model : List.of("granite", "dead", "replicated", "external", "miskeyed", "hidden")) {
            free.model(model, RateLimit.of(1_000_000, "1m"));
        }
        store.putSubscription(free.build());
        store.putSubscription(Subscription.builder("team").namespace("team-a").owner(SubjectSet.groups("dev"))
                .model(new dev.maas4j.api.SubscriptionModel("team-model", "team-a", List.of(), List.of(),
                        java.util.Optional.empty())).build());
        engine = MaasEngine.builder().store(store).usageFlushInterval(Duration.ofMillis(10)).build();
        alice = key("alice", KeyLimits.NONE);
        host = host();
        base = host.start(MaasFilter.builder(engine).maxBodyBytes(64 * 1024).build(),
                proxy(MaasProxyServlet.builder().responseTimeout(Duration.ofSeconds(1))));
    }

    @AfterEach
    void stop() throws Exception {
        if (host != null) {
            host.close();
        }
        upstream.close();
        engine.close();
    }

    // ------------------------------------------------------------------ the happy paths

    @Test
    void nonStreamedCompletionIsForwardedAndChargedTheReportedUsage() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, bearer(alice), "X-Test-Usage", "21,9");

        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("chat.completion", body.path("object").asText());
        assertEquals(9, body.path("usage").path("completion_tokens").asLong());
        assertEquals("1000000", response.headers().firstValue("x-ratelimit-limit-tokens").orElse(null));
        assertTrue(response.headers().firstValue("x-ratelimit-remaining-tokens").isPresent());
        assertTrue(response.headers().firstValue("x-ratelimit-reset-tokens").orElse("").endsWith("s"));
        assertTrue(response.headers().firstValue("x-request-id").isPresent());
        assertEquals("/v1/chat/completions", upstream.requests().get(0).path());
        assertEquals(CHAT, upstream.requests().get(0).body(), "the body is passed on unchanged");

        UsageEvent event = single(alice);
        assertEquals(Outcome.SUCCESS, event.outcome());
        assertEquals(21, event.promptTokens());
        assertEquals(9, event.completionTokens());
        assertFalse(event.estimated());
        assertEquals(200, event.httpStatus());
    }

    @Test
    void streamedChunksReachTheClientBeforeTheUpstreamHasFinished() throws Exception {
        HttpRequest request = request("/v1/chat/completions", STREAM_CHAT, bearer(alice),
                "X-Test-Mode", "sse", "X-Test-Gate", "first", "X-Test-Usage", "5,3").build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            String first = reader.readLine();
            // the upstream is still holding the rest of its stream until the gate opens
            assertTrue(first.startsWith("data: ") && first.contains("tok0"), first);
            assertEquals(0, upstream.finishedStreams(), "the first chunk arrived while the upstream waits");
            upstream.release("first");
            List<String> rest = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rest.add(line);
            }
            assertTrue(rest.contains("data: [DONE]"), rest.toString());
            assertTrue(rest.stream().anyMatch(l -> l.contains("\"usage\"")), "the usage chunk is passed on");
        }
        assertTrue(upstream.requests().get(0).body().contains("\"include_usage\":true"),
                "the filter asks a streamed chat completion for its usage");

        UsageEvent event = single(alice);
        assertEquals(5, event.promptTokens());
        assertEquals(3, event.completionTokens());
        assertFalse(event.estimated());
        assertTrue(event.streamed());
    }

    @Test
    void aClientThatReadsLateGetsEveryByteOfALargeFastStreamInOrder() throws Exception {
        // 3,000 chunks of about 8 KB (24 MB): far more than the sockets between upstream, proxy and
        // client can hold, so the proxy's writes to the client wait and the upstream is held back
        int chunks = 3000;
        HttpRequest request = request("/v1/chat/completions", STREAM_CHAT, bearer(alice), "X-Test-Mode", "sse",
                "X-Test-Chunks", Integer.toString(chunks), "X-Test-Chunk-Padding", "8000",
                "X-Test-Usage", "7," + chunks).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        // read nothing until the upstream has written a few megabytes, or the pipes are full and
        // it is held back: its count stands still over a poll of 200 ms
        AtomicInteger seen = new AtomicInteger(-1);
        eventually("the upstream wrote 500 chunks or was held back").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    int written = upstream.chunksWritten();
                    return written >= 500 || (written > 0 && written == seen.getAndSet(written));
                });
        int next = 0;
        boolean done = false;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.contains("\"content\":\"tok")) {
                    assertTrue(line.contains("\"content\":\"tok" + next + " "), "chunk " + next + " expected, got "
                            + line.substring(0, Math.min(line.length(), 160)));
                    next++;
                } else if (line.equals("data: [DONE]")) {
                    done = true;
                }
            }
        }
        assertEquals(chunks, next, "every chunk arrived, in order");
        assertTrue(done, "the stream ended normally");
        UsageEvent event = single(alice);
        assertEquals(chunks, event.completionTokens());
        assertFalse(event.estimated());
    }

    @Test
    void concurrentStreamsSettleTheExactReportedUsage() throws Exception {
        int streams = 8;
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try {
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 1; i <= streams; i++) {
                int n = i;
                results.add(pool.submit(() -> post("/v1/chat/completions", STREAM_CHAT, bearer(alice),
                        "X-Test-Mode", "sse", "X-Test-Chunks", "5", "X-Test-Chunk-Delay-Ms", "5",
                        "X-Test-Usage", (n * 10) + "," + (n * 3))));
            }
            for (Future<HttpResponse<String>> result : results) {
                HttpResponse<String> response = result.get(30, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode());
                assertTrue(response.body().endsWith("data: [DONE]\n\n"));
            }
        } finally {
            pool.shutdownNow();
        }
        List<UsageEvent> events = awaitEvents(alice, streams);
        assertEquals(streams, events.size());
        assertEquals(10 * 36, events.stream().mapToLong(UsageEvent::promptTokens).sum());
        assertEquals(3 * 36, events.stream().mapToLong(UsageEvent::completionTokens).sum());
        assertTrue(events.stream().noneMatch(UsageEvent::estimated));
    }

    @Test
    void aStreamWithoutReportedUsageIsChargedAnEstimate() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", STREAM_CHAT, bearer(alice),
                "X-Test-Mode", "sse-no-usage");
        assertEquals(200, response.statusCode());

        UsageEvent event = single(alice);
        assertTrue(event.estimated());
        assertTrue(event.completionTokens() > 0, "generated text is estimated");
        assertEquals(Outcome.SUCCESS, event.outcome());
    }

    @Test
    void theNamespacedRouteNamesTheModel() throws Exception {
        HttpResponse<String> response = post("/team-a/team-model/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", bearer(alice));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("/v1/chat/completions", upstream.requests().get(0).path());
        assertEquals("team-model", single(alice).model());

        HttpResponse<String> wrongNamespace = post("/team-b/team-model/v1/chat/completions",
                "{\"messages\":[]}", bearer(alice));
        assertError(wrongNamespace, 404, "not_found_error", "model_not_found");
    }

    @Test
    void theModelListShowsOnlyTheModelsTheKeyMayUseWithTheirSubscriptions() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/v1/models"))
                .header("Authorization", bearer(alice)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        JsonNode list = JSON.readTree(response.body());
        assertEquals("list", list.path("object").asText());
        List<String> ids = new ArrayList<>();
        for (JsonNode model : list.path("data")) {
            ids.add(model.path("id").asText());
            assertEquals("model", model.path("object").asText());
            assertTrue(model.path("created").isNumber());
            assertTrue(model.path("owned_by").isTextual());
        }
        assertTrue(ids.containsAll(List.of("granite", "external", "team-model")), ids.toString());
        assertFalse(ids.contains("hidden"), "a model no policy grants is not listed");
        JsonNode granite = list.path("data").get(ids.indexOf("granite"));
        assertEquals("free", granite.path("subscriptions").get(0).asText());

        HttpResponse<String> one = http.send(HttpRequest.newBuilder(base.resolve("/v1/models/granite"))
                .header("x-api-key", alice.secret().reveal()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("granite", JSON.readTree(one.body()).path("id").asText());
        HttpResponse<String> hidden = http.send(HttpRequest.newBuilder(base.resolve("/v1/models/hidden"))
                .header("Authorization", bearer(alice)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertError(hidden, 404, "not_found_error", "model_not_found");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(base.resolve("/v1/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(anonymous, 401, "authentication_error", "missing_api_key");
    }

    // ------------------------------------------------------------------ keys and credentials

    @Test
    void theClientKeyNeverReachesTheUpstream() throws Exception {
        String secret = alice.secret().reveal();
        assertEquals(200, post("/v1/chat/completions", CHAT, bearer(alice), "x-api-key", secret,
                "Cookie", "session=1").statusCode());
        assertEquals(200, post("/v1/chat/completions", CHAT.replace("granite", "external"), bearer(alice))
                .statusCode());

        FakeOpenAiUpstream.Request plain = upstream.requests().get(0);
        assertNull(plain.header("Authorization"), "no credential for a model without one");
        assertNull(plain.header("x-api-key"));
        assertNull(plain.header("Cookie"));
        for (FakeOpenAiUpstream.Request received : upstream.requests()) {
            assertFalse(received.headers().toString().contains(secret), "the key is in " + received.headers());
            assertFalse(received.body().contains(secret));
        }
        assertEquals("Bearer upstream-secret", upstream.requests().get(1).header("Authorization"),
                "an external model gets its own credential");
    }

    @Test
    void anUpstreamCredentialTheHttpClientRefusesIs502AndNeverLogged() throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        HttpResponse<String> response;
        // the test logger (slf4j-simple) writes to whatever System.err is at the time of the call
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        try {
            response = post("/v1/chat/completions", CHAT.replace("granite", "miskeyed"), bearer(alice));
        } finally {
            System.setErr(stderr);
        }

        assertError(response, 502, "server_error", "upstream_error");
        assertTrue(upstream.requests().isEmpty(), "nothing was sent");
        String log = logged.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("miskeyed"), "the failure is logged: " + log);
        assertFalse(log.contains("upstream-secret"), log);
        assertFalse(response.body().contains("upstream-secret"));
    }

    @Test
    void theKeyIsAcceptedAsBearerAsXApiKeyAndAsTheBasicPassword() throws Exception {
        String secret = alice.secret().reveal();
        String basic = "Basic " + Base64.getEncoder().encodeToString(("portal:" + secret)
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(200, post("/v1/chat/completions", CHAT, null, "x-api-key", secret).statusCode());
        assertEquals(200, post("/v1/chat/completions", CHAT, basic).statusCode());
        assertEquals(200, post("/v1/chat/completions", CHAT, bearer(alice)).statusCode());
        assertEquals(3, awaitEvents(alice, 3).size());
    }

    // ------------------------------------------------------------------ denials

    @Test
    void aMissingKeyIs401() throws Exception {
        assertError(post("/v1/chat/completions", CHAT, null), 401, "authentication_error", "missing_api_key");
        assertTrue(upstream.requests().isEmpty());
    }

    @Test
    void anUnknownKeyIs401() throws Exception {
        assertError(post("/v1/chat/completions", CHAT, "Bearer sk-oai-nope"), 401, "authentication_error",
                "invalid_api_key");
    }

    @Test
    void aRevokedKeyIsRejectedOnTheNextRequest() throws Exception {
        assertEquals(200, post("/v1/chat/completions", CHAT, bearer(alice)).statusCode());
        engine.revokeKey(alice.key().id());
        assertError(post("/v1/chat/completions", CHAT, bearer(alice)), 401, "authentication_error",
                "revoked_api_key");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        assertError(post("/v1/chat/completions", "{\"model\":", bearer(alice)), 400, "invalid_request_error",
                "invalid_json");
        assertError(post("/v1/chat/completions", "{\"messages\":[]}", bearer(alice)), 400,
                "invalid_request_error", "model_required");
    }

    @Test
    void aModelTheOwnerIsNotGrantedIs403() throws Exception {
        CreatedKey bob = key("bob", KeyLimits.NONE);
        assertError(post("/v1/chat/completions", CHAT, bearer(bob)), 403, "permission_error",
                "model_not_authorized");
    }

    @Test
    void anUnknownModelIs404() throws Exception {
        assertError(post("/v1/chat/completions", CHAT.replace("granite", "nope"), bearer(alice)), 404,
                "not_found_error", "model_not_found");
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        String big = "{\"model\":\"granite\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(70 * 1024) + "\"}]}";
        assertError(post("/v1/chat/completions", big, bearer(alice)), 413, "invalid_request_error",
                "request_too_large");
        assertTrue(upstream.requests().isEmpty());
    }

    @Test
    void aRateLimitedRequestIs429WithRetryAfter() throws Exception {
        CreatedKey limited = key("alice", KeyLimits.builder().requestsPerMinute(1).build());
        HttpResponse<String> first = post("/v1/chat/completions", CHAT, bearer(limited));
        assertEquals(200, first.statusCode());
        assertEquals("1", first.headers().firstValue("x-ratelimit-limit-requests").orElse(null));

        HttpResponse<String> second = post("/v1/chat/completions", CHAT, bearer(limited));
        assertError(second, 429, "rate_limit_error", "rate_limit_exceeded");
        long retryAfter = Long.parseLong(second.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals("0", second.headers().firstValue("x-ratelimit-remaining-requests").orElse(null));
        assertTrue(second.headers().firstValue("x-ratelimit-reset-requests").isPresent());
    }

    @Test
    void anIneligibleSubscriptionHeaderIs403() throws Exception {
        assertError(post("/v1/chat/completions", CHAT, bearer(alice), "X-MaaS-Subscription", "gold"), 403,
                "permission_error", "subscription_not_eligible");
        assertEquals(200, post("/v1/chat/completions", CHAT, bearer(alice), "X-MaaS-Subscription", "free")
                .statusCode());
    }

    // ------------------------------------------------------------------ upstream failures

    @Test
    void anUpstreamThatIsDownIs502AndNothingIsCharged() throws Exception {
        assertError(post("/v1/chat/completions", CHAT.replace("granite", "dead"), bearer(alice)), 502,
                "server_error", "upstream_unavailable");
        UsageEvent event = single(alice);
        assertEquals(Outcome.UPSTREAM_ERROR, event.outcome());
        assertEquals(0, event.totalTokens());
    }

    @Test
    void anUpstreamErrorAnswerCarriesTheRequestId() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT.replace("granite", "dead"), bearer(alice));

        assertEquals(502, response.statusCode());
        assertEquals(single(alice).requestId(),
                response.headers().firstValue(MaasFilter.REQUEST_ID_HEADER).orElse(null),
                "the client can name the failed request to an operator");
    }

    @Test
    void roundRobinSkipsAnEndpointThatRefusesConnections() throws Exception {
        for (int i = 0; i < 4; i++) {
            assertEquals(200, post("/v1/chat/completions", CHAT.replace("granite", "replicated"), bearer(alice))
                    .statusCode());
        }
        assertEquals(4, upstream.requests().size());
    }

    @Test
    void anUpstreamThatDoesNotAnswerInTimeIs504AndNothingIsCharged() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, bearer(alice), "X-Test-Mode",
                "hang-headers", "X-Test-Gate", "hang");
        upstream.release("hang");
        assertError(response, 504, "timeout", "upstream_timeout");
        UsageEvent event = single(alice);
        assertEquals(Outcome.UPSTREAM_ERROR, event.outcome());
        assertEquals(504, event.httpStatus());
    }

    @Test
    void anUpstream500IsPassedOnAndNothingIsCharged() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, bearer(alice), "X-Test-Mode",
                "error-500");
        assertEquals(500, response.statusCode());
        UsageEvent event = single(alice);
        assertEquals(Outcome.UPSTREAM_ERROR, event.outcome());
        assertEquals(0, event.totalTokens());
    }

    @Test
    void anUpstream400IsPassedOnWithItsBodyAndChargedNothing() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, bearer(alice), "X-Test-Mode",
                "error-400");

        assertEquals(400, response.statusCode());
        assertEquals("invalid_request_error", JSON.readTree(response.body()).path("error").path("type").asText(),
                "the model's own error reaches the client");
        assertTrue(response.headers().firstValue(MaasFilter.REQUEST_ID_HEADER).isPresent());
        UsageEvent event = single(alice);
        assertEquals(400, event.httpStatus());
        assertEquals(0, event.totalTokens(), "the model refused the request: nothing was generated");
    }

    @Test
    void anUpstreamFailingMidStreamIsChargedWhatItGenerated() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", STREAM_CHAT, bearer(alice),
                "X-Test-Mode", "fail-mid-stream", "X-Test-Chunks", "5");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("tok0"));
        assertFalse(response.body().contains("[DONE]"));
        UsageEvent event = single(alice);
        assertTrue(event.estimated());
        assertTrue(event.completionTokens() > 0);
    }

    @Test
    void aClientDisconnectMidStreamIsSettledAsEstimatedExactlyOnce() throws Exception {
        String body = STREAM_CHAT;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + bearer(alice)
                    + "\r\nContent-Type: application/json\r\nX-Test-Mode: sse\r\nX-Test-Chunks: 400\r\n"
                    + "X-Test-Chunk-Delay-Ms: 10\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[1024];
            while (!seen.toString().contains("tok1")) {
                int n = in.read(buffer);
                assertTrue(n > 0, "the stream ended early: " + seen);
                seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            socket.setSoLinger(true, 0);
        }
        assertTrue(upstream.awaitDisconnect(Duration.ofSeconds(20)), "the proxy stopped reading the upstream");
        List<UsageEvent> events = awaitEvents(alice, 1);
        // give a second settlement the chance to appear: there must be none
        engine.usage().flush(Duration.ofSeconds(2));
        assertEquals(1, events(alice).size());
        UsageEvent event = events.get(0);
        assertEquals(Outcome.CLIENT_ABORTED, event.outcome());
        assertTrue(event.estimated());
        assertTrue(event.completionTokens() > 0);
    }
}
