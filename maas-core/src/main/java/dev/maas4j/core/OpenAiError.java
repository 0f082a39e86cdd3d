package dev.maas4j.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.maas4j.api.Denial;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * An error as the OpenAI API writes it, {@code {"error":{"message","type","param","code"}}}: the one
 * writer of error bodies for the data plane and the management API alike.
 *
 * <pre>{@code
 * byte[] body = OpenAiError.of(denial).toJson();
 * }</pre>
 *
 * @param message what went wrong, safe to show the client
 * @param type    the OpenAI error type ({@code invalid_request_error}, {@code rate_limit_error}, ...)
 * @param param   the request field at fault, if one is
 * @param code    a machine-readable code
 */
public record OpenAiError(String message, String type, Optional<String> param, String code) {
    private static final JsonFactory JSON = new JsonFactory();

    /** Validates the components. */
    public OpenAiError {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(code, "code");
    }

    /** The error of a denial. */
    public static OpenAiError of(Denial denial) {
        return new OpenAiError(denial.message(), denial.reason().errorType(), Optional.empty(),
                denial.reason().errorCode());
    }

    /** The error as UTF-8 JSON. */
    public byte[] toJson() {
        return toJson(false);
    }

    /**
     * The error as UTF-8 JSON, with {@code code} repeated at the top level when {@code topLevelCode}:
     * {@code {"error":{...,"code":"invalid_subscription"},"code":"invalid_subscription"}}. The
     * management API writes this shape, because Open Data Hub's key handlers answer
     * {@code {"error":"...","code":"..."}}: a client that reads {@code body.code} and one that reads
     * {@code body.error.code} both find it.
     */
    public byte[] toJson(boolean topLevelCode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", message);
            g.writeStringField("type", type);
            if (param.isPresent()) {
                g.writeStringField("param", param.get());
            } else {
                g.writeNullField("param");
            }
            g.writeStringField("code", code);
            g.writeEndObject();
            if (topLevelCode) {
                g.writeStringField("code", code);
            }
            g.writeEndObject();
        } catch (IOException e) {
            // writing to memory does no I/O
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
