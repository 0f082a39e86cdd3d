package dev.maas4j.servlet;

import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.core.CreatedKey;
import dev.maas4j.testing.OpenAiBodies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MaasFilter} in front of the host application's own model servlet, a plain synchronous one
 * ({@link HostModelServlet}, registered without async support), over real HTTP on loopback. Each
 * container runs it through a subclass. Waits are bounded; nothing asserts on timing.
 */
abstract class HostServletContractTest extends GovernedHttpTest {
    private final HostModelServlet servlet = new HostModelServlet();
    private ServletHost host;
    private CreatedKey alice;

    abstract ServletHost host();

    @BeforeEach
    void start() throws Exception {
        // the host's servlet is the model: no upstream endpoint
        startEngineWithGranite(ModelRef.builder("granite").price(ModelPrice.usd("1", "2")).build());
        alice = key("alice", KeyLimits.NONE);
        serve(MaasFilter.builder(engine).maxBodyBytes(64 * 1024).build());
    }

    private void serve(MaasFilter filter) throws Exception {
        if (host != null) {
            host.close();
        }
        host = host();
        base = host.start(filter, servlet, false);
    }

    @AfterEach
    void stop() throws Exception {
        servlet.releaseAll();
        if (host != null) {
            host.close();
        }
        engine.close();
    }

    // ------------------------------------------------------------------ what the servlet sees

    @ParameterizedTest
    @ValueSource(strings = {"stream", "reader"})
    void theServletReadsExactlyTheBodyTheClientSent(String input) throws Exception {
        // spacing, key order, escapes and non-ASCII text: nothing of it may change on the way
        String sent = "{ \"messages\" : [ {\"role\":\"user\", \"content\":\"Grüß dich \\u00e9 \\\"☃\\\"\"} ],\n"
                + "  \"temperature\": 0.70, \"model\":\"granite\" }";
        HttpResponse<String> response = post("/v1/chat/completions", sent, bearer(alice), "X-Test-Input", input,
                "Content-Type", "application/json; charset=utf-8");

        assertEquals(200, response.statusCode(), response.body());
        HostModelServlet.Seen seen = servlet.seen.get(0);
        assertArrayEquals(sent.getBytes(StandardCharsets.UTF_8), seen.body(), seen.text());
        assertEquals(sent.getBytes(StandardCharsets.UTF_8).length, seen.contentLength());
    }

    @Test
    void theServletNeverSeesTheClientKey() throws Exception {
        String secret = alice.secret().reveal();
        assertEquals(200, post("/v1/chat/completions", CHAT, bearer(alice), "x-api-key", secret).statusCode());

        HostModelServlet.Seen seen = servlet.seen.get(0);
        assertNull(seen.authorization());
        assertNull(seen.apiKey());
    }

    @Test
    void aStreamedChatReachesTheServletWithIncludeUsageAddedAndNothingElseChanged() throws Exception {
        String sent = "{\"model\":\"granite\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        assertEquals(200, post("/v1/chat/completions", sent, bearer(alice)).statusCode());

        // MaasFilter's javadoc: the body passes unchanged except for stream_options.include_usage,
        // which StreamOptions appends as the last member, keeping every other byte
        String expected = "{\"model\":\"granite\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"stream_options\":{\"include_usage\":true}}";
        HostModelServlet.Seen seen = servlet.seen.get(0);
        assertEquals(expected, seen.text());
        assertEquals(expected.getBytes(StandardCharsets.UTF_8).length, seen.contentLength(),
                "the content length the servlet sees is that of the body it reads");
    }

    @Test
    void aStreamedChatThatAlreadyAsksForUsageReachesTheServletUnchanged() throws Exception {
        String sent = "{\"model\":\"granite\", \"stream\":true, \"stream_options\": {\"include_usage\": true},"
                + " \"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        assertEquals(200, post("/v1/chat/completions", sent, bearer(alice)).statusCode());

        assertArrayEquals(sent.getBytes(StandardCharsets.UTF_8), servlet.seen.get(0).body());
    }

    @Test
    void withIncludeUsageOffAStreamedChatReachesTheServletUnchanged() throws Exception {
        serve(MaasFilter.builder(engine).includeUsageInStreams(false).build());
        assertEquals(200, post("/v1/chat/completions", STREAM_CHAT, bearer(alice)).statusCode());

        HostModelServlet.Seen seen = servlet.seen.get(0);
        assertArrayEquals(STREAM_CHAT.getBytes(StandardCharsets.UTF_8), seen.body(), seen.text());
        assertEquals(STREAM_CHAT.getBytes(StandardCharsets.UTF_8).length, seen.contentLength());
    }

    // ------------------------------------------------------------------ settlement

    @ParameterizedTest
    @ValueSource(strings = {"stream", "writer"})
    void aJsonCompletionIsChargedTheReportedUsageOnce(String output) throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, bearer(alice), "X-Test-Usage", "21,9",
                "X-Test-Output", output);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(OpenAiBodies.completion("granite", 21, 9), response.body());
        assertRateLimitHeaders(response);
        assertTrue(response.headers().firstValue(MaasFilter.REQUEST_ID_HEADER).isPresent());
        UsageEvent event = single(alice);
        assertEquals(Outcome.SUCCESS, event.outcome());
        assertEquals(21, event.promptTokens());
        assertEquals(9, event.completionTokens());
        assertFalse(event.estimated());
        assertFalse(event.streamed());
        assertEquals(200, event.httpStatus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream", "writer"})
    void streamedChunksReachTheClientBeforeTheServletHasFinished(String output) throws Exception {
        HttpRequest request = request("/v1/chat/completions", STREAM_CHAT, bearer(alice), "X-Test-Gate", "first",
                "X-Test-Usage", "5,3", "X-Test-Chunks", "4", "X-Test-Output", output).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        assertRateLimitHeaders(response);
        List<String> rest = readAfterFirstEvent(response, "first");
        assertTrue(rest.contains("data: [DONE]"), rest.toString());
        assertTrue(rest.contains("data: " + OpenAiBodies.usageChunk("granite", 5, 3)), rest.toString());

        UsageEvent event = single(alice);
        assertEquals(Outcome.SUCCESS, event.outcome());
        assertEquals(5, event.promptTokens());
        assertEquals(3, event.completionTokens());
        assertFalse(event.estimated());
        assertTrue(event.streamed());
    }

    @Test
    void anEventTheServletDoesNotFlushStillReachesTheClientAtOnce() throws Exception {
        // MaasFilter's javadoc: server-sent events are flushed chunk by chunk, nothing is held back
        HttpRequest request = request("/v1/chat/completions", STREAM_CHAT, bearer(alice), "X-Test-Gate", "first",
                "X-Test-Flush", "false", "X-Test-Usage", "5,3").build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());

        assertEquals(200, response.statusCode());
        assertTrue(readAfterFirstEvent(response, "first").contains("data: [DONE]"));
        assertEquals(8, single(alice).totalTokens());
    }

    @Test
    void theRateLimitHeadersSurviveAServletThatResetsTheResponse() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, bearer(alice), "X-Test-Mode", "reset");

        assertEquals(200, response.statusCode(), response.body());
        assertRateLimitHeaders(response);
        assertEquals(18, single(alice).totalTokens());
    }

    @Test
    void theRequestIdHeaderSurvivesAServletThatResetsTheResponse() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, bearer(alice), "X-Test-Mode", "reset");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(single(alice).requestId(),
                response.headers().firstValue(MaasFilter.REQUEST_ID_HEADER).orElse(null),
                "the client can still name the request its usage is recorded under");
    }

    // ------------------------------------------------------------------ denials

    @Test
    void deniedRequestsNeverReachTheServlet() throws Exception {
        assertError(post("/v1/chat/completions", CHAT, "Bearer sk-oai-nope"), 401, "authentication_error",
                "invalid_api_key");
        assertError(post("/v1/chat/completions", CHAT, null), 401, "authentication_error", "missing_api_key");
        assertError(post("/v1/chat/completions", CHAT.replace("granite", "nope"), bearer(alice)), 404,
                "not_found_error", "model_not_found");
        String big = "{\"model\":\"granite\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(70 * 1024) + "\"}]}";
        assertError(post("/v1/chat/completions", big, bearer(alice)), 413, "invalid_request_error",
                "request_too_large");
        CreatedKey limited = key("alice", KeyLimits.builder().requestsPerMinute(1).build());
        assertEquals(200, post("/v1/chat/completions", CHAT, bearer(limited)).statusCode());
        assertError(post("/v1/chat/completions", CHAT, bearer(limited)), 429, "rate_limit_error",
                "rate_limit_exceeded");

        assertEquals(1, servlet.seen.size(), "only the admitted request reached the servlet");
    }

    // ------------------------------------------------------------------ failures of the servlet

    @ParameterizedTest
    @ValueSource(strings = {"stream", "writer"})
    void aServletAnswering500IsChargedNothing(String output) throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, bearer(alice), "X-Test-Mode",
                "error-500", "X-Test-Output", output);

        assertEquals(500, response.statusCode());
        assertEquals("server_error", JSON.readTree(response.body()).path("error").path("type").asText());
        UsageEvent event = single(alice);
        assertEquals(Outcome.UPSTREAM_ERROR, event.outcome());
        assertEquals(0, event.totalTokens());
        assertEquals(500, event.httpStatus());
    }

    @Test
    void aServletThatThrowsBeforeAnsweringIsChargedNothing() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", CHAT, bearer(alice), "X-Test-Mode", "throw");

        assertEquals(500, response.statusCode(), "the container answers the exception");
        UsageEvent event = single(alice);
        assertEquals(Outcome.UPSTREAM_ERROR, event.outcome());
        assertEquals(0, event.totalTokens());
    }

    // ------------------------------------------------------------------ helpers

    private static void assertRateLimitHeaders(HttpResponse<?> response) {
        assertEquals("1000000", response.headers().firstValue("x-ratelimit-limit-tokens").orElse(null));
        assertTrue(response.headers().firstValue("x-ratelimit-remaining-tokens").isPresent());
        assertTrue(response.headers().firstValue("x-ratelimit-reset-tokens").orElse("").endsWith("s"));
    }

    /**
     * Reads the first event while the servlet waits at {@code gate}, checks that it has not
     * finished, opens the gate and returns the lines after the first.
     */
    private List<String> readAfterFirstEvent(HttpResponse<InputStream> response, String gate) throws Exception {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            String first = reader.readLine();
            assertEquals("data: " + OpenAiBodies.contentChunk("granite", 0), first);
            assertEquals(0, servlet.finished.get(), "the first chunk arrived while the servlet waits");
            servlet.release(gate);
            List<String> rest = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rest.add(line);
            }
            return rest;
        }
    }
}
