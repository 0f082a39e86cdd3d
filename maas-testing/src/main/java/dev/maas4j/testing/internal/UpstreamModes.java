package dev.maas4j.testing.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import dev.maas4j.testing.FakeOpenAiUpstream;
import dev.maas4j.testing.FakeOpenAiUpstream.Request;
import dev.maas4j.testing.Gates;
import dev.maas4j.testing.OpenAiBodies;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The built-in answers of {@link FakeOpenAiUpstream}, the modes its javadoc lists (chosen by
 * {@code X-Test-Mode} and shaped by the other {@code X-Test-} headers), and the counts of what
 * their streams did: content chunks written, streams finished, clients that hung up.
 *
 * <p>Thread-safe: each answer runs on its exchange's thread, and the counts are atomic.
 */
public final class UpstreamModes {
    private static final JsonFactory JSON = new JsonFactory();

    private final Gates gates;
    private final AtomicInteger chunksWritten = new AtomicInteger();
    private final AtomicInteger finishedStreams = new AtomicInteger();
    private final AtomicInteger disconnects = new AtomicInteger();
    private final CountDownLatch firstDisconnect = new CountDownLatch(1);

    /** @param gates the gates that {@code X-Test-Gate} and {@code X-Test-Chunk-Gates} name */
    public UpstreamModes(Gates gates) {
        this.gates = gates;
    }

    /** Content chunks written so far, over all streams. */
    public int chunksWritten() {
        return chunksWritten.get();
    }

    /** Streams written to their end. */
    public int finishedStreams() {
        return finishedStreams.get();
    }

    /** Streams the client went away from before their end. */
    public int disconnects() {
        return disconnects.get();
    }

    /** Waits until a client has gone away from a stream (at most {@code timeout}); whether one did. */
    public boolean awaitDisconnect(Duration timeout) throws InterruptedException {
        return firstDisconnect.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Answers {@code request} as its mode says. */
    public void answer(Request request, HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Server", "uvicorn");
        exchange.getResponseHeaders().set("X-Powered-By", "Express");
        if (request.method().equals("GET")) {
            FakeOpenAiUpstream.respond(exchange, 200, "{\"object\":\"list\",\"data\":[]}");
            return;
        }
        Body body = Body.of(request);
        String mode = headerOr(request, "X-Test-Mode", body.stream ? "stream" : "json");
        String[] usage = headerOr(request, "X-Test-Usage", FakeOpenAiUpstream.DEFAULT_USAGE).split(",");
        long prompt = Long.parseLong(usage[0].strip());
        long completion = Long.parseLong(usage[1].strip());
        switch (mode) {
            case "error-500" -> FakeOpenAiUpstream.respond(exchange, 500, OpenAiBodies.error("boom", "server_error"));
            case "error-400" -> FakeOpenAiUpstream.respond(exchange, 400,
                    OpenAiBodies.error("bad", "invalid_request_error"));
            case "hang-headers" -> {
                gates.await(headerOr(request, "X-Test-Gate", "hang"));
                FakeOpenAiUpstream.respond(exchange, 200, OpenAiBodies.completion(body.model, prompt, completion));
            }
            case "stream" -> vllmStream(exchange, body, prompt, completion);
            case "sse", "fail-mid-stream" -> numberedStream(exchange, request, body, body.includeUsage, prompt,
                    completion, mode.equals("fail-mid-stream"));
            case "sse-no-usage" -> numberedStream(exchange, request, body, false, prompt, completion, false);
            case "endless" -> endless(exchange, body);
            default -> FakeOpenAiUpstream.respond(exchange, 200, OpenAiBodies.completion(body.model, prompt,
                    completion));
        }
    }

    private static OutputStream startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("x-ratelimit-limit-requests", "999999");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private void numberedStream(HttpExchange exchange, Request request, Body body, boolean includeUsage, long prompt,
                                long completion, boolean failMidStream) throws IOException {
        int chunks = Integer.parseInt(headerOr(request, "X-Test-Chunks", "3"));
        long delayMillis = Long.parseLong(headerOr(request, "X-Test-Chunk-Delay-Ms", "0"));
        int padding = Integer.parseInt(headerOr(request, "X-Test-Chunk-Padding", "0"));
        String gate = request.header("X-Test-Gate");
        String chunkGates = request.header("X-Test-Chunk-Gates");
        OutputStream out = startStream(exchange);
        try {
            for (int i = 0; i < chunks; i++) {
                if (i > 0 && chunkGates != null) {
                    gates.await(chunkGates + "-" + i);
                }
                write(out, OpenAiBodies.contentChunk(body.model, i, padding), "\n");
                chunksWritten.incrementAndGet();
                if (i == 0 && gate != null) {
                    gates.await(gate);
                }
                if (failMidStream && i == 1) {
                    // the JDK's server then drops the connection without the chunked terminator
                    throw new IllegalStateException("upstream failing mid-stream on purpose");
                }
                if (delayMillis > 0) {
                    // a model's pace: the real time between chunks is what the test is about
                    Thread.sleep(delayMillis);
                }
            }
            write(out, OpenAiBodies.stopChunk(body.model), "\n");
            finish(out, body.model, includeUsage, prompt, completion);
        } catch (IOException e) {
            disconnected();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void vllmStream(HttpExchange exchange, Body body, long prompt, long completion) throws IOException {
        OutputStream out = startStream(exchange);
        try {
            write(out, OpenAiBodies.chunk(body.model, "{\"role\":\"assistant\",\"content\":\"\",\"x_delta_field\":true}",
                    null), "\n");
            // a comment line, as servers send to keep idle connections open
            out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            write(out, OpenAiBodies.chunk(body.model, "{\"reasoning_content\":\"Think\"}", null), "\r\n");
            write(out, OpenAiBodies.chunk(body.model, "{\"reasoning_content\":\"ing.\"}", null), "\r\n");
            write(out, OpenAiBodies.chunk(body.model, "{\"content\":\"Hello\"}", null), "\n");
            write(out, OpenAiBodies.chunk(body.model, "{\"content\":\" there\"}", null), "\n");
            chunksWritten.addAndGet(2);
            write(out, OpenAiBodies.chunk(body.model, "{}", "stop").replace("\"finish_reason\":\"stop\"",
                    "\"finish_reason\":\"stop\",\"stop_reason\":7"), "\n");
            finish(out, body.model, body.includeUsage, prompt, completion);
        } catch (IOException e) {
            disconnected();
            throw e;
        }
    }

    /** After the stop chunk: the usage chunk if asked for, {@code [DONE]}, and the end of the stream. */
    private void finish(OutputStream out, String model, boolean includeUsage, long prompt, long completion)
            throws IOException {
        if (includeUsage) {
            write(out, OpenAiBodies.usageChunk(model, prompt, completion), "\n");
        }
        write(out, "[DONE]", "\n");
        out.close();
        finishedStreams.incrementAndGet();
    }

    private void endless(HttpExchange exchange, Body body) throws IOException {
        OutputStream out = startStream(exchange);
        try {
            write(out, OpenAiBodies.chunk(body.model, "{\"role\":\"assistant\",\"content\":\"\"}", null), "\n");
            for (int i = 0; i < 3000; i++) {
                write(out, OpenAiBodies.chunk(body.model, "{\"content\":\" word" + i + "\"}", null), "\n");
                chunksWritten.incrementAndGet();
                // a model's pace, until the client hangs up: only a write can tell that it did
                Thread.sleep(20);
            }
        } catch (IOException e) {
            disconnected();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void disconnected() {
        disconnects.incrementAndGet();
        firstDisconnect.countDown();
    }

    private static void write(OutputStream out, String data, String lineEnd) throws IOException {
        out.write(("data: " + data + lineEnd + lineEnd).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String headerOr(Request request, String name, String fallback) {
        String value = request.header(name);
        return value == null ? fallback : value;
    }

    /** What the built-in modes read from a request body: the model, and whether it streams with usage. */
    private record Body(String model, boolean stream, boolean includeUsage) {
        static Body of(Request request) {
            String type = request.header("Content-Type");
            if (request.body().isEmpty() || (type != null && type.startsWith("multipart/"))) {
                return new Body("unknown", false, false);
            }
            String model = "unknown";
            boolean stream = false;
            boolean includeUsage = false;
            try (JsonParser p = JSON.createParser(request.body())) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return new Body(model, false, false);
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "model" -> model = value == JsonToken.VALUE_STRING ? p.getText() : model;
                        case "stream" -> stream = value == JsonToken.VALUE_TRUE;
                        case "stream_options" -> {
                            if (value == JsonToken.START_OBJECT) {
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    String option = p.currentName();
                                    JsonToken v = p.nextToken();
                                    if (option.equals("include_usage")) {
                                        includeUsage = v == JsonToken.VALUE_TRUE;
                                    }
                                    p.skipChildren();
                                }
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            } catch (IOException e) {
                // not JSON: answered as a request that names nothing
            }
            return new Body(model, stream, includeUsage);
        }
    }
}
