package dev.maas4j.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maas4j.core.OpenAiError;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in demo model {@value #NAME}: answers OpenAI chat completions in-process, streamed
 * and not, by echoing the last user message, with usage counted by a simple word-and-punctuation
 * tokenizer (real figures for what it produced, not those of any real model's tokenizer). It
 * exists so that the quickstart works on a machine with no model and no network.
 */
final class DemoModelServlet extends HttpServlet {
    static final String NAME = "demo-echo";
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("\\w+|[^\\w\\s]");

    private final long tokenDelayMillis;

    DemoModelServlet(Duration tokenDelay) {
        this.tokenDelayMillis = tokenDelay.toMillis();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        if (!"POST".equals(request.getMethod()) || !path.endsWith("/chat/completions")) {
            byte[] error = new OpenAiError("The demo model only answers POST /v1/chat/completions",
                    "invalid_request_error", Optional.empty(), "unknown_url").toJson();
            response.setStatus(404);
            response.setContentType("application/json");
            response.setContentLength(error.length);
            response.getOutputStream().write(error);
            return;
        }
        JsonNode body = JSON.readTree(request.getInputStream());
        List<String> contents = new ArrayList<>();
        String lastUser = "";
        for (JsonNode message : body.path("messages")) {
            String text = text(message.path("content"));
            contents.add(text);
            if ("user".equals(message.path("role").asText())) {
                lastUser = text;
            }
        }
        long promptTokens = 3; // the reply's priming, as chat templates add
        for (String content : contents) {
            promptTokens += 4 + tokens(content).size();
        }
        List<String> pieces = tokens("You said: " + lastUser);
        long maxTokens = body.path("max_completion_tokens").asLong(body.path("max_tokens").asLong(Long.MAX_VALUE));
        String finishReason = "stop";
        if (pieces.size() > maxTokens) {
            pieces = pieces.subList(0, (int) maxTokens);
            finishReason = "length";
        }
        String model = body.path("model").asText(NAME);
        String id = "chatcmpl-demo-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        if (body.path("stream").asBoolean(false)) {
            boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
            stream(response, id, created, model, pieces, finishReason, includeUsage, promptTokens);
        } else {
            byte[] json = completion(id, created, model, String.join("", pieces), finishReason, promptTokens,
                    pieces.size());
            response.setStatus(200);
            response.setContentType("application/json");
            response.setContentLength(json.length);
            response.getOutputStream().write(json);
        }
    }

    private void stream(HttpServletResponse response, String id, long created, String model, List<String> pieces,
                        String finishReason, boolean includeUsage, long promptTokens) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setHeader("Cache-Control", "no-cache");
        ServletOutputStream out = response.getOutputStream();
        event(out, chunk(id, created, model, g -> {
            g.writeStringField("role", "assistant");
            g.writeStringField("content", "");
        }, null, false, 0, 0));
        for (String piece : pieces) {
            pause();
            event(out, chunk(id, created, model, g -> g.writeStringField("content", piece), null, false, 0, 0));
        }
        event(out, chunk(id, created, model, g -> { }, finishReason, false, 0, 0));
        if (includeUsage) {
            event(out, chunk(id, created, model, null, null, true, promptTokens, pieces.size()));
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void pause() {
        if (tokenDelayMillis > 0) {
            try {
                Thread.sleep(tokenDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void event(ServletOutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** One {@code chat.completion.chunk}; a usage chunk has empty {@code choices}, as OpenAI sends it. */
    private static String chunk(String id, long created, String model, Fields delta, String finishReason,
                                boolean usage, long promptTokens, long completionTokens) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.getFactory().createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("object", "chat.completion.chunk");
            g.writeNumberField("created", created);
            g.writeStringField("model", model);
            g.writeNullField("system_fingerprint");
            g.writeArrayFieldStart("choices");
            if (!usage) {
                g.writeStartObject();
                g.writeNumberField("index", 0);
                g.writeObjectFieldStart("delta");
                delta.write(g);
                g.writeEndObject();
                g.writeNullField("logprobs");
                if (finishReason == null) {
                    g.writeNullField("finish_reason");
                } else {
                    g.writeStringField("finish_reason", finishReason);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (usage) {
                usage(g, promptTokens, completionTokens);
            }
            g.writeEndObject();
        }
        return text.toString();
    }

    private static byte[] completion(String id, long created, String model, String content, String finishReason,
                                     long promptTokens, long completionTokens) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("object", "chat.completion");
            g.writeNumberField("created", created);
            g.writeStringField("model", model);
            g.writeNullField("system_fingerprint");
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("message");
            g.writeStringField("role", "assistant");
            g.writeStringField("content", content);
            g.writeNullField("refusal");
            g.writeEndObject();
            g.writeNullField("logprobs");
            g.writeStringField("finish_reason", finishReason);
            g.writeEndObject();
            g.writeEndArray();
            usage(g, promptTokens, completionTokens);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void usage(JsonGenerator g, long promptTokens, long completionTokens) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", promptTokens);
        g.writeNumberField("completion_tokens", completionTokens);
        g.writeNumberField("total_tokens", promptTokens + completionTokens);
        g.writeEndObject();
    }

    /** Message content as text: a string, or the text parts of an array of content parts. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                out.append(part.path("text").asText());
            }
        }
        return out.toString();
    }

    /** Words and punctuation, each piece carrying the whitespace before it so that the pieces join back. */
    static List<String> tokens(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        int last = 0;
        while (m.find()) {
            pieces.add(text.substring(last, m.end()));
            last = m.end();
        }
        return pieces;
    }
}
