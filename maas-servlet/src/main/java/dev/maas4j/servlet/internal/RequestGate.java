package dev.maas4j.servlet.internal;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.EndpointKind;
import dev.maas4j.core.AuthFailureThrottle;
import dev.maas4j.core.Authentication;
import dev.maas4j.core.MaasEngine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Enumeration;
import java.util.List;

/**
 * The governance filter's checks of a request from its line and headers alone, before a byte of
 * its body is read: the path's form, the gateway's own headers, the key (behind the throttle of
 * addresses that failed too often) and, for a token endpoint, the body's media type. Each check
 * answers the client itself when it refuses, and says so. One per filter; thread-safe.
 */
public final class RequestGate {
    private final MaasEngine engine;
    private final AuthFailureThrottle authFailures;
    private final Refusals refusals;

    /** Checks with {@code engine}'s keys, behind {@code authFailures}, answering through {@code refusals}. */
    public RequestGate(MaasEngine engine, AuthFailureThrottle authFailures, Refusals refusals) {
        this.engine = engine;
        this.authFailures = authFailures;
        this.refusals = refusals;
    }

    /**
     * Refuses a path not in normal form (400) or a client-sent header of the gateway's namespace
     * (403); whether it did.
     */
    public boolean refusesPathOrHeaders(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        // the raw path is appended to a model's base URL: anything an upstream would normalize is refused
        String pathProblem = PathRules.problem(request.getRequestURI());
        if (pathProblem != null) {
            Refusals.closeIfBodyUnread(request, response);
            refusals.refuse(response, DenialReason.INVALID_PATH, "The request path is not in normal form: "
                    + pathProblem);
            return true;
        }
        String forbidden = Headers.forbiddenClientHeader(headerNames(request));
        if (forbidden != null) {
            Refusals.closeIfBodyUnread(request, response);
            refusals.refuse(response, DenialReason.FORBIDDEN_HEADER, "The header '" + forbidden
                    + "' is set by the gateway and may not be sent by clients");
            return true;
        }
        return false;
    }

    /** Refuses a request that presents no key, through the engine, so that it counts as its refusals do. */
    public void refuseAnonymous(HttpServletRequest request, HttpServletResponse response, Route route,
                                String requestId) throws IOException {
        // refuse before reading a body from an anonymous client
        Refusals.closeIfBodyUnread(request, response);
        refusals.deny(response, engine.admit(AdmissionRequest.builder(null, route.model().orElse("unknown"))
                .requestId(requestId).build()));
    }

    /**
     * The key's authentication, checked from the headers alone (a bad key never gets a byte of its
     * body read), or {@code null} once the client was refused: 401, or 429 for an address that
     * failed too often (then the key is not even looked at, so guessing from it makes no progress).
     */
    public Authentication authenticate(HttpServletRequest request, HttpServletResponse response, String key)
            throws IOException {
        String address = request.getRemoteAddr();
        long retryAfter = address == null ? 0 : authFailures.retryAfterSeconds(address);
        if (retryAfter > 0) {
            authFailures.countRefusal(AuthFailureThrottle.Api.MODEL, AuthFailureThrottle.THROTTLED);
            Refusals.closeIfBodyUnread(request, response);
            ErrorResponses.denial(response, AuthFailureThrottle.denial(retryAfter));
            return null;
        }
        Authentication authentication = engine.authenticate(key);
        if (!authentication.succeeded()) {
            Denial denial = authentication.denial().orElseThrow();
            if (denial.httpStatus() == 401 && address != null) {
                authFailures.recordFailure(address);
            }
            Refusals.closeIfBodyUnread(request, response);
            ErrorResponses.denial(response, denial);
            return null;
        }
        return authentication;
    }

    /** Refuses a token endpoint's body that is not JSON in UTF-8 (415); whether it did. */
    public boolean refusesMediaType(HttpServletRequest request, HttpServletResponse response, EndpointKind endpoint,
                                    String contentType) throws IOException {
        if (endpoint != EndpointKind.OTHER && !RequestFacts.acceptableForTokens(contentType)) {
            Refusals.closeIfBodyUnread(request, response);
            refusals.refuse(response, DenialReason.UNSUPPORTED_MEDIA_TYPE, "The request body must be JSON in UTF-8 "
                    + "(Content-Type: application/json), not '" + contentType + "'");
            return true;
        }
        return false;
    }

    private static Iterable<String> headerNames(HttpServletRequest request) {
        Enumeration<String> names = request.getHeaderNames();
        return names == null ? List.of() : () -> names.asIterator();
    }
}
