package dev.maas4j.servlet.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Passes an admitted request down the filter chain, its body as the upstream is to get it and
 * its response observed by its {@link Exchange}, and sees that the exchange settles however the
 * chain ends: on return, when an async cycle completes (the exchange listens to it), after a cut
 * for a revoked key, or after a failure. Stateless.
 */
public final class GovernedChain {
    private GovernedChain() {
    }

    /**
     * Runs {@code chain} for {@code exchange}.
     *
     * @param body         the body to pass on
     * @param presentedKey the client's key, hidden from everything downstream
     */
    public static void run(FilterChain chain, HttpServletRequest request, HttpServletResponse response,
                           Exchange exchange, byte[] body, String presentedKey) throws IOException, ServletException {
        BufferedRequest wrappedRequest = new BufferedRequest(request, body, presentedKey);
        ObservedResponse wrappedResponse = new ObservedResponse(response, exchange);
        boolean async = false;
        try {
            chain.doFilter(wrappedRequest, wrappedResponse);
            async = request.isAsyncStarted();
            if (!async) {
                flushQuietly(wrappedResponse);
            }
        } catch (Exchange.ResponseCut e) {
            // the key was revoked mid-response: the stream got its error event and ends here, cleanly
            async = request.isAsyncStarted();
        } catch (IOException | ServletException | RuntimeException e) {
            async = request.isAsyncStarted();
            if (exchange.isCut() && e.getCause() instanceof Exchange.ResponseCut) {
                return;
            }
            if (!response.isCommitted()) {
                exchange.failedBeforeCommit();
            }
            throw e;
        } finally {
            if (async) {
                request.getAsyncContext().addListener(exchange);
            } else {
                exchange.settle();
            }
        }
    }

    /** Pushes a synchronous response out before settling, so that a client that left is noticed. */
    private static void flushQuietly(ObservedResponse response) {
        try {
            response.flushBuffer();
        } catch (IOException | RuntimeException e) {
            // the exchange has marked the client as gone; the container reports the broken connection
        }
    }
}
