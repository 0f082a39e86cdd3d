package dev.maas4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.core.CreatedKey;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.testing.FakeOpenAiUpstream;
import dev.maas4j.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Responses the gateway ends before the model does: a key revoked while its stream runs (through
 * the engine, or by another replica through the store), and responses that run longer or grow
 * larger than the model's limit. Each container runs it through a subclass.
 */
abstract class CutContractTest extends GovernedHttpTest {
    private final List<ServletHost> hosts = new ArrayList<>();
    private FakeOpenAiUpstream upstream;
    private CreatedKey alice;

    abstract ServletHost newHost();

    @BeforeEach
    void start() throws Exception {
        upstream = FakeOpenAiUpstream.start();
        startEngine(true);
        base = proxyHost(MaasProxyServlet.builder());
    }

    private void startEngine(boolean cut) {
        startEngineWithGranite(ModelRef.builder("granite").endpoint(upstream.baseUri()).build(),
                MaasEngine.builder().cutRevokedRequests(cut));
        store.putModel(ModelRef.builder("small").endpoint(upstream.baseUri())
                .metadata(Map.of(ModelRef.MAX_RESPONSE_BYTES, "2000")).build());
        store.putPolicy(dev.maas4j.api.AuthPolicy.of("small", dev.maas4j.api.SubjectSet.groups("dev"), "small"));
        store.putSubscription(dev.maas4j.api.Subscription.builder("small-sub")
                .owner(dev.maas4j.api.SubjectSet.groups("dev"))
                .model("small", dev.maas4j.api.RateLimit.of(1_000_000, "1m")).build());
        engine.catalog().refresh();
        alice = key("alice", KeyLimits.NONE);
    }

    private URI proxyHost(MaasProxyServlet.Builder proxy) throws Exception {
        ServletHost host = newHost();
        hosts.add(host);
        return host.start(MaasFilter.builder(engine).build(), proxy.build());
    }

    @AfterEach
    void stop() throws Exception {
        for (ServletHost host : hosts) {
            host.close();
        }
        upstream.close();
        engine.close();
    }

    /** Reads a stream's data lines after its first one, which is read before {@code afterFirst} runs. */
    private List<String> events(URI target, String model, Runnable afterFirst, String... headers) throws Exception {
        String[] all = new String[headers.length + 4];
        all[0] = "X-Test-Mode";
        all[1] = "sse";
        all[2] = "X-Test-Gate";
        all[3] = "first";
        System.arraycopy(headers, 0, all, 4, headers.length);
        HttpResponse<InputStream> response = http.send(java.net.http.HttpRequest.newBuilder(
                        target.resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                .header("Authorization", bearer(alice)).header("Content-Type", "application/json")
                .headers(all).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        STREAM_CHAT.replace("granite", model))).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<String> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            String first = reader.readLine();
            assertTrue(first.contains("tok0"), first);
            afterFirst.run();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("data: ")) {
                    events.add(line.substring(6));
                }
            }
        }
        return events;
    }

    private static void assertEndsWithError(List<String> events, String code) throws Exception {
        assertFalse(events.isEmpty());
        assertFalse(events.contains("[DONE]"), events.toString());
        JsonNode error = JSON.readTree(events.get(events.size() - 1)).path("error");
        assertEquals(code, error.path("code").asText(), events.toString());
    }

    @Test
    void aKeyRevokedWhileItStreamsIsCutWithAnErrorEvent() throws Exception {
        // a long stream, so that the upstream notices when the proxy hangs up
        List<String> events = events(base, "granite", () -> engine.revokeKey(alice.key().id()),
                "X-Test-Chunks", "400", "X-Test-Chunk-Delay-Ms", "5");

        assertEndsWithError(events, "revoked_api_key");
        upstream.release("first");
        assertTrue(upstream.awaitDisconnect(Duration.ofSeconds(10)), "the proxy hung up on the upstream");
        assertEquals(0, upstream.finishedStreams());
        UsageEvent event = single(alice);
        assertTrue(event.completionTokens() > 0, "what was generated is charged");
    }

    @Test
    void aKeyRevokedByAnotherReplicaIsCutWhenTheStoreTellsOfIt() throws Exception {
        // the store itself changes, as when another replica revokes the key, and notifies the engine
        List<String> events = events(base, "granite", () -> store.revoke(alice.key().id(), Instant.now()));

        assertEndsWithError(events, "revoked_api_key");
        upstream.release("first");
    }

    @Test
    void aStreamOutlivingItsKeysCacheEntryIsStillCut() throws Exception {
        // the key's cache entry goes (it expires every minute or so) while the stream runs on
        List<String> events = events(base, "granite", () -> {
            engine.keys().invalidate(alice.key().id());
            engine.revokeKey(alice.key().id());
        });

        assertEndsWithError(events, "revoked_api_key");
        upstream.release("first");
    }

    @Test
    void cuttingCanBeTurnedOff() throws Exception {
        engine.close();
        startEngine(false);
        URI uncut = proxyHost(MaasProxyServlet.builder());
        List<String> events = events(uncut, "granite", () -> {
            engine.revokeKey(alice.key().id());
            upstream.release("first");
        });
        assertTrue(events.contains("[DONE]"), "the stream ran to its end: " + events);
    }

    @Test
    void aHostServletsStreamIsCutAtItsNextWrite() throws Exception {
        HostModelServlet servlet = new HostModelServlet();
        ServletHost host = newHost();
        hosts.add(host);
        URI hostBase = host.start(MaasFilter.builder(engine).build(), servlet, false);
        try {
            List<String> events = events(hostBase, "granite", () -> {
                engine.revokeKey(alice.key().id());
                servlet.release("first");
            });
            assertEndsWithError(events, "revoked_api_key");
        } finally {
            servlet.releaseAll();
        }
    }

    @Test
    void aStreamRunningLongerThanTheLimitIsCut() throws Exception {
        // the limit on a manual clock, and no idle limit, which the silent upstream would hit first
        ManualTicker ticker = new ManualTicker();
        URI limited = proxyHost(MaasProxyServlet.builder().maxResponseDuration(Duration.ofMinutes(30))
                .idleTimeout(Duration.ZERO).timer(ticker, ticker.scheduler()));
        // the upstream holds its stream after the first chunk until the gate opens, which it never does:
        // half an hour after the response started, the proxy ends it
        List<String> events = events(limited, "granite", () -> ticker.advance(Duration.ofMinutes(30)));
        assertEndsWithError(events, "response_too_long");
        upstream.release("first");
    }

    @Test
    void aResponseLargerThanTheModelsLimitIsCut() throws Exception {
        // the model "small" allows 2,000 bytes; 20 chunks of 500 characters are far more
        List<String> events = events(base, "small", () -> upstream.release("first"), "X-Test-Chunks", "20",
                "X-Test-Chunk-Padding", "500");
        assertEndsWithError(events, "response_too_large");
        assertTrue(events.size() < 10, events.size() + " events");
    }
}
