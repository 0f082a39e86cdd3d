package dev.maas4j.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A small OpenAI-compatible model server on the JDK's HTTP server, on loopback, standing in for
 * vLLM behind the gateway. Its answers carry what newer servers send and this client version does
 * not model: unknown properties at every level (completion, choice, message, delta, usage) and
 * {@code reasoning_content}. Its streams contain an SSE comment and CRLF line ends, as some
 * servers and proxies send.
 *
 * <p>A user message equal to {@link #ENDLESS} streams a content chunk every 20 ms until the
 * connection breaks (bounded to a minute), then counts down {@link #disconnected()}. Thread-safe.
 */
final class FakeOpenAiUpstream implements AutoCloseable {
    /** The user message that starts an endless stream. */
    static final String ENDLESS = "stream until I hang up";
    static final String ANSWER = "Hello from upstream";
    static final String REASONING = "The user greets; greet back.";
    static final long PROMPT_TOKENS = 12;
    static final long COMPLETION_TOKENS = 9;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-upstream");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<JsonNode> lastRequest = new AtomicReference<>();
    private final CountDownLatch disconnected = new CountDownLatch(1);

    FakeOpenAiUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::chat);
        server.setExecutor(executor);
        server.start();
    }

    /** The base URL to configure as the model's endpoint, e.g. {@code http://127.0.0.1:4711/v1}. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    /** The body of the last chat request, as the gateway forwarded it. */
    JsonNode lastRequest() {
        return lastRequest.get();
    }

    /** Counted down when an endless stream could no longer be written: the gateway hung up. */
    CountDownLatch disconnected() {
        return disconnected;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void chat(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            lastRequest.set(request);
            String model = request.path("model").asText();
            JsonNode messages = request.path("messages");
            String lastMessage = messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("content").asText();
            if (!request.path("stream").asBoolean(false)) {
                byte[] body = JSON.writeValueAsBytes(completion(model));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            if (ENDLESS.equals(lastMessage)) {
                endless(out, model);
            } else {
                stream(out, model, request.path("stream_options").path("include_usage").asBoolean(false));
            }
        }
    }

    private static void stream(OutputStream out, String model, boolean includeUsage) throws IOException {
        event(out, chunk(model, delta -> delta.put("role", "assistant").put("content", "")
                .put("x_delta_field", true), null), "\n");
        // a comment line, as servers send to keep idle connections open
        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        event(out, chunk(model, delta -> delta.put("reasoning_content", "Think"), null), "\r\n");
        event(out, chunk(model, delta -> delta.put("reasoning_content", "ing."), null), "\r\n");
        event(out, chunk(model, delta -> delta.put("content", "Hello"), null), "\n");
        event(out, chunk(model, delta -> delta.put("content", " there"), null), "\n");
        ObjectNode last = chunk(model, delta -> { }, "stop");
        ((ObjectNode) last.path("choices").get(0)).put("stop_reason", 7);
        event(out, last, "\n");
        if (includeUsage) {
            ObjectNode usage = chunk(model, null, null);
            usage.set("usage", usage(5, 4));
            event(out, usage, "\n");
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void endless(OutputStream out, String model) {
        try {
            event(out, chunk(model, delta -> delta.put("role", "assistant").put("content", ""), null), "\n");
            for (int i = 0; i < 3000; i++) {
                int n = i;
                event(out, chunk(model, delta -> delta.put("content", " word" + n), null), "\n");
                Thread.sleep(20);
            }
        } catch (IOException e) {
            disconnected.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ObjectNode completion(String model) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", "chatcmpl-upstream-1").put("object", "chat.completion").put("created", 1_700_000_000L)
                .put("model", model).put("system_fingerprint", "fp_upstream");
        c.putObject("kv_transfer_params").put("remote_engine_id", "engine-7");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant").put("content", ANSWER).put("reasoning_content", REASONING);
        message.putArray("x_citations").addObject().put("source", "kb-1");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop").put("stop_reason", 128_001);
        c.set("usage", usage(PROMPT_TOKENS, COMPLETION_TOKENS));
        return c;
    }

    private static ObjectNode usage(long prompt, long completion) {
        ObjectNode u = JSON.createObjectNode();
        u.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
        u.putObject("prompt_tokens_details").put("cached_tokens", 4).put("x_audio_tokens", 0);
        u.putObject("completion_tokens_details").put("reasoning_tokens", 3);
        u.put("x_queue_seconds", 0.25);
        return u;
    }

    /** A chunk with one choice whose delta {@code delta} fills, or no choice when {@code delta} is null. */
    private static ObjectNode chunk(String model, Consumer<ObjectNode> delta, String finishReason) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", "chatcmpl-upstream-2").put("object", "chat.completion.chunk").put("created", 1_700_000_000L)
                .put("model", model).put("x_chunk_field", "v1");
        ArrayNode choices = c.putArray("choices");
        if (delta != null) {
            ObjectNode choice = choices.addObject();
            choice.put("index", 0);
            delta.accept(choice.putObject("delta"));
            choice.putNull("logprobs");
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
        }
        return c;
    }

    private static void event(OutputStream out, JsonNode chunk, String lineEnd) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(chunk) + lineEnd + lineEnd).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
