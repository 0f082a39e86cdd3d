package dev.maas4j.servlet.internal;

import com.fasterxml.jackson.core.JsonFactory;
import dev.maas4j.api.Denial;
import dev.maas4j.core.OpenAiError;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;

/** Writes OpenAI-style errors: {@code {"error":{"message","type","param","code"}}}. Stateless. */
public final class ErrorResponses {
    static final JsonFactory JSON = new JsonFactory();

    private ErrorResponses() {
    }

    /** Answers with a denial: its status, its JSON body and, when retrying helps, {@code Retry-After}. */
    public static void denial(HttpServletResponse response, Denial denial) throws IOException {
        if (denial.retryAfterSeconds() > 0) {
            response.setHeader("Retry-After", Long.toString(denial.retryAfterSeconds()));
        }
        write(response, denial.httpStatus(), denial.message(), denial.reason().errorType(),
                denial.reason().errorCode());
    }

    /** Answers with an error of the given status, message, type and code. */
    public static void write(HttpServletResponse response, int status, String message, String type, String code)
            throws IOException {
        byte[] body = body(message, type, code);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * Answers with an error about the model's upstream: a 504 has the type {@code timeout}, any
     * other status {@code server_error}.
     */
    public static void upstream(HttpServletResponse response, int status, String message, String code)
            throws IOException {
        write(response, status, message, status == 504 ? "timeout" : "server_error", code);
    }

    /** The JSON body of an error ({@link OpenAiError}, the one writer). */
    public static byte[] body(String message, String type, String code) {
        return new OpenAiError(message, type, Optional.empty(), code).toJson();
    }
}
