package dev.maas4j.client;

import dev.maas4j.testing.FakeOpenAiUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.maas4j.client.Fixtures.bodyJson;
import static dev.maas4j.client.Fixtures.fixture;
import static dev.maas4j.testing.FakeOpenAiUpstream.json;
import static dev.maas4j.testing.FakeOpenAiUpstream.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingTest {

    private static final String PATH = "/v1/chat/completions";
    private static final String CHUNK = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":null}]}\n\n";

    private final FakeOpenAiUpstream server = FakeOpenAiUpstream.start();
    private final MaasClient client = MaasClient.builder().baseUrl(server.root() + "/v1").apiKey("sk-test")
            .maxRetries(0).build();

    @AfterEach
    void stop() {
        server.close();
    }

    private static ChatCompletionRequest request() {
        return ChatCompletionRequest.builder().model("gpt-4o-mini").addUserMessage("Say hello")
                .streamOptions(StreamOptions.INCLUDE_USAGE).build();
    }

    @ParameterizedTest(name = "line ending {0}")
    @ValueSource(strings = {"LF", "CRLF", "CR"})
    void streamReadsEveryChunkSkippingCommentsUntilDone(String ending) {
        String eol = switch (ending) {
            case "CRLF" -> "\r\n";
            case "CR" -> "\r";
            default -> "\n";
        };
        server.on("POST", PATH, sse(fixture("chat-stream.sse").replace("\n", eol),
                "x-request-id", "req_stream", "x-ratelimit-remaining-requests", "59"));

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            assertEquals("req_stream", stream.requestId().orElseThrow());
            assertEquals(59L, stream.rateLimits().remainingRequests().getAsLong());
            assertTrue(stream.usage().isEmpty(), "the usage comes with the last chunk");
            for (ChatCompletionChunk chunk : stream) {
                chunks.add(chunk);
                chunk.text().ifPresent(text::append);
            }
            Usage usage = stream.usage().orElseThrow();
            assertEquals(9, usage.promptTokens());
            assertEquals(3, usage.completionTokens());
            assertEquals(12, usage.totalTokens());
        }

        assertEquals(5, chunks.size(), "four deltas and the usage chunk; comments and [DONE] are not chunks");
        assertEquals("Hello there!", text.toString());
        assertEquals(Role.ASSISTANT, chunks.get(0).choices().get(0).delta().role().orElseThrow());
        assertEquals("stop", chunks.get(3).choices().get(0).finishReason().orElseThrow());
        assertTrue(chunks.get(4).choices().isEmpty());
        FakeOpenAiUpstream.Request sent = server.last();
        assertTrue(bodyJson(sent).get("stream").asBoolean());
        assertTrue(bodyJson(sent).at("/stream_options/include_usage").asBoolean());
        assertEquals("text/event-stream", sent.header("Accept"));
    }

    @Test
    void readAllAssemblesTextUsageAndFinishReason() {
        server.on("POST", PATH, sse(fixture("chat-stream.sse")));

        ChatCompletion completion;
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            completion = stream.readAll();
        }

        assertEquals("chatcmpl-123", completion.id());
        assertEquals("Hello there!", completion.text().orElseThrow());
        assertEquals("stop", completion.choices().get(0).finishReason().orElseThrow());
        assertEquals(12, completion.usage().orElseThrow().totalTokens());
    }

    @Test
    void streamedToolCallsAndReasoningAreAssembled() {
        server.on("POST", PATH, sse(fixture("chat-stream-tool-calls.sse")));

        ChatCompletion completion;
        List<String> reasoning = new ArrayList<>();
        try (ChatCompletionStream stream = client.chat().stream(request())) {
            Iterator<ChatCompletionChunk> it = stream.iterator();
            for (int i = 0; i < 2; i++) {
                it.next().choices().get(0).delta().reasoningText().ifPresent(reasoning::add);
            }
            completion = stream.readAll();
        }

        assertEquals(List.of("The user wants ", "the weather."), reasoning);
        ChatMessage message = completion.message().orElseThrow();
        assertEquals("The user wants the weather.", message.reasoningContent().orElseThrow());
        assertTrue(message.text().isEmpty());
        ToolCall call = message.toolCalls().get(0);
        assertEquals("call_DdmO9pD3xa9XTPNJ32zg2hcA", call.id());
        assertEquals("get_weather", call.function().name());
        assertEquals("{\"location\": \"Paris\"}", call.function().arguments());
        assertEquals("tool_calls", completion.choices().get(0).finishReason().orElseThrow());
    }

    @Test
    void chunksAreHandedOverAsTheyArriveNotWhenTheResponseEnds() throws Exception {
        CountDownLatch firstChunkRead = new CountDownLatch(1);
        AtomicBoolean serverWaitedInVain = new AtomicBoolean();
        server.on("POST", PATH, (request, exchange, attempt) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(CHUNK.getBytes(StandardCharsets.UTF_8));
            out.flush();
            // The rest is only sent once the client has read the first chunk.
            if (!firstChunkRead.await(20, TimeUnit.SECONDS)) {
                serverWaitedInVain.set(true);
            }
            out.write((CHUNK + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
            out.close();
        });

        try (ChatCompletionStream stream = client.chat().stream(request())) {
            Iterator<ChatCompletionChunk> it = stream.iterator();
            assertEquals("tok ", it.next().text().orElseThrow());
            firstChunkRead.countDown();
            assertEquals("tok ", it.next().text().orElseThrow());
            assertFalse(it.hasNext());
        }
        assertFalse(serverWaitedInVain.get(), "the client read the first chunk before the response ended");
    }

    @Test
    void closingTheStreamEarlyClosesTheConnection() throws Exception {
        // the fake's endless stream: a chunk every 20 ms until the client hangs up
        MaasClient endless = MaasClient.builder().baseUrl(server.root() + "/v1").apiKey("sk-test")
                .header("X-Test-Mode", "endless").build();

        ChatCompletionStream stream = endless.chat().stream(request());
        Iterator<ChatCompletionChunk> it = stream.iterator();
        it.next();
        it.next();
        stream.close();

        assertTrue(server.awaitDisconnect(Duration.ofSeconds(15)), "the server saw the connection closed");
        assertTrue(server.chunksWritten() < 3_000, "the server stopped writing before the end");
        assertFalse(it.hasNext(), "a closed stream has no more chunks");
    }

    @Test
    void theRequestTimeoutCoversTheHeadersNotTheGapsBetweenChunks() {
        server.on("POST", PATH, (request, exchange, attempt) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 2; i++) {
                out.write(CHUNK.getBytes(StandardCharsets.UTF_8));
                out.flush();
                // a gap longer than the client's 1 s timeout, in real time: the JDK client's
                // timeout is on the system clock
                Thread.sleep(2_000);
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        MaasClient patient = MaasClient.builder().baseUrl(server.root() + "/v1").timeout(Duration.ofSeconds(1)).build();

        try (ChatCompletionStream stream = patient.chat().stream(request())) {
            assertEquals(2, stream.stream().count(), "a slow generation is not cut off");
        }
    }

    @Test
    void anErrorInsideTheStreamIsThrownAsATypedException() {
        server.on("POST", PATH, sse(fixture("chat-stream-error.sse"), "x-request-id", "req_err"));

        try (ChatCompletionStream stream = client.chat().stream(request())) {
            Iterator<ChatCompletionChunk> it = stream.iterator();
            assertEquals("Par", it.next().text().orElseThrow());
            ServerException e = assertThrows(ServerException.class, it::hasNext);
            assertEquals(502, e.statusCode());
            assertEquals("The upstream model server went away.", e.errorMessage());
            assertEquals("server_error", e.type().orElseThrow());
            assertEquals("req_err", e.requestId().orElseThrow());
        }
    }

    @Test
    void anErrorStatusIsThrownWhenTheStreamIsOpened() {
        server.on("POST", PATH, json(429, fixture("error-429.json"), "retry-after", "20"));

        RateLimitException e = assertThrows(RateLimitException.class, () -> client.chat().stream(request()));

        assertEquals("rate_limit_exceeded", e.code().orElseThrow());
    }

    @Test
    void aServerThatIgnoresStreamingIsReportedRatherThanReadAsAnEmptyStream() {
        server.on("POST", PATH, json(200, fixture("chat-completion.json")));

        MaasClientException e = assertThrows(MaasClientException.class, () -> client.chat().stream(request()));

        assertTrue(e.getMessage().contains("event stream"), e.getMessage());
    }

    @Test
    void aStreamCanBeIteratedOnlyOnce() {
        server.on("POST", PATH, sse(fixture("chat-stream.sse")));

        try (ChatCompletionStream stream = client.chat().stream(request())) {
            assertEquals(5, stream.stream().count());
            assertThrows(IllegalStateException.class, stream::iterator);
        }
    }

    @Test
    void completionsStreamToo() {
        server.on("POST", "/v1/completions", sse(fixture("completion-stream.sse")));

        Completion completion;
        try (CompletionStream stream = client.completions().stream(
                CompletionRequest.builder().model("gpt-3.5-turbo-instruct").prompt("Say this is a test").build())) {
            completion = stream.readAll();
        }

        assertEquals("This is a test", completion.text());
        assertEquals("length", completion.choices().get(0).finishReason().orElseThrow());
        assertTrue(bodyJson(server.last()).get("stream").asBoolean());
        assertEquals("Say this is a test", bodyJson(server.last()).get("prompt").asText());
    }

}
