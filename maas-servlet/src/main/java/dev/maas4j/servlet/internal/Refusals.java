package dev.maas4j.servlet.internal;

import dev.maas4j.api.DenialReason;
import dev.maas4j.core.Lease;
import dev.maas4j.core.MaasEngine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * How the governance filter answers a request it does not pass on: as an OpenAI error, counted
 * with the engine's own refusals, and with the connection closed when the body stays unread.
 * One per filter; thread-safe (it holds only the engine).
 */
public final class Refusals {
    private final MaasEngine engine;

    /** Refusals counted by {@code engine}. */
    public Refusals(MaasEngine engine) {
        this.engine = engine;
    }

    /** Answers a refusal the filter decides itself, counted with the engine's ({@link MaasEngine#refuse}). */
    public void refuse(HttpServletResponse response, DenialReason reason, String message) throws IOException {
        ErrorResponses.denial(response, engine.refuse(reason, message));
    }

    /** Answers the engine's refusal to admit, with the headers of the limits that applied. */
    public void deny(HttpServletResponse response, Lease lease) throws IOException {
        RateLimitHeaders.apply(response, lease.admission().rateLimits());
        ErrorResponses.denial(response, lease.admission().denial().orElseThrow());
    }

    /**
     * Marks the connection to be closed after a refusal that leaves the request's body unread: the
     * container cannot take the next request off it, and a client that reused it would lose that
     * request (the JDK client does not retry a POST).
     */
    public static void closeIfBodyUnread(HttpServletRequest request, HttpServletResponse response) {
        if (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null) {
            response.setHeader("Connection", "close");
        }
    }
}
