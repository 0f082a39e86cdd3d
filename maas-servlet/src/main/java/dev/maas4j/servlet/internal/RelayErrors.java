package dev.maas4j.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What the client of a {@link ResponseRelay} is told when the response ends before the upstream
 * finished it (the upstream failed, or the gateway cut it, a {@link Cut}): before any output, an
 * OpenAI JSON error with the status the cause calls for; once a stream has started, one last
 * server-sent event carrying that error. Stateless.
 */
final class RelayErrors {
    private RelayErrors() {
    }

    /** Whether a response of {@code contentType} is a stream of server-sent events. */
    static boolean isEventStream(String contentType) {
        return contentType != null && contentType.startsWith("text/event-stream");
    }

    /** The last SSE event of a stream that ends for {@code how}: {@code data: {"error":...}}. */
    static byte[] errorEvent(Throwable how) {
        Cut cut = how instanceof Cut c ? c : null;
        return ("data: " + new String(ErrorResponses.body(
                cut != null ? cut.getMessage() : "The model's upstream failed mid-stream",
                cut != null ? cut.type : "server_error", cut != null ? cut.code : "upstream_error"),
                StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Answers a response not committed yet, ending for {@code how}: 401 for a revoked key, the
     * cut's status otherwise, 502 for an upstream failure.
     */
    static void answerBeforeOutput(HttpServletResponse response, Throwable how) throws IOException {
        if (how instanceof Cut cut && cut.status == 401) {
            ErrorResponses.write(response, cut.status, cut.getMessage(), cut.type, cut.code);
        } else if (how instanceof Cut cut) {
            ErrorResponses.upstream(response, cut.status, cut.status == 504 && cut.code.equals("upstream_timeout")
                    ? "The model did not answer in time" : cut.getMessage(), cut.code);
        } else {
            ErrorResponses.upstream(response, 502, "The model's upstream failed", "upstream_error");
        }
    }
}
