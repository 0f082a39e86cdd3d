package dev.maas4j.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A tiny OpenAI-compatible model server on the JDK's HTTP server, on loopback. What it does is
 * chosen per request by headers the proxy forwards unchanged:
 * <ul>
 *   <li>{@code X-Test-Mode}: {@code json} (default), {@code sse}, {@code sse-no-usage}, {@code hang-headers} (no answer
 *       until released), {@code fail-mid-stream}, {@code error-500}, {@code error-400};</li>
 *   <li>{@code X-Test-Usage}: {@code prompt,completion} reported in the usage (default 11,7);</li>
 *   <li>{@code X-Test-Chunks}: content chunks in a stream (default 3);</li>
 *   <li>{@code X-Test-Gate}: a gate name; a stream waits on it after its first chunk, until
 *       {@link #release(String)};</li>
 *   <li>{@code X-Test-Chunk-Delay-Ms}: a pause between chunks;</li>
 *   <li>{@code X-Test-Chunk-Padding}: characters added to the text of each content chunk.</li>
 * </ul>
 * Streams report usage only when the request asks for {@code stream_options.include_usage}, as
 * OpenAI does. Every request's headers and body are recorded.
 */
final class TestUpstream implements AutoCloseable {
    record Received(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Gates gates = new Gates();
    /** Counts down when a stream notices its client (the proxy) went away. */
    final CountDownLatch sawDisconnect = new CountDownLatch(1);
    /** Content chunks this server has written, over all streams. */
    final java.util.concurrent.atomic.AtomicInteger chunksWritten = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * Requests whose path, once normalized as nginx, Jetty and Tomcat normalize it, left the
     * {@code /v1} base: what a path traversal through the proxy would reach.
     */
    final List<String> outsideBase = new CopyOnWriteArrayList<>();
    /** Streams this server has written to the end. */
    final java.util.concurrent.atomic.AtomicInteger finishedStreams = new java.util.concurrent.atomic.AtomicInteger();

    TestUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-upstream");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL, ending in {@code /v1}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** A base URL on which nothing listens: connections are refused. */
    static String refusingUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/v1";
    }

    void release(String gate) {
        gates.release(gate);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String text = new String(body, StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                Map.copyOf(exchange.getRequestHeaders()), text));
        String normalized = exchange.getRequestURI().normalize().getPath();
        if (normalized == null || !normalized.startsWith("/v1/")) {
            outsideBase.add(exchange.getRequestURI().toString());
        }
        // what model servers advertise, and a gateway should not pass on
        exchange.getResponseHeaders().set("Server", "uvicorn");
        exchange.getResponseHeaders().set("X-Powered-By", "Express");
        String mode = header(exchange, "X-Test-Mode", "json");
        String[] usage = header(exchange, "X-Test-Usage", "11,7").split(",");
        long prompt = Long.parseLong(usage[0]);
        long completion = Long.parseLong(usage[1]);
        int chunks = Integer.parseInt(header(exchange, "X-Test-Chunks", "3"));
        long delay = Long.parseLong(header(exchange, "X-Test-Chunk-Delay-Ms", "0"));
        int padding = Integer.parseInt(header(exchange, "X-Test-Chunk-Padding", "0"));
        String gate = exchange.getRequestHeaders().getFirst("X-Test-Gate");
        boolean includeUsage = false;
        String model = "unknown";
        if (!text.isEmpty() && !header(exchange, "Content-Type", "").startsWith("multipart/")) {
            JsonNode request = JSON.readTree(text);
            includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
            model = request.path("model").asText("unknown");
        }
        if (exchange.getRequestMethod().equals("GET")) {
            respond(exchange, 200, "{\"object\":\"list\",\"data\":[]}");
            return;
        }
        switch (mode) {
            case "error-500" -> respond(exchange, 500, OpenAiBodies.error("boom", "server_error"));
            case "error-400" -> respond(exchange, 400, OpenAiBodies.error("bad", "invalid_request_error"));
            case "hang-headers" -> {
                gates.await(gate == null ? "hang" : gate);
                respond(exchange, 200, OpenAiBodies.completion(model, prompt, completion));
            }
            case "sse", "fail-mid-stream" -> stream(exchange, model, chunks, includeUsage, prompt, completion,
                    gate, delay, padding, mode.equals("fail-mid-stream"));
            case "sse-no-usage" -> stream(exchange, model, chunks, false, prompt, completion, gate, delay, padding,
                    false);
            default -> respond(exchange, 200, OpenAiBodies.completion(model, prompt, completion));
        }
    }

    private void stream(HttpExchange exchange, String model, int chunks, boolean includeUsage, long prompt,
                        long completion, String gate, long delayMillis, int padding, boolean failMidStream)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("x-ratelimit-limit-requests", "999999");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (int i = 0; i < chunks; i++) {
                event(out, OpenAiBodies.contentChunk(model, i, padding));
                chunksWritten.incrementAndGet();
                if (i == 0 && gate != null) {
                    gates.await(gate);
                }
                if (failMidStream && i == 1) {
                    // break the connection without the chunked terminator
                    throw new IllegalStateException("upstream failing mid-stream on purpose");
                }
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
            }
            event(out, OpenAiBodies.stopChunk(model));
            if (includeUsage) {
                event(out, OpenAiBodies.usageChunk(model, prompt, completion));
            }
            event(out, "[DONE]");
            out.close();
            finishedStreams.incrementAndGet();
        } catch (IOException e) {
            sawDisconnect.countDown();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(OpenAiBodies.eventBytes(data));
        out.flush();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String header(HttpExchange exchange, String name, String fallback) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? fallback : value;
    }

    URI uri() {
        return URI.create(baseUrl());
    }

    @Override
    public void close() {
        gates.releaseAll();
        server.stop(0);
    }
}
