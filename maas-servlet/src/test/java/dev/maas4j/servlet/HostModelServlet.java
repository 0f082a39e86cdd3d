package dev.maas4j.servlet;

import dev.maas4j.testing.OpenAiBodies;
import dev.maas4j.testing.Gates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host application's own model endpoint: a plain synchronous servlet (it never starts async) that
 * answers OpenAI chat completions itself, as JSON, or as server-sent events written one by one when
 * the body asks for a stream. As OpenAI does, a stream carries a usage chunk only when the body
 * asks for {@code stream_options.include_usage}. Chosen per request by headers:
 * <ul>
 *   <li>{@code X-Test-Mode}: {@code ok} (default), {@code error-500} (an OpenAI error, status 500),
 *       {@code throw} (fails before writing anything), {@code reset} (resets the response first);</li>
 *   <li>{@code X-Test-Usage}: {@code prompt,completion} reported (default 11,7);</li>
 *   <li>{@code X-Test-Chunks}: content chunks in a stream (default 3);</li>
 *   <li>{@code X-Test-Gate}: a gate name; a stream waits on it after its first chunk, until
 *       {@link #release(String)};</li>
 *   <li>{@code X-Test-Output}: {@code stream} (default, {@code getOutputStream()}) or {@code writer}
 *       ({@code getWriter()});</li>
 *   <li>{@code X-Test-Input}: {@code stream} (default, {@code getInputStream()}) or {@code reader}
 *       ({@code getReader()});</li>
 *   <li>{@code X-Test-Flush}: {@code false} to write events without flushing them.</li>
 * </ul>
 * Records what each request looked like from inside the servlet. Thread-safe.
 */
final class HostModelServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A request as the servlet saw it.
     *
     * @param body           the body as read (through the stream, or the reader encoded back to UTF-8)
     * @param contentLength  {@code getContentLengthLong()}
     * @param authorization  the {@code Authorization} header
     * @param apiKey         the {@code x-api-key} header
     */
    record Seen(byte[] body, long contentLength, String authorization, String apiKey) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final transient List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Requests the servlet has answered to the end and returned from. */
    final transient AtomicInteger finished = new AtomicInteger();
    private final transient Gates gates = new Gates();

    void release(String gate) {
        gates.release(gate);
    }

    /** Opens every gate, so that no servlet thread outlives a test. */
    void releaseAll() {
        gates.releaseAll();
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        byte[] body = "reader".equals(request.getHeader("X-Test-Input")) ? readChars(request)
                : request.getInputStream().readAllBytes();
        seen.add(new Seen(body, request.getContentLengthLong(), request.getHeader("Authorization"),
                request.getHeader("x-api-key")));
        String mode = header(request, "X-Test-Mode", "ok");
        if (mode.equals("throw")) {
            throw new ServletException("the host's model servlet failing on purpose");
        }
        if (mode.equals("reset")) {
            response.reset();
        }
        String[] usage = header(request, "X-Test-Usage", "11,7").split(",");
        long prompt = Long.parseLong(usage[0]);
        long completion = Long.parseLong(usage[1]);
        boolean writer = "writer".equals(request.getHeader("X-Test-Output"));
        if (mode.equals("error-500")) {
            respond(response, writer, 500, OpenAiBodies.error("the model is out of memory", "server_error"));
        } else {
            JsonNode json = JSON.readTree(body);
            String model = json.path("model").asText("unknown");
            if (json.path("stream").asBoolean(false)) {
                stream(request, response, writer, model, json.path("stream_options").path("include_usage")
                        .asBoolean(false), prompt, completion);
            } else {
                respond(response, writer, 200, OpenAiBodies.completion(model, prompt, completion));
            }
        }
        finished.incrementAndGet();
    }

    private void stream(HttpServletRequest request, HttpServletResponse response, boolean writer, String model,
                        boolean includeUsage, long prompt, long completion) throws IOException {
        int chunks = Integer.parseInt(header(request, "X-Test-Chunks", "3"));
        String gate = request.getHeader("X-Test-Gate");
        boolean flush = !"false".equals(request.getHeader("X-Test-Flush"));
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        Events out = writer ? new Events(response.getWriter(), null) : new Events(null, response.getOutputStream());
        for (int i = 0; i < chunks; i++) {
            out.send(OpenAiBodies.contentChunk(model, i), flush);
            if (i == 0 && gate != null) {
                gates.await(gate);
            }
        }
        out.send(OpenAiBodies.stopChunk(model), flush);
        if (includeUsage) {
            out.send(OpenAiBodies.usageChunk(model, prompt, completion), flush);
        }
        out.send("[DONE]", flush);
    }

    /** Writes events through the writer or the output stream, whichever the servlet took. */
    private record Events(Writer writer, OutputStream stream) {
        void send(String data, boolean flush) throws IOException {
            if (writer != null) {
                writer.write(OpenAiBodies.event(data));
                if (flush) {
                    writer.flush();
                }
            } else {
                stream.write(OpenAiBodies.eventBytes(data));
                if (flush) {
                    stream.flush();
                }
            }
        }
    }

    private static void respond(HttpServletResponse response, boolean writer, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        if (writer) {
            response.getWriter().write(body);
        } else {
            response.getOutputStream().write(bytes);
        }
    }

    private static byte[] readChars(HttpServletRequest request) throws IOException {
        StringWriter text = new StringWriter();
        try (Reader reader = request.getReader()) {
            reader.transferTo(text);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String header(HttpServletRequest request, String name, String fallback) {
        String value = request.getHeader(name);
        return value == null ? fallback : value;
    }
}
