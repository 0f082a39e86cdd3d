package dev.maas4j.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.maas4j.testing.internal.UpstreamModes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible model server on loopback (the JDK's HTTP server: no servlet container, so
 * it runs beside Jetty or Tomcat alike), standing in for vLLM behind a gateway or for the OpenAI
 * API in front of a client. What it answers is chosen per request by headers, which a gateway
 * passes on unchanged, so one server serves every test of a class:
 *
 * <pre>{@code
 * try (FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start()) {
 *     store.putModel(ModelRef.builder("granite").endpoint(upstream.baseUri()).build());
 *     // POST /v1/chat/completions with X-Test-Mode: sse, X-Test-Usage: 5,3 through the gateway ...
 *     assertEquals("/v1/chat/completions", upstream.last().path());
 * }
 * }</pre>
 *
 * <p><b>Modes</b> ({@code X-Test-Mode}):
 * <ul>
 *   <li>none: {@code stream} if the body asks {@code "stream": true}, else {@code json};</li>
 *   <li>{@code json}: a chat completion, {@link OpenAiBodies#completion} (text {@link #ANSWER},
 *       reasoning {@link #REASONING}, unknown properties at every level);</li>
 *   <li>{@code stream}: a stream as vLLM sends it: a role chunk (with unknown properties), an SSE
 *       comment, reasoning chunks {@code "Think"}, {@code "ing."} with CRLF line ends, content
 *       {@code "Hello"}, {@code " there"}, a stop chunk, then the usage chunk if the body asks for
 *       {@code stream_options.include_usage}, and {@code [DONE]};</li>
 *   <li>{@code sse}: {@code X-Test-Chunks} content chunks (default 3) whose texts are
 *       {@code "tok0 "}, {@code "tok1 "}, …, a stop chunk, the usage chunk if asked for, {@code [DONE]};</li>
 *   <li>{@code sse-no-usage}: the same, never with a usage chunk;</li>
 *   <li>{@code fail-mid-stream}: the {@code sse} stream broken off after its second chunk, without
 *       the chunked terminator;</li>
 *   <li>{@code endless}: a content chunk every 20 ms until the client hangs up (at most a minute),
 *       counted in {@link #disconnects()};</li>
 *   <li>{@code hang-headers}: no answer until the gate {@code X-Test-Gate} (default {@code hang})
 *       opens, then a completion;</li>
 *   <li>{@code error-500}, {@code error-400}: an OpenAI error with that status.</li>
 * </ul>
 * Any {@code GET} gets an empty model list. Other headers: {@code X-Test-Usage}
 * ({@code prompt,completion}, default {@value #DEFAULT_USAGE}); {@code X-Test-Gate} (a numbered
 * stream waits on that gate after its first chunk until {@link #release}); {@code X-Test-Chunk-Gates}
 * (a name: chunk {@code i > 0} waits for the gate {@code name-i}, for a test that moves a manual clock
 * between chunks); {@code X-Test-Chunk-Delay-Ms} (a real pause between chunks, as a model takes to
 * generate them); {@code X-Test-Chunk-Padding} (dots added to each chunk's text). Streams send
 * {@code x-ratelimit-limit-requests: 999999}, and every built-in answer {@code Server: uvicorn} and
 * {@code X-Powered-By: Express}, which a gateway should not pass on.
 *
 * <p><b>Routes.</b> {@link #on(String, String, Handler)} answers one method and path with a handler
 * of the test's instead, e.g. {@code upstream.on("POST", "/v1/embeddings", json(200, body))}; the
 * handler is told which attempt at that route it answers.
 *
 * <p><b>What it saw.</b> Every request is recorded ({@link #requests()}, {@link #last()}), with the
 * paths that would leave the {@code /v1} base once normalized ({@link #outsideBase()}), the content
 * chunks written ({@link #chunksWritten()}), the streams written to the end
 * ({@link #finishedStreams()}) and those the client hung up on ({@link #disconnects()}).
 *
 * <p>Needs only the JDK and jackson-core: maas-client's tests use it without the server side.
 * Thread-safe.
 *
 * <p>This class is the server, its routes and its record of what it saw; the built-in modes and
 * their stream counts are {@code internal.UpstreamModes}.
 */
public final class FakeOpenAiUpstream implements AutoCloseable {
    /** The text of a {@code json} completion. */
    public static final String ANSWER = OpenAiBodies.ANSWER;
    /** The reasoning of a {@code json} completion. */
    public static final String REASONING = OpenAiBodies.REASONING;
    /** The usage reported without {@code X-Test-Usage}. */
    public static final String DEFAULT_USAGE = "11,7";
    /** The prompt tokens reported without {@code X-Test-Usage}. */
    public static final long PROMPT_TOKENS = 11;
    /** The completion tokens reported without {@code X-Test-Usage}. */
    public static final long COMPLETION_TOKENS = 7;

        /**
     * A request as the server received it.
     *
     * @param method  the HTTP method
     * @param path    the raw path, without the query
     * @param query   the raw query, or {@code null}
     * @param headers the headers (names as the JDK's server spells them: look them up with {@link #header})
     * @param body    the body, as UTF-8 text
     */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        /** The first value of header {@code name} (any case), or {@code null}. */
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** The path and, if there is one, {@code ?} and the query: the request target. */
        public String target() {
            return query == null ? path : path + "?" + query;
        }
    }

    /** Answers the requests of one route instead of the built-in modes. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Writes the answer to {@code request} on {@code exchange}, which is closed afterwards; an
         * {@link IOException} (the client went away) is ignored, anything else is a failed exchange.
         *
         * @param attempt how many requests this route has had, this one included (from 1)
         */
        void handle(Request request, HttpExchange exchange, int attempt) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-openai-upstream");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> outsideBase = new CopyOnWriteArrayList<>();
    private final Gates gates = new Gates();
    private final UpstreamModes modes = new UpstreamModes(gates);

    private FakeOpenAiUpstream(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** A server on a free loopback port. */
    public static FakeOpenAiUpstream start() {
        return startOn(0);
    }

    /** A server on loopback port {@code port} (0: any free one). */
    public static FakeOpenAiUpstream startOn(int port) {
        try {
            return new FakeOpenAiUpstream(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A base URL on which nothing listens, so that connections are refused: a dead endpoint. */
    public static String refusingUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------- where

    /** The port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The root URL, e.g. {@code http://127.0.0.1:4711}. */
    public String root() {
        return "http://127.0.0.1:" + port();
    }

    /** The root URL followed by {@code path}. */
    public URI uri(String path) {
        return URI.create(root() + path);
    }

    /** The base URL to configure as a model's endpoint, ending in {@code /v1}. */
    public String baseUrl() {
        return root() + "/v1";
    }

    /** {@link #baseUrl()} as a URI. */
    public URI baseUri() {
        return URI.create(baseUrl());
    }

    // ---------------------------------------------------------------------------------- what

    /** Answers {@code method path} (the raw path, no query) with {@code handler} from now on. */
    public FakeOpenAiUpstream on(String method, String path, Handler handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    /** Opens gate {@code name}: a stream waiting on it goes on. */
    public void release(String name) {
        gates.release(name);
    }

    /** The gates the streams wait on, for a route of the test's to wait on too. */
    public Gates gates() {
        return gates;
    }

    // ---------------------------------------------------------------------------------- seen

    /** Every request received so far, in order of arrival. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * The last request received.
     *
     * @throws AssertionError if there was none
     */
    public Request last() {
        List<Request> all = requests();
        if (all.isEmpty()) {
            throw new AssertionError("the upstream received no request");
        }
        return all.get(all.size() - 1);
    }

    /**
     * The request targets whose path, normalized as nginx, Jetty and Tomcat normalize it, left the
     * {@code /v1} base: what a path traversal through a proxy would reach.
     */
    public List<String> outsideBase() {
        return List.copyOf(outsideBase);
    }

    /** Content chunks written so far, over all streams. */
    public int chunksWritten() {
        return modes.chunksWritten();
    }

    /** Streams written to their end. */
    public int finishedStreams() {
        return modes.finishedStreams();
    }

    /** Streams the client went away from before their end. */
    public int disconnects() {
        return modes.disconnects();
    }

    /** Waits until a client has gone away from a stream (at most {@code timeout}); whether one did. */
    public boolean awaitDisconnect(Duration timeout) throws InterruptedException {
        return modes.awaitDisconnect(timeout);
    }

    /** Opens every gate and stops the server. */
    @Override
    public void close() {
        gates.releaseAll();
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------------------ answering

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            URI uri = exchange.getRequestURI();
            Request request = new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()), new String(bytes, StandardCharsets.UTF_8));
            requests.add(request);
            String normalized = uri.normalize().getPath();
            if (normalized == null || !normalized.startsWith("/v1/")) {
                outsideBase.add(request.target());
            }
            String route = request.method() + " " + request.path();
            Handler handler = routes.get(route);
            if (handler == null) {
                modes.answer(request, exchange);
                return;
            }
            int attempt = attempts.computeIfAbsent(route, r -> new AtomicInteger()).incrementAndGet();
            try {
                handler.handle(request, exchange, attempt);
            } catch (IOException e) {
                // the client went away: expected by tests that close early
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    /** Writes a JSON answer with extra headers given as name, value pairs; no body when {@code json} is empty. */
    public static void respond(HttpExchange exchange, int status, String json, String... headers) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** A route answering every attempt with {@code status} and {@code json}, plus headers as name, value pairs. */
    public static Handler json(int status, String json, String... headers) {
        return (request, exchange, attempt) -> respond(exchange, status, json, headers);
    }

    /** A route answering with a whole event stream at once, plus headers as name, value pairs. */
    public static Handler sse(String body, String... headers) {
        return (request, exchange, attempt) -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            for (int i = 0; i + 1 < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        };
    }
}
