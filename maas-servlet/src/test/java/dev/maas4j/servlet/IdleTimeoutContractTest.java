package dev.maas4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.core.CreatedKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MaasProxyServlet.Builder#idleTimeout}: a started response whose upstream goes silent is cut
 * and charged what was generated, while one that keeps sending is not. Each container runs it
 * through a subclass.
 */
abstract class IdleTimeoutContractTest extends GovernedHttpTest {
    private TestUpstream upstream;
    private ServletHost host;
    private CreatedKey alice;

    abstract ServletHost host();

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream();
        startEngineWithGranite(ModelRef.builder("granite").endpoint(upstream.uri()).build());
        alice = key("alice", KeyLimits.NONE);
        host = host();
        base = host.start(MaasFilter.builder(engine).build(),
                MaasProxyServlet.builder().idleTimeout(Duration.ofSeconds(1)).build());
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
    void aStreamWhoseUpstreamFallsSilentIsCutWithAnErrorEventAndChargedWhatWasGenerated() throws Exception {
        HttpResponse<InputStream> response = http.send(request("/v1/chat/completions", STREAM_CHAT, bearer(alice),
                "X-Test-Mode", "sse", "X-Test-Gate", "never").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<String> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            // the upstream sends its first chunk, then nothing until the gate opens: the proxy ends the stream
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("data: ")) {
                    events.add(line.substring(6));
                }
            }
        }
        assertEquals(2, events.size(), events.toString());
        assertTrue(events.get(0).contains("tok0"), events.get(0));
        JsonNode error = JSON.readTree(events.get(1)).path("error");
        assertEquals("upstream_timeout", error.path("code").asText(), events.get(1));

        upstream.release("never");
        assertTrue(upstream.sawDisconnect.await(10, TimeUnit.SECONDS), "the proxy hung up on the silent upstream");
        assertEquals(0, upstream.finishedStreams.get());
        UsageEvent event = single(alice);
        assertTrue(event.estimated(), "no usage was reported: what was generated is estimated");
        assertTrue(event.completionTokens() > 0, "the chunk that was generated is charged");
        assertEquals(Outcome.SUCCESS, event.outcome());
    }

    @Test
    void aStreamThatKeepsSendingIsNeverCutWhateverItsLength() throws Exception {
        // 15 chunks 100 ms apart: longer than the 1 s idle timeout in all, each gap well within it
        HttpResponse<String> response = post("/v1/chat/completions", STREAM_CHAT, bearer(alice),
                "X-Test-Mode", "sse", "X-Test-Chunks", "15", "X-Test-Chunk-Delay-Ms", "100", "X-Test-Usage", "4,8");

        assertEquals(200, response.statusCode());
        assertTrue(response.body().endsWith("data: [DONE]\n\n"), response.body());
        UsageEvent event = single(alice);
        assertEquals(8, event.completionTokens());
        assertFalse(event.estimated());
    }
}
