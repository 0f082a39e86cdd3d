package dev.maas4j.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback that serves fixtures and records every request it receives.
 * Routes are matched on method and path; an unmatched request gets a 404 with an OpenAI error body.
 */
public final class FixtureServer implements AutoCloseable {

    /** A request as the server received it. */
    public record Recorded(String method, String path, String query, Headers headers, String body) {
        /** The body as JSON. */
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        /** Writes the response of {@code request} to {@code exchange}; the attempt number starts at 1. */
        void handle(Recorded request, HttpExchange exchange, int attempt) throws Exception;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fixture-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();

    private FixtureServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** A server on a free port. */
    public static FixtureServer start() {
        return startOn(0);
    }

    /** A server on {@code port}. */
    public static FixtureServer startOn(int port) {
        try {
            return new FixtureServer(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's root URL, e.g. {@code http://127.0.0.1:4711}. */
    public String root() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** The root URL plus {@code path}. */
    public URI uri(String path) {
        return URI.create(root() + path);
    }

    /** The port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Routes {@code method path} to {@code handler}. */
    public FixtureServer on(String method, String path, Handler handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    /** Every request received, in order. */
    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The last request received. */
    public Recorded last() {
        if (requests.isEmpty()) {
            throw new AssertionError("the server received no request");
        }
        return requests.get(requests.size() - 1);
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            URI uri = exchange.getRequestURI();
            Recorded r = new Recorded(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders(), body);
            requests.add(r);
            String key = r.method() + " " + r.path();
            Handler handler = routes.get(key);
            if (handler == null) {
                respond(exchange, 404, "{\"error\":{\"message\":\"no route for " + key + "\",\"type\":\"not_found\"}}");
                return;
            }
            int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            try {
                handler.handle(r, exchange, attempt);
            } catch (IOException e) {
                // The client went away: expected in the tests that close streams early.
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    /** Writes a JSON response with extra headers given as name, value pairs. */
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

    /** A handler answering every attempt with {@code status} and {@code json}. */
    public static Handler json(int status, String json, String... headers) {
        return (request, exchange, attempt) -> respond(exchange, status, json, headers);
    }

    /** A handler answering with a whole event stream at once. */
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

    /** The text of test resource {@code fixtures/<name>}. */
    public static String fixture(String name) {
        try (InputStream in = FixtureServer.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
