package dev.maas4j.benchmarks.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible model server on loopback that answers {@code POST /v1/chat/completions}
 * at once with fixed bytes: a 1 KB chat completion with usage, or, when the body asks for
 * {@code "stream":true}, 20 server-sent chunks, a usage chunk and {@code data: [DONE]}, each
 * written and flushed on its own, with no pause. It never parses JSON, so that what it costs stays
 * small next to what is measured.
 *
 * <p>Two servers: {@code jetty} (Jetty 12 core handler, non-blocking, run on the selector thread)
 * and {@code jdk} ({@code com.sun.net.httpserver} with a thread pool and {@code TCP_NODELAY}).
 * {@link GatewayOverhead} runs it as a second JVM ({@link #main}): it prints {@code PORT <n>}
 * and serves until its standard input closes or its lifetime ends.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.maas4j.benchmarks.gateway.FakeUpstream --server jetty --threads 4 --lifetime 2h
 * }</pre>
 */
public final class FakeUpstream implements AutoCloseable {
    /** The model name the answers carry. */
    static final String MODEL = "bench";
    /** Content chunks in a streamed answer (the last one carries {@code finish_reason}). */
    static final int STREAM_CHUNKS = 20;
    /** The non-streamed answer. */
    static final byte[] COMPLETION = completion();
    /** The streamed answer's events, one write each: content chunks, the usage chunk, {@code [DONE]}. */
    static final List<byte[]> EVENTS = events();
    /** The length of the streamed answer's body. */
    static final int STREAM_BODY_LENGTH = EVENTS.stream().mapToInt(e -> e.length).sum();

    private static final byte[] STREAM_TRUE = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_TRUE_SPACED = "\"stream\": true".getBytes(StandardCharsets.US_ASCII);

    private final AutoCloseable server;
    private final int port;

    private FakeUpstream(AutoCloseable server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a server on {@code 127.0.0.1} and a free port.
     *
     * @param kind    {@code jetty} or {@code jdk}
     * @param threads the size of the server's thread pool
     */
    static FakeUpstream start(String kind, int threads) throws Exception {
        return switch (kind) {
            case "jetty" -> startJetty(threads);
            case "jdk" -> startJdk(threads);
            default -> throw new IllegalArgumentException("--server must be jetty or jdk, was " + kind);
        };
    }

    /** The port it listens on. */
    int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }

    /** Runs the server until standard input closes (the parent went away) or {@code --lifetime} passes. */
    public static void main(String[] args) throws Exception {
        String kind = "jetty";
        int threads = 4;
        Duration lifetime = Duration.ofHours(2);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server" -> kind = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--lifetime" -> lifetime = GatewayOverhead.duration(args[++i], "--lifetime");
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --server jetty|jdk, --threads n, --lifetime 2h)");
            }
        }
        try (FakeUpstream upstream = start(kind, threads)) {
            PrintStream out = System.out;
            out.println("PORT " + upstream.port());
            out.flush();
            Thread watcher = new Thread(() -> {
                try {
                    InputStream in = System.in;
                    byte[] sink = new byte[256];
                    while (in.read(sink) >= 0) {
                        // the parent writes nothing; end of input means it is gone
                    }
                } catch (IOException e) {
                    // treated as end of input
                }
            }, "upstream-stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
            watcher.join(lifetime.toMillis());
        }
        System.exit(0);
    }

    // ------------------------------------------------------------------ Jetty

    private static FakeUpstream startJetty(int threads) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(threads, 4), Math.min(threads, 2));
        pool.setName("upstream");
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        // a model server's listen backlog (uvicorn's default is 2048), not the JDK's 50: a burst of
        // connections from the gateway must not cost one-second retransmissions
        connector.setAcceptQueueSize(2048);
        server.addConnector(connector);
        server.setHandler(new JettyHandler());
        server.start();
        return new FakeUpstream(server::stop, connector.getLocalPort());
    }

    /** Non-blocking: Jetty may run it on the selector thread, with no hand-off to the pool. */
    private static final class JettyHandler extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!"POST".equals(request.getMethod())) {
                Response.writeError(request, response, callback, 405);
                return true;
            }
            Content.Source.asByteArrayAsync(request, 1 << 20).whenComplete((body, failure) -> {
                if (failure != null) {
                    callback.failed(failure);
                } else if (wantsStream(body, body.length)) {
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                    new EventWriter(response, callback).iterate();
                } else {
                    response.setStatus(200);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, COMPLETION.length);
                    response.write(true, ByteBuffer.wrap(COMPLETION), callback);
                }
            });
            return true;
        }
    }

    /** Writes the events one after the other, each as its own HTTP chunk. */
    private static final class EventWriter extends IteratingCallback {
        private final Response response;
        private final Callback done;
        private int next;

        EventWriter(Response response, Callback done) {
            this.response = response;
            this.done = done;
        }

        @Override
        protected Action process() {
            if (next == EVENTS.size()) {
                return Action.SUCCEEDED;
            }
            byte[] event = EVENTS.get(next++);
            response.write(next == EVENTS.size(), ByteBuffer.wrap(event), this);
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            done.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            done.failed(cause);
        }
    }

    // ------------------------------------------------------------------ JDK HttpServer

    private static FakeUpstream startJdk(int threads) throws IOException {
        // without it the JDK server leaves Nagle on, and small SSE writes wait for delayed ACKs
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "upstream-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", FakeUpstream::handleJdk);
        server.start();
        return new FakeUpstream(() -> {
            server.stop(0);
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }, server.getAddress().getPort());
    }

    private static void handleJdk(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (wantsStream(body, body.length)) {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.getResponseHeaders().set("Cache-Control", "no-cache");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                for (byte[] event : EVENTS) {
                    out.write(event);
                    out.flush();
                }
                out.close();
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, COMPLETION.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(COMPLETION);
                }
            }
        }
    }

    // ------------------------------------------------------------------ the answers

    static boolean wantsStream(byte[] body, int length) {
        return indexOf(body, length, STREAM_TRUE) >= 0 || indexOf(body, length, STREAM_TRUE_SPACED) >= 0;
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] completion() {
        StringBuilder content = new StringBuilder();
        String sentence = "Latency is the time a request waits; a gateway should add as little as it can. ";
        while (content.length() + sentence.length() <= 760) {
            content.append(sentence);
        }
        String json = "{\"id\":\"chatcmpl-bench-0001\",\"object\":\"chat.completion\",\"created\":1700000000,"
                + "\"model\":\"" + MODEL + "\",\"system_fingerprint\":null,\"choices\":[{\"index\":0,\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"" + content.toString().strip() + "\",\"refusal\":null},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":160,\"total_tokens\":184}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> events() {
        List<byte[]> events = new ArrayList<>();
        String prefix = "{\"id\":\"chatcmpl-bench-0001\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"" + MODEL + "\",\"system_fingerprint\":null,\"choices\":";
        for (int i = 0; i < STREAM_CHUNKS; i++) {
            String delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"Token\"}"
                    : "{\"content\":\" token" + i + "\"}";
            String finish = i == STREAM_CHUNKS - 1 ? "\"stop\"" : "null";
            events.add(event(prefix + "[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
                    + finish + "}]}"));
        }
        events.add(event(prefix + "[],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":" + STREAM_CHUNKS
                + ",\"total_tokens\":" + (24 + STREAM_CHUNKS) + "}}"));
        events.add(event("[DONE]"));
        return List.copyOf(events);
    }

    private static byte[] event(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
