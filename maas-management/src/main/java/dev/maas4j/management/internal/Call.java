package dev.maas4j.management.internal;

import dev.maas4j.core.Authentication;
import dev.maas4j.management.Caller;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One management request being handled: the caller, the path variables, the query parameters and
 * the body. Query parameters are parsed from the raw query string rather than with
 * {@code getParameter}, which would consume a form-encoded body (curl's default content type).
 * Not thread-safe; lives for one request.
 */
final class Call {
    final HttpServletRequest request;
    final HttpServletResponse response;
    final Caller caller;
    final Instant now;
    private final Map<String, String> variables;
    private final Map<String, List<String>> query;
    private final int maxBodyBytes;

    /**
     * The API key the call authenticated with, on the few read endpoints that accept one
     * ({@code GET /models}, {@code GET /subscriptions}, {@code GET /model/{id}/subscriptions}, as
     * Open Data Hub does); empty for a management credential. {@link #caller} is then the key's
     * owner as a plain user, so that nothing a key does needs more than the user role.
     */
    final Optional<Authentication> apiKey;

    Call(HttpServletRequest request, HttpServletResponse response, Caller caller, Instant now,
         Map<String, String> variables, int maxBodyBytes) {
        this(request, response, caller, now, variables, maxBodyBytes, Optional.empty());
    }

    Call(HttpServletRequest request, HttpServletResponse response, Caller caller, Instant now,
         Map<String, String> variables, int maxBodyBytes, Optional<Authentication> apiKey) {
        this.apiKey = apiKey;
        this.request = request;
        this.response = response;
        this.caller = caller;
        this.now = now;
        this.variables = variables;
        this.query = parseQuery(request.getQueryString());
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The path variable {@code name}. */
    String variable(String name) {
        return variables.get(name);
    }

    /** The query parameter {@code name}, if given (the first, if repeated). */
    Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every query parameter name given. */
    java.util.Set<String> queryNames() {
        return query.keySet();
    }

    /** The body read into {@code type}, strictly. */
    <T> T body(Class<T> type) throws IOException {
        return Json.read(body(), type);
    }

    /** The body, or an empty array; 413 beyond the limit. */
    byte[] body() throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw ApiException.tooLarge(maxBodyBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + n > maxBodyBytes) {
                    throw ApiException.tooLarge(maxBodyBytes);
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    /** Writes {@code value} as JSON with {@code status}. */
    void json(int status, Object value) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        Json.write(response.getOutputStream(), value);
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            result.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return result;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_query", "malformed query string: bad percent-encoding");
        }
    }

    /** The integer query parameter {@code name}, {@code fallback} if absent; 400 naming it if not in range. */
    int intQuery(String name, int fallback, int min, int max) {
        Optional<String> text = query(name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid(name, name + " must be an integer between " + min + " and " + max);
    }

    /**
     * The URL of {@code model}'s route, {@code <gateway base>/<namespace>/<name>}: as Open Data Hub's
     * {@code url}, the base a client appends {@code /v1/chat/completions} (or its OpenAI client's
     * {@code /v1/...}) to. The one place that builds it, for the model list and a key's assets.
     */
    String modelUrl(Settings settings, dev.maas4j.api.ModelRef model) {
        return gatewayBase(settings) + "/" + model.namespace() + "/" + model.name();
    }

    /** The base URL clients call models at: the configured one, else this request's scheme, host and port. */
    String gatewayBase(Settings settings) {
        String base = settings.gatewayBaseUrl().map(Object::toString).orElseGet(() -> {
            var r = request;
            boolean defaultPort = (r.getScheme().equals("http") && r.getServerPort() == 80)
                    || (r.getScheme().equals("https") && r.getServerPort() == 443);
            return r.getScheme() + "://" + r.getServerName() + (defaultPort ? "" : ":" + r.getServerPort());
        });
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
