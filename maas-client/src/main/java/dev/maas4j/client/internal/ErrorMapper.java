package dev.maas4j.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas4j.client.ApiError;
import dev.maas4j.client.MaasApiException;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns an error response into a typed {@link MaasApiException}. Reads the OpenAI body
 * {@code {"error": {...}}} and the shapes other servers send instead (vLLM's top-level
 * {@code message}, FastAPI's {@code detail}, a bare string), and masks the credential in
 * everything a server could echo back.
 */
public final class ErrorMapper {

    private static final int MAX_TEXT = 500;

    private ErrorMapper() {
    }

    /** The exception for an error response with body {@code body}. */
    public static MaasApiException fromResponse(int status, HttpHeaders headers, byte[] body,
                                                Optional<Secret> secret) {
        return MaasApiException.of(parse(status, headers, new String(body, StandardCharsets.UTF_8), secret));
    }

    /**
     * The exception for an error sent as an event inside a stream that had started with
     * {@code status}. A numeric {@code code} in the 4xx/5xx range picks the exception type.
     */
    public static MaasApiException fromStreamEvent(int status, HttpHeaders headers, String data,
                                                   Optional<Secret> secret) {
        ApiError error = parse(status, headers, data, secret);
        int effective = error.code().filter(c -> c.matches("[45]\\d\\d")).map(Integer::parseInt).orElse(status);
        if (effective != status) {
            error = new ApiError(effective, error.message(), error.type(), error.code(), error.param(), headers);
        }
        return MaasApiException.of(error);
    }

    /** Whether a stream event's data is an error object rather than a chunk. */
    public static boolean isErrorEvent(JsonNode node) {
        return node.isObject() && node.has("error") && !node.has("choices") && !node.get("error").isNull();
    }

    static ApiError parse(int status, HttpHeaders headers, String text, Optional<Secret> secret) {
        String message = null;
        Optional<String> type = Optional.empty();
        Optional<String> code = Optional.empty();
        Optional<String> param = Optional.empty();
        JsonNode root = tree(text);
        if (root != null && root.isObject()) {
            JsonNode error = root.get("error");
            JsonNode fields = error != null && error.isObject() ? error : root;
            if (error != null && error.isTextual()) {
                message = error.asText();
            }
            if (message == null) {
                message = string(fields.get("message")).orElse(null);
            }
            if (message == null && root.has("detail")) {
                JsonNode detail = root.get("detail");
                message = detail.isTextual() ? detail.asText() : detail.toString();
            }
            type = string(fields.get("type"));
            code = string(fields.get("code"));
            param = string(fields.get("param"));
        } else if (root != null && root.isTextual()) {
            message = root.asText();
        }
        if (message == null || message.isBlank()) {
            String trimmed = text.strip();
            message = trimmed.isEmpty() ? reason(status)
                    : trimmed.length() > MAX_TEXT ? trimmed.substring(0, MAX_TEXT) + "…" : trimmed;
        }
        return new ApiError(status, redact(message, secret), type.map(v -> redact(v, secret)),
                code.map(v -> redact(v, secret)), param.map(v -> redact(v, secret)), headers);
    }

    private static String redact(String text, Optional<Secret> secret) {
        return secret.map(s -> s.redact(text)).orElse(text);
    }

    private static JsonNode tree(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Json.ADMIN.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<String> string(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        String text = node.isValueNode() ? node.asText() : node.toString();
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }
}
