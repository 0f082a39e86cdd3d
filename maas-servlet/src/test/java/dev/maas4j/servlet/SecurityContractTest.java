package dev.maas4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ManualTimeSource;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.core.CreatedKey;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.testing.FakeOpenAiUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.maas4j.testing.TestData.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an attacker tries against the governed endpoint, over real HTTP on loopback: the model
 * named twice, the gateway's own headers, bodies in other content types, paths that an upstream
 * would normalize out of the model's base URL, credentials in the query, bodies that never come,
 * more bodies than an address may send at once, and an oversized body that must still get its 413.
 * Each container runs it through a subclass.
 */
abstract class SecurityContractTest extends GovernedHttpTest {
    private final List<ServletHost> hosts = new ArrayList<>();
    FakeOpenAiUpstream upstream;
    CreatedKey alice;

    abstract ServletHost newHost();

    @BeforeEach
    void start() throws Exception {
        upstream = FakeOpenAiUpstream.start();
        startEngine(MaasEngine.builder());
        base = startHost(f -> f.maxBodyBytes(64 * 1024), p -> { });
    }

    /** The catalog: alice (group dev) may use granite; premium, on the same upstream, is for group premium. */
    void startEngine(MaasEngine.Builder builder) {
        store = new InMemoryStore();
        store.setGroups("alice", "dev");
        store.putModel(ModelRef.builder("granite").endpoint(upstream.baseUri()).price(ModelPrice.usd("1", "2")).build());
        store.putModel(ModelRef.builder("premium").endpoint(upstream.baseUri())
                .price(ModelPrice.usd("500", "1000")).build());
        store.putPolicy(AuthPolicy.of("dev-models", SubjectSet.groups("dev"), "granite"));
        store.putPolicy(AuthPolicy.of("premium-models", SubjectSet.groups("premium"), "premium"));
        store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev", "premium"))
                .model("granite", RateLimit.of(1_000_000, "1m")).model("premium", RateLimit.of(1_000_000, "1m"))
                .build());
        engine = builder.store(store).usageFlushInterval(Duration.ofMillis(10)).build();
        alice = key("alice", KeyLimits.NONE);
    }

    /** Starts another container with the suite's settings changed by the two customizers. */
    URI startHost(Consumer<MaasFilter.Builder> filter, Consumer<MaasProxyServlet.Builder> proxy) throws Exception {
        MaasFilter.Builder filterBuilder = MaasFilter.builder(engine);
        filter.accept(filterBuilder);
        MaasProxyServlet.Builder proxyBuilder = MaasProxyServlet.builder().responseTimeout(Duration.ofSeconds(5));
        proxy.accept(proxyBuilder);
        ServletHost host = newHost();
        hosts.add(host);
        return host.start(filterBuilder.build(), proxyBuilder.build());
    }

    @AfterEach
    void stop() throws Exception {
        for (ServletHost host : hosts) {
            host.close();
        }
        upstream.close();
        engine.close();
    }

    private RawHttp raw(URI target, String sourceAddress) throws IOException {
        return new RawHttp(target, sourceAddress);
    }

    /**
     * Waits (bounded) until {@code count} container threads are reading a request body, so that a
     * test moves the clock only once the read has started.
     */
    static void awaitBodyReads(int count) {
        // the thread's stack is the one place that shows a container thread blocked inside the read
        eventually(count + " body reads in progress").until(SecurityContractTest::bodyReads, n -> n >= count);
    }

    private static int bodyReads() {
        int reading = 0;
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().endsWith("internal.BodyReader") && frame.getMethodName().equals("readBounded")) {
                    reading++;
                    break;
                }
            }
        }
        return reading;
    }

    // ------------------------------------------------------------------ 1. the model that was authorized

    @Test
    void aRouteAndABodyNamingDifferentModelsIs400OnEveryEndpoint() throws Exception {
        for (String endpoint : List.of("chat/completions", "completions", "embeddings", "responses", "messages",
                "rerank")) {
            HttpResponse<String> response = post("/default/granite/v1/" + endpoint,
                    "{\"model\":\"premium\",\"messages\":[],\"input\":\"x\",\"prompt\":\"x\"}", bearer(alice));
            assertError(response, 400, "invalid_request_error", "model_mismatch");
            String message = JSON.readTree(response.body()).path("error").path("message").asText();
            assertTrue(message.contains("granite") && message.contains("premium"), message);
        }
        assertTrue(upstream.requests().isEmpty(), "nothing reached the model: " + upstream.requests());
        assertTrue(events(alice).isEmpty(), "nothing is charged");
    }

    @Test
    void aModelNamedOnlyByTheRouteIsTheModelTheUpstreamGets() throws Exception {
        assertEquals(200, post("/default/granite/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", bearer(alice)).statusCode());
        assertEquals(200, post("/default/granite/v1/chat/completions",
                "{\"model\":null,\"messages\":[]}", bearer(alice)).statusCode());
        assertEquals(200, post("/default/granite/v1/embeddings", "{}", bearer(alice)).statusCode());

        for (FakeOpenAiUpstream.Request received : upstream.requests()) {
            assertEquals("granite", JSON.readTree(received.body()).path("model").asText(), received.body());
        }
        assertEquals(3, awaitEvents(alice, 3).size());
        assertTrue(events(alice).stream().allMatch(e -> e.model().equals("granite")));
    }

    @Test
    void aBodyThatMustNameTheModelButIsNotUtf8Is400AndChargedNothing() throws Exception {
        byte[] utf16 = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_16BE);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(
                        "/default/granite/v1/chat/completions")).header("Authorization", bearer(alice))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(utf16))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertError(response, 400, "invalid_request_error", "invalid_json");
        assertTrue(upstream.requests().isEmpty());
        assertEquals(0, single(alice).totalTokens());
    }

    @Test
    void aFormNamesTheAuthorizedModelToo() throws Exception {
        String boundary = "----maas4jTestBoundary";
        String audio = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\nRIFF....WAVE\r\n";
        String premium = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\npremium\r\n";
        String end = "--" + boundary + "--\r\n";
        String type = "multipart/form-data; boundary=" + boundary;

        assertError(post("/default/granite/v1/audio/transcriptions", audio + premium + end, bearer(alice),
                "Content-Type", type), 400, "invalid_request_error", "model_mismatch");
        assertTrue(upstream.requests().isEmpty());

        HttpResponse<String> routed = post("/default/granite/v1/audio/transcriptions", audio + end, bearer(alice),
                "Content-Type", type);
        assertEquals(200, routed.statusCode(), routed.body());
        String forwarded = upstream.requests().get(0).body();
        assertTrue(forwarded.contains("name=\"model\"\r\n\r\ngranite\r\n"), forwarded);
        assertTrue(forwarded.startsWith(audio) && forwarded.endsWith(end), "the rest of the form is unchanged");

        assertError(post("/v1/audio/transcriptions", audio + premium + end, bearer(alice), "Content-Type", type), 403,
                "permission_error", "model_not_authorized");
    }

    // ------------------------------------------------------------------ 2. the gateway's own headers

    @Test
    void identityHeadersFromTheClientAre403AndNeverForwarded() throws Exception {
        for (String[] header : List.of(new String[] {"X-MaaS-Username", "cluster-admin"},
                new String[] {"X-MaaS-Group", "system:masters"}, new String[] {"x-maas-key-id", "abc"},
                new String[] {"X-MAAS-Anything", "1"})) {
            assertError(post("/v1/chat/completions", CHAT, bearer(alice), header[0], header[1]), 403,
                    "permission_error", "forbidden_header");
        }
        assertTrue(upstream.requests().isEmpty());

        assertEquals(200, post("/v1/chat/completions", CHAT, bearer(alice), "X-MaaS-Subscription", "free")
                .statusCode());
        FakeOpenAiUpstream.Request received = upstream.requests().get(0);
        assertTrue(received.headers().keySet().stream().noneMatch(n -> n.toLowerCase().startsWith("x-maas-")),
                "no header of the gateway's namespace reaches the model by default: " + received.headers());
    }

    @Test
    void theVerifiedIdentityIsSentUpstreamOnlyWhenEnabled() throws Exception {
        URI withIdentity = startHost(f -> { }, p -> p.identityHeaders(true));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(withIdentity.resolve("/v1/chat/completions"))
                .header("Authorization", bearer(alice)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());

        FakeOpenAiUpstream.Request received = upstream.requests().get(0);
        assertEquals("alice", received.header("X-MaaS-Username"));
        assertEquals("dev", received.header("X-MaaS-Group"));
        assertEquals(alice.key().id(), received.header("X-MaaS-Key-Id"));
        assertEquals("free", received.header("X-MaaS-Subscription"));
    }

    // ------------------------------------------------------------------ 3. content types

    @Test
    void aJsonBodyInAnotherContentTypeIs415StreamedOrNot() throws Exception {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/json; charset=utf-16")) {
            for (String body : List.of(CHAT, STREAM_CHAT)) {
                assertError(post("/v1/chat/completions", body, bearer(alice), "Content-Type", type), 415,
                        "invalid_request_error", "unsupported_media_type");
            }
            assertError(post("/v1/embeddings", "{\"model\":\"granite\",\"input\":\"x\"}", bearer(alice),
                    "Content-Type", type), 415, "invalid_request_error", "unsupported_media_type");
        }
        assertTrue(upstream.requests().isEmpty(), "nothing unmetered reaches the model");
        assertTrue(events(alice).isEmpty());
    }

    @Test
    void aJsonBodyWithoutAContentTypeIsMeteredAsJson() throws Exception {
        try (RawHttp client = raw(base, null)) {
            byte[] body = STREAM_CHAT.getBytes(StandardCharsets.UTF_8);
            RawHttp.Answer answer = client.head("POST", "/v1/chat/completions", "Authorization: " + bearer(alice)
                    + "\r\nX-Test-Mode: sse\r\nX-Test-Usage: 13,5\r\nContent-Length: " + body.length).send(body).answer();
            assertEquals(200, answer.status(), answer.body());
        }
        assertTrue(upstream.requests().get(0).body().contains("\"include_usage\":true"));
        var event = single(alice);
        assertEquals(13, event.promptTokens());
        assertEquals(5, event.completionTokens());
        assertFalse(event.estimated());

        assertEquals(200, post("/v1/chat/completions", CHAT, bearer(alice), "Content-Type",
                "application/json; charset=UTF-8").statusCode());
    }

    // ------------------------------------------------------------------ 4. paths and queries

    @Test
    void pathsThatAnUpstreamWouldNormalizeAreRefusedBeforeAnyLookup() throws Exception {
        List<String> paths = List.of("/a/b/c/v1/../../../../admin/keys", "/v1/../../admin/keys",
                "/v1/./chat/completions", "//v1/chat/completions", "/v1/chat//completions",
                "/v1/chat/completions/%2e%2e/%2e%2e/admin", "/v1/%2E%2E/admin", "/v1/chat%2fcompletions",
                "/v1/chat%5ccompletions", "/v1/%252e%252e/admin", "/v1/chat/completions;x=1", "/v1/x%00",
                "/v1/x%zz");
        for (String path : paths) {
            try (RawHttp client = raw(base, null)) {
                byte[] body = CHAT.getBytes(StandardCharsets.UTF_8);
                RawHttp.Answer answer = client.head("POST", path, "Authorization: " + bearer(alice)
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length).send(body).answer();
                // the filter refuses it, or the container already did
                assertEquals(400, answer.status(), path + ": " + answer.body());
            }
        }
        assertTrue(upstream.requests().isEmpty(), "nothing reached the model: " + upstream.requests());
        assertTrue(upstream.outsideBase().isEmpty());
        assertTrue(events(alice).isEmpty());
    }

    @Test
    void aCredentialInTheQueryIsNeverForwarded() throws Exception {
        String secret = alice.secret().reveal();
        assertEquals(200, post("/v1/chat/completions?api-version=2024-06-01&api-key=" + secret + "&key=x"
                + "&access_token=y&note=" + secret + "&keep=1", CHAT, bearer(alice)).statusCode());
        FakeOpenAiUpstream.Request received = upstream.requests().get(0);
        assertEquals("/v1/chat/completions?api-version=2024-06-01&keep=1", received.target());
        assertFalse(received.toString().contains(secret));
    }

    // ------------------------------------------------------------------ 7. bodies

    @Test
    void aBadKeyIsRefusedWithoutReadingItsBody() throws Exception {
        try (RawHttp client = raw(base, null)) {
            // a body is declared and never sent: the answer must not wait for it
            RawHttp.Answer answer = client.head("POST", "/v1/chat/completions",
                    "Authorization: Bearer sk-oai-bogus\r\nContent-Type: application/json\r\nContent-Length: 1000000")
                    .answer();
            assertEquals(401, answer.status(), answer.body());
            assertEquals("invalid_api_key", JSON.readTree(answer.body()).path("error").path("code").asText());
            // the unread body makes the connection useless: a client must not send its next request on it
            assertEquals("close", answer.header("Connection"));
        }
    }

    @Test
    void aBodyThatMissesTheDeadlineIs408() throws Exception {
        ManualTimeSource clock = new ManualTimeSource(Instant.parse("2026-12-01T00:00:00Z"));
        engine.close();
        startEngine(MaasEngine.builder().timeSource(clock));
        URI slow = startHost(f -> f.bodyTimeout(Duration.ofSeconds(30)), p -> { });
        try (RawHttp client = raw(slow, null)) {
            client.head("POST", "/v1/chat/completions", "Authorization: " + bearer(alice)
                    + "\r\nContent-Type: application/json\r\nContent-Length: 2000").send("{\"model\":");
            awaitBodyReads(1);
            clock.advance(Duration.ofSeconds(31));
            RawHttp.Answer answer = client.send("\"granite\"").answer();
            assertEquals(408, answer.status(), answer.body());
            assertEquals("request_timeout", JSON.readTree(answer.body()).path("error").path("code").asText());
            assertTrue(client.closedByServer(), "the connection is closed after a 408");
        }
        assertTrue(upstream.requests().isEmpty());
    }

    @Test
    void aBodySlowerThanTheMinimumRateIs408() throws Exception {
        ManualTimeSource clock = new ManualTimeSource(Instant.parse("2026-12-01T00:00:00Z"));
        engine.close();
        startEngine(MaasEngine.builder().timeSource(clock));
        URI slow = startHost(f -> f.bodyTimeout(Duration.ofMinutes(10)).minBodyBytesPerSecond(1024), p -> { });
        try (RawHttp client = raw(slow, null)) {
            client.head("POST", "/v1/chat/completions", "Authorization: " + bearer(alice)
                    + "\r\nContent-Type: application/json\r\nContent-Length: 60000").send("{\"model\":");
            awaitBodyReads(1);
            // ten seconds for 18 bytes: 1,024 bytes per second after the 2-second grace wanted 8 KiB
            clock.advance(Duration.ofSeconds(10));
            RawHttp.Answer answer = client.send("\"granite\"").answer();
            assertEquals(408, answer.status(), answer.body());
            assertTrue(answer.body().contains("1024 bytes per second"), answer.body());
        }
        assertTrue(upstream.requests().isEmpty());
    }

    @Test
    void aDeclaredLengthIsNotAllocatedBeforeTheBytesArrive() throws Exception {
        URI large = startHost(f -> f.maxBodyBytes(256L << 20), p -> { });
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = allocated(threads);
        for (int i = 0; i < 4; i++) {
            try (RawHttp client = raw(large, null)) {
                // 200 MiB declared, 1 KB sent, then the client leaves
                client.head("POST", "/v1/chat/completions", "Authorization: " + bearer(alice)
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + (200L << 20))
                        .send("{\"model\":\"granite\",\"x\":\"" + "y".repeat(1000));
            }
        }
        // the container's threads are done with the four requests once their reads fail
        eventually("the container serves again").until(() -> post("/v1/chat/completions", CHAT, bearer(alice))
                .statusCode() == 200);
        long allocated = allocated(threads) - before;
        assertTrue(allocated < (64L << 20), "4 requests declaring 200 MiB each allocated " + (allocated >> 20) + " MiB");
    }

    private static long allocated(com.sun.management.ThreadMXBean threads) {
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }

    @Test
    void oneAddressMaySendOnlySoManyBodiesAtOnce() throws Exception {
        URI bounded = startHost(f -> f.maxConcurrentBodiesPerAddress(2), p -> { });
        String head = "Authorization: " + bearer(alice) + "\r\nContent-Type: application/json\r\nContent-Length: "
                + CHAT.length();
        try (RawHttp first = raw(bounded, "127.0.0.1"); RawHttp second = raw(bounded, "127.0.0.1")) {
            first.head("POST", "/v1/chat/completions", head).send(CHAT.substring(0, 5));
            second.head("POST", "/v1/chat/completions", head).send(CHAT.substring(0, 5));
            awaitBodyReads(2);
            // both reads are in progress: a third body from the same address is refused at once
            RawHttp.Answer third;
            try (RawHttp client = raw(bounded, "127.0.0.1")) {
                third = client.head("POST", "/v1/chat/completions", head).send(CHAT).answer();
            }
            assertEquals(429, third.status(), third.body());
            assertEquals("too_many_uploads", JSON.readTree(third.body()).path("error").path("code").asText());
            assertEquals("1", third.header("Retry-After"));

            try (RawHttp other = raw(bounded, "127.0.0.2")) {
                assertEquals(200, other.head("POST", "/v1/chat/completions", head).send(CHAT).answer().status(),
                        "another address is not affected");
            }
            assertEquals(200, first.send(CHAT.substring(5)).answer().status());
            assertEquals(200, second.send(CHAT.substring(5)).answer().status());
        }
    }

    // ------------------------------------------------------------------ 5. what a request asks for

    @Test
    void aRequestForMoreChoicesThanTheWindowHoldsIsRefusedUpFront() throws Exception {
        engine.close();
        startEngine(MaasEngine.builder().reservationStrategy(dev.maas4j.core.ReservationStrategy.WORST_CASE));
        store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                .model("granite", RateLimit.of(1_000, "1m")).build());
        engine.catalog().refresh();
        URI small = startHost(f -> { }, p -> { });
        String body = "{\"model\":\"granite\",\"n\":50,\"max_tokens\":100,\"messages\":[]}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(small.resolve("/v1/chat/completions"))
                .header("Authorization", bearer(alice)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertError(response, 400, "invalid_request_error", "request_exceeds_limit");
        assertTrue(upstream.requests().isEmpty());
    }

    // ------------------------------------------------------------------ 8. guessing

    @Test
    void anAddressThatGuessesTooOftenIsRefusedUntilItsWindowEnds() throws Exception {
        ManualTimeSource clock = new ManualTimeSource(Instant.parse("2026-12-01T00:00:00Z"));
        engine.close();
        startEngine(MaasEngine.builder().timeSource(clock));
        URI guarded = startHost(f -> { }, p -> { });
        String head = "Content-Type: application/json\r\nContent-Length: " + CHAT.length() + "\r\nAuthorization: ";
        for (int i = 0; i < 20; i++) {
            try (RawHttp client = raw(guarded, "127.0.0.1")) {
                RawHttp.Answer answer = client.head("POST", "/v1/chat/completions", head + "Bearer sk-oai-guess" + i)
                        .send(CHAT).answer();
                assertEquals(401, answer.status(), answer.body());
            }
        }
        RawHttp.Answer throttled;
        try (RawHttp client = raw(guarded, "127.0.0.1")) {
            // even the right key: from this address, nothing is looked at until the window ends
            throttled = client.head("POST", "/v1/chat/completions", head + bearer(alice)).send(CHAT).answer();
        }
        assertEquals(429, throttled.status(), throttled.body());
        assertEquals("too_many_authentication_failures",
                JSON.readTree(throttled.body()).path("error").path("code").asText());
        long retryAfter = Long.parseLong(throttled.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        try (RawHttp other = raw(guarded, "127.0.0.2")) {
            assertEquals(200, other.head("POST", "/v1/chat/completions", head + bearer(alice)).send(CHAT).answer()
                    .status(), "another address is not affected");
        }
        assertTrue(engine.meterRegistry().find("maas.auth.failures").tag("api", "model").tag("reason", "throttled")
                .counter().count() >= 1);

        clock.advance(Duration.ofSeconds(retryAfter));
        try (RawHttp client = raw(guarded, "127.0.0.1")) {
            assertEquals(200, client.head("POST", "/v1/chat/completions", head + bearer(alice)).send(CHAT).answer()
                    .status(), "the window ended");
        }
    }

    // ------------------------------------------------------------------ 12. the 413

    /** How many oversized bodies the 413 test sends: {@code -Dmaas.test.repeat=50} makes it a soak. */
    private static final int REPEAT_413 = Integer.getInteger("maas.test.repeat", 5);

    @Test
    void aBodyOverTheLimitGetsTheJson413NotAReset() throws Exception {
        // 11 MB against the default 10 MiB limit, each on a new connection: the client is still
        // sending when the answer is ready, and a reset would lose the answer (it did, 3 times in
        // 20, before the refused body was drained)
        URI limited = startHost(f -> { }, p -> { });
        String big = "{\"model\":\"granite\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(11_000_000) + "\"}]}";
        for (int i = 0; i < REPEAT_413; i++) {
            HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    limited.resolve("/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", bearer(alice))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(big)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(response, 413, "invalid_request_error", "request_too_large");
        }
        // chunked, with no declared length: counted as it arrives
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(limited.resolve("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", bearer(alice))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(chunked, 413, "invalid_request_error", "request_too_large");
        assertTrue(upstream.requests().isEmpty());
    }

    // ------------------------------------------------------------------ 11. what the upstream runs

    @Test
    void theUpstreamsServerAndPoweredByHeadersAreNotPassedOn() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, bearer(alice));
        assertEquals(200, response.statusCode());
        assertFalse(response.headers().firstValue("X-Powered-By").isPresent());
        assertNull(response.headers().firstValue("Server").filter(v -> v.contains("uvicorn")).orElse(null));
        HttpResponse<String> stream = post("/v1/chat/completions", STREAM_CHAT, bearer(alice), "X-Test-Mode", "sse");
        assertFalse(stream.headers().firstValue("X-Powered-By").isPresent());
    }
}
