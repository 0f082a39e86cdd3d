package dev.maas4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.core.CreatedKey;
import dev.maas4j.testing.FakeOpenAiUpstream;
import dev.maas4j.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MaasProxyServlet.Builder#idleTimeout}: a started response whose upstream goes silent is cut
 * and charged what was generated, while one that keeps sending is not. The proxy's idle timer runs
 * on a {@link ManualTicker}: the tests move its time instead of waiting for it. Each container runs
 * it through a subclass.
 */
abstract class IdleTimeoutContractTest extends GovernedHttpTest {
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final ManualTicker ticker = new ManualTicker();
    private FakeOpenAiUpstream upstream;
    private ServletHost host;
    private CreatedKey alice;

    abstract ServletHost host();

    @BeforeEach
    void start() throws Exception {
        upstream = FakeOpenAiUpstream.start();
        startEngineWithGranite(ModelRef.builder("granite").endpoint(upstream.baseUri()).build());
        alice = key("alice", KeyLimits.NONE);
        host = host();
        base = host.start(MaasFilter.builder(engine).build(),
                MaasProxyServlet.builder().idleTimeout(IDLE).timer(ticker, ticker.scheduler()).build());
    }

    @AfterEach
    void stop() throws Exception {
        if (host != null) {
            host.close();
        }
        upstream.close();
        engine.close();
    }

    /** The next {@code data:} line of a stream, or {@code null} at its end. */
    private static String nextData(BufferedReader reader) throws IOException {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("data: ")) {
                return line.substring(6);
            }
        }
        return null;
    }

    @Test
    void aStreamWhoseUpstreamFallsSilentIsCutWithAnErrorEventAndChargedWhatWasGenerated() throws Exception {
        HttpResponse<InputStream> response = http.send(request("/v1/chat/completions", STREAM_CHAT, bearer(alice),
                "X-Test-Mode", "sse", "X-Test-Gate", "never").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<String> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            // the upstream sends its first chunk, then nothing until the gate opens
            events.add(nextData(reader));
            CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> {
                try {
                    for (String data = nextData(reader); data != null; data = nextData(reader)) {
                        events.add(data);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            // one idle timeout cuts a relay that already waits on its upstream; a second one covers
            // a relay that asked for more only after the first had passed
            await("the proxy cut the silent stream").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        ticker.advance(IDLE);
                        return rest.isDone();
                    });
            rest.join();
        }
        assertEquals(2, events.size(), events.toString());
        assertTrue(events.get(0).contains("tok0"), events.get(0));
        JsonNode error = JSON.readTree(events.get(1)).path("error");
        assertEquals("upstream_timeout", error.path("code").asText(), events.get(1));

        upstream.release("never");
        assertTrue(upstream.awaitDisconnect(Duration.ofSeconds(10)), "the proxy hung up on the silent upstream");
        assertEquals(0, upstream.finishedStreams());
        UsageEvent event = single(alice);
        assertTrue(event.estimated(), "no usage was reported: what was generated is estimated");
        assertTrue(event.completionTokens() > 0, "the chunk that was generated is charged");
        assertEquals(Outcome.SUCCESS, event.outcome());
    }

    @Test
    void aStreamThatKeepsSendingIsNeverCutWhateverItsLength() throws Exception {
        // 15 chunks, each 29 s after the one before on the proxy's clock: 7 minutes in all, every
        // gap within the 30 s idle timeout (the upstream holds chunk i until the gate next-i opens)
        int chunks = 15;
        HttpResponse<InputStream> response = http.send(request("/v1/chat/completions", STREAM_CHAT, bearer(alice),
                "X-Test-Mode", "sse", "X-Test-Chunks", Integer.toString(chunks), "X-Test-Chunk-Gates", "next",
                "X-Test-Usage", "4,8").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<String> rest = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            for (int i = 0; i < chunks; i++) {
                String data = nextData(reader);
                assertTrue(data != null && data.contains("\"tok" + i + " "), i + ": " + data);
                if (i + 1 < chunks) {
                    // chunk i was relayed at the ticker's present time: the next gap starts there
                    ticker.advance(IDLE.minusSeconds(1));
                    upstream.release("next-" + (i + 1));
                }
            }
            for (String data = nextData(reader); data != null; data = nextData(reader)) {
                rest.add(data);
            }
        }

        assertEquals("[DONE]", rest.get(rest.size() - 1), rest.toString());
        assertTrue(rest.stream().noneMatch(d -> d.contains("\"error\"")), rest.toString());
        assertEquals(Duration.ofSeconds(29 * (chunks - 1)).toNanos(), ticker.read());
        UsageEvent event = single(alice);
        assertEquals(8, event.completionTokens());
        assertFalse(event.estimated());
    }
}
