package dev.maas4j.servlet;

import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.core.CreatedKey;
import dev.maas4j.testing.OpenAiBodies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MaasProxyServlet} built with {@code httpVersion(HTTP_2)}, behind {@link MaasFilter} on
 * embedded Jetty, forwarding to an upstream that speaks h2c ({@link H2cUpstream}).
 *
 * <p>What holds with the JDK's HTTP client and Jetty 12 as the upstream: the client has no
 * prior-knowledge h2c, so to an {@code http://} upstream it has no HTTP/2 connection with yet it
 * sends each request as HTTP/1.1 offering {@code Upgrade: h2c}. Jetty declines the upgrade for a
 * request with content ({@code HTTP2CServerConnectionFactory.upgradeConnection} returns no
 * connection when the content length is positive) and answers it over HTTP/1.1. The proxy forwards
 * completions as POSTs with a {@code Content-Length}, so while it forwards only those it stays on
 * HTTP/1.1, offering the upgrade every time. A request without a body (a GET through the proxy) is
 * upgraded: it is answered over HTTP/2, and the client sends everything after it on that HTTP/2
 * connection. Completions work and settle the exact usage either way.
 *
 * <p>That the proxy sends a {@code Content-Length} matters: Jetty does upgrade a request whose body
 * has no declared length (chunked), and then the body is lost and the connection fails with an
 * HTTP/2 protocol error. The tests would notice: they check the body the upstream got, and a
 * stream reports its usage only when its body asked for it.
 */
class H2cUpstreamTest extends GovernedHttpTest {
    private H2cUpstream upstream;
    private ServletHost host;
    private CreatedKey alice;

    @BeforeEach
    void start() throws Exception {
        upstream = new H2cUpstream();
        startEngineWithGranite(ModelRef.builder("granite").endpoint(upstream.uri()).build());
        alice = key("alice", KeyLimits.NONE);
        host = new JettyHost();
        base = host.start(MaasFilter.builder(engine).build(),
                MaasProxyServlet.builder().httpVersion(HttpClient.Version.HTTP_2).build());
    }

    @AfterEach
    void stop() throws Exception {
        if (host != null) {
            host.close();
        }
        upstream.close();
        engine.close();
    }

    @Test
    void completionsPostedWithABodyStayOnHttp11AndAreChargedTheReportedUsage() throws Exception {
        for (String usage : List.of("21,9", "4,2")) {
            HttpResponse<String> response = post("/v1/chat/completions", CHAT, bearer(alice), "X-Test-Usage", usage);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("chat.completion", JSON.readTree(response.body()).path("object").asText());
        }

        for (H2cUpstream.Received received : upstream.received) {
            assertEquals("HTTP/1.1", received.httpVersion(), "Jetty does not upgrade a request with content");
            assertEquals("h2c", received.upgrade(), "the client offered the upgrade on every request");
            assertEquals(CHAT, received.body());
        }
        List<UsageEvent> events = awaitEvents(alice, 2);
        assertEquals(2, events.size());
        assertEquals(25, events.stream().mapToLong(UsageEvent::promptTokens).sum());
        assertEquals(11, events.stream().mapToLong(UsageEvent::completionTokens).sum());
        assertTrue(events.stream().noneMatch(UsageEvent::estimated));
    }

    @Test
    void aStreamPostedWithABodyReachesTheClientBeforeTheUpstreamHasFinished() throws Exception {
        assertStreamIsRelayedAndChargedExactly("first");

        assertEquals(List.of("HTTP/1.1"), upstream.versions());
    }

    @Test
    void afterABodilessRequestIsUpgradedCompletionsTravelOverHttp2() throws Exception {
        CreatedKey other = key("alice", KeyLimits.NONE);
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(base.resolve("/default/granite/v1/responses/r1"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", bearer(other)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, get.statusCode(), get.body());
        assertEquals("h2c", upstream.received.get(0).upgrade());
        assertEquals("HTTP/2.0", upstream.received.get(0).httpVersion(), "a request without content is upgraded");

        HttpResponse<String> json = post("/v1/chat/completions", CHAT, bearer(alice), "X-Test-Usage", "21,9");
        assertEquals(200, json.statusCode(), json.body());
        UsageEvent event = single(alice);
        assertEquals(21, event.promptTokens());
        assertEquals(9, event.completionTokens());
        assertFalse(event.estimated());

        assertStreamIsRelayedAndChargedExactly("after-upgrade");

        assertEquals(List.of("HTTP/2.0", "HTTP/2.0", "HTTP/2.0"), upstream.versions(),
                "the completions went over the upgraded connection");
        assertEquals(CHAT, upstream.received.get(1).body());
    }

    /**
     * Streams a chat completion whose upstream waits at {@code gate} after its first chunk: the
     * first chunk must reach the client while it waits. Then checks that the stream's usage (5,3)
     * is charged exactly, as the only streamed event of {@link #alice}.
     */
    private void assertStreamIsRelayedAndChargedExactly(String gate) throws Exception {
        HttpRequest request = request("/v1/chat/completions", STREAM_CHAT, bearer(alice), "X-Test-Gate", gate,
                "X-Test-Usage", "5,3").build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> rest = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            assertEquals("data: " + OpenAiBodies.contentChunk("granite", 0), reader.readLine());
            assertEquals(0, upstream.finishedStreams.get(), "the first chunk arrived while the upstream waits");
            upstream.release(gate);
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rest.add(line);
            }
        }
        assertTrue(rest.contains("data: " + OpenAiBodies.usageChunk("granite", 5, 3)), rest.toString());
        assertEquals("data: [DONE]", rest.get(rest.size() - 2), rest.toString());

        List<UsageEvent> streamed = awaitStreamed(alice);
        assertEquals(1, streamed.size(), streamed.toString());
        assertEquals(5, streamed.get(0).promptTokens());
        assertEquals(3, streamed.get(0).completionTokens());
        assertFalse(streamed.get(0).estimated());
        assertEquals(Outcome.SUCCESS, streamed.get(0).outcome());
    }

    private List<UsageEvent> awaitStreamed(CreatedKey key) throws InterruptedException {
        int before = (int) events(key).stream().filter(e -> !e.streamed()).count();
        return awaitEvents(key, before + 1).stream().filter(UsageEvent::streamed).toList();
    }
}
