package dev.maas4j.servlet;

import dev.maas4j.testing.OpenAiBodies;
import dev.maas4j.testing.Gates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible model server that speaks h2c: embedded Jetty 12 with HTTP/1.1 and the
 * HTTP/1.1 {@code Upgrade: h2c} to HTTP/2 on one cleartext connector, on loopback. It answers
 * chat completions as JSON, or as a stream of server-sent events when the body asks for one (with
 * a usage chunk when it asks for {@code stream_options.include_usage}); any other request gets
 * {@code {}}. Chosen per request by headers: {@code X-Test-Usage} ({@code prompt,completion},
 * default 11,7), {@code X-Test-Chunks} (default 3), {@code X-Test-Gate} (a stream waits on it after
 * its first chunk until {@link #release(String)}). Records the HTTP version and upgrade header of
 * every request it handles.
 */
final class H2cUpstream implements AutoCloseable {
    /**
     * A request as the server handled it.
     *
     * @param httpVersion the protocol it arrived on: {@code HTTP/1.1} or {@code HTTP/2.0}
     * @param upgrade     its {@code Upgrade} header, if any
     */
    record Received(String httpVersion, String method, String path, String upgrade, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final ServerConnector connector;
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Streams this server has written to the end. */
    final AtomicInteger finishedStreams = new AtomicInteger();
    private final Gates gates = new Gates();

    H2cUpstream() throws Exception {
        server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        connector = new ServerConnector(server, new HttpConnectionFactory(config),
                new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                try {
                    H2cUpstream.this.handle(request, response);
                    callback.succeeded();
                } catch (Throwable t) {
                    callback.failed(t);
                }
                return true;
            }
        });
        server.start();
    }

    /** The base URL, ending in {@code /v1}. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/v1");
    }

    void release(String gate) {
        gates.release(gate);
    }

    /** The HTTP versions of the requests handled so far, in order. */
    List<String> versions() {
        return received.stream().map(Received::httpVersion).toList();
    }

    private void handle(Request request, Response response) throws IOException {
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        received.add(new Received(request.getConnectionMetaData().getHttpVersion().asString(), request.getMethod(),
                request.getHttpURI().getPath(), request.getHeaders().get(HttpHeader.UPGRADE), body));
        String[] usage = header(request, "X-Test-Usage", "11,7").split(",");
        long prompt = Long.parseLong(usage[0]);
        long completion = Long.parseLong(usage[1]);
        JsonNode json = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        String model = json.path("model").asText("unknown");
        if (!"POST".equals(request.getMethod())) {
            respond(response, "{}");
        } else if (json.path("stream").asBoolean(false)) {
            stream(request, response, model, json.path("stream_options").path("include_usage").asBoolean(false),
                    prompt, completion);
        } else {
            respond(response, OpenAiBodies.completion(model, prompt, completion));
        }
    }

    private void stream(Request request, Response response, String model, boolean includeUsage, long prompt,
                        long completion) throws IOException {
        int chunks = Integer.parseInt(header(request, "X-Test-Chunks", "3"));
        String gate = request.getHeaders().get("X-Test-Gate");
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            for (int i = 0; i < chunks; i++) {
                event(out, OpenAiBodies.contentChunk(model, i));
                if (i == 0 && gate != null) {
                    gates.await(gate);
                }
            }
            event(out, OpenAiBodies.stopChunk(model));
            if (includeUsage) {
                event(out, OpenAiBodies.usageChunk(model, prompt, completion));
            }
            event(out, "[DONE]");
        }
        finishedStreams.incrementAndGet();
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(OpenAiBodies.eventBytes(data));
        out.flush();
    }

    private static void respond(Response response, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.write(bytes);
        }
    }

    private static String header(Request request, String name, String fallback) {
        String value = request.getHeaders().get(name);
        return value == null ? fallback : value;
    }

    @Override
    public void close() throws Exception {
        gates.releaseAll();
        server.stop();
    }
}
