package dev.maas4j.servlet.internal;

import dev.maas4j.api.DenialReason;
import dev.maas4j.core.MaasEngine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;

/**
 * Reads the body of a request whose key was accepted, within the {@link BodyReader}'s bounds, and
 * answers the client when it is refused: 413 once a too-large body was read to its end (up to
 * twice the limit), 408 for a body too slow or that stopped arriving, 429 for an address with too
 * many bodies arriving at once. The connection is closed after each of them. One per filter;
 * thread-safe.
 */
public final class BodyIntake {
    private final BodyReader bodies;
    private final MaasEngine engine;
    private final Refusals refusals;
    private final long drainLimit;

    /** Reads with {@code bodies}, answering refusals through {@code refusals}, counted by {@code engine}. */
    public BodyIntake(BodyReader bodies, long maxBodyBytes, MaasEngine engine, Refusals refusals) {
        this.bodies = bodies;
        this.engine = engine;
        this.refusals = refusals;
        // a refused body up to twice the limit is read to its end so that its client sees the 413
        this.drainLimit = 2 * maxBodyBytes;
    }

    /**
     * The whole body, read within the bounds, or {@code null} once the client was answered (413,
     * 408, 429) or is gone.
     */
    public byte[] read(HttpServletRequest request, HttpServletResponse response) throws IOException {
        BodyReader.Result result = bodies.read(request);
        if (result instanceof BodyReader.Body body) {
            return body.bytes();
        }
        try {
            if (result instanceof BodyReader.TooLarge tooLarge) {
                // the client may still be sending: let it finish before answering, so that it reads
                // the 413 rather than a reset, and no client stops reading at an early answer
                bodies.drain(request, drainLimit);
                response.setHeader("Connection", "close");
                refusals.refuse(response, DenialReason.REQUEST_TOO_LARGE, "The request body is larger than the "
                        + "limit of " + tooLarge.limit() + " bytes");
            } else if (result instanceof BodyReader.TooSlow slow) {
                response.setHeader("Connection", "close");
                refusals.refuse(response, DenialReason.REQUEST_TIMEOUT, "Request timeout: " + slow.why());
            } else if (result instanceof BodyReader.Busy busy) {
                response.setHeader("Connection", "close");
                ErrorResponses.denial(response, engine.refuse(DenialReason.TOO_MANY_UPLOADS, "Too many requests from "
                        + "your address are sending their body at once (the limit is " + busy.limit() + ")",
                        Duration.ofSeconds(1)));
            } else if (result instanceof BodyReader.Failed) {
                // the client went away, or the container's idle timeout ended the read
                response.setHeader("Connection", "close");
                refusals.refuse(response, DenialReason.REQUEST_TIMEOUT,
                        "Request timeout: the request body stopped arriving");
            }
        } catch (IOException | RuntimeException e) {
            // the connection is gone: there is nobody to answer
        }
        return null;
    }
}
