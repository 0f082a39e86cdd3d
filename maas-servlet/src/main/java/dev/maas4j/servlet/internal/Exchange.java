package dev.maas4j.servlet.internal;

import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.RateLimitStatus;
import dev.maas4j.core.Lease;
import dev.maas4j.core.Settlement;
import dev.maas4j.core.usage.UsageObserver;
import dev.maas4j.servlet.MaasFilter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * One admitted request between admission and settlement: observes the response bytes and settles
 * the {@link Lease} exactly once, whichever of the synchronous return, the async listener, a
 * client disconnect or a timeout gets there first.
 *
 * <p>The settlement rules are core's ({@link Settlement}): this only tells the lease what it saw.
 *
 * <p>Thread-safe: bytes arrive from one writer thread at a time (the servlet contract), and
 * {@link #settle()} is synchronized and idempotent.
 */
public final class Exchange implements AsyncListener {
    /** The request attribute holding the exchange, for the proxy and for re-dispatches. */
    public static final String ATTRIBUTE = Exchange.class.getName();

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

    private final Lease lease;
    private final EndpointKind endpoint;
    private final long promptTokensEstimate;
    private final RateLimitStatus rateLimits;
    private final HttpServletResponse response;
    private final Route route;
    private UsageObserver observer;
    private volatile boolean clientGone;
    private volatile boolean failedBeforeCommit;
    private volatile boolean upstreamFailedMidStream;
    /** The key was revoked while the request was in flight: its response is to be cut. */
    private volatile boolean cut;
    private volatile Runnable cutter;
    private boolean settled;

    public Exchange(Lease lease, EndpointKind endpoint, long promptTokensEstimate, HttpServletResponse response,
                    Route route) {
        this.lease = lease;
        this.endpoint = endpoint;
        this.promptTokensEstimate = promptTokensEstimate;
        this.rateLimits = lease.admission().rateLimits();
        this.response = response;
        this.route = route;
    }

    public Lease lease() {
        return lease;
    }

    public Route route() {
        return route;
    }

    public RateLimitStatus rateLimits() {
        return rateLimits;
    }

    /**
     * Feeds response bytes to the usage observer, created for the content type at the first byte.
     * Synchronized with {@link #settle()}: a timeout or disconnect may settle on another thread
     * while a write is in progress, and bytes after settlement are no longer counted.
     */
    synchronized void observe(String contentType, byte[] bytes, int offset, int length) {
        if (settled) {
            return;
        }
        UsageObserver current = observer;
        if (current == null) {
            current = UsageObserver.forContentType(contentType == null ? "" : contentType, endpoint);
            observer = current;
        }
        current.accept(bytes, offset, length);
    }

    /** Sets the headers the gateway adds to every answer (request id, rate limits) again, after a reset. */
    public void restoreGatewayHeaders(HttpServletResponse target) {
        target.setHeader(MaasFilter.REQUEST_ID_HEADER, lease.admission().requestId());
        RateLimitHeaders.apply(target, rateLimits);
    }

    /**
     * Asks the lease to tell this exchange when the key is revoked: the response is then cut by
     * whatever registered with {@link #onCut}, or, for a host's own servlet, at its next write.
     */
    public void watchRevocation() {
        lease.onRevocation(this::revoked);
    }

    private void revoked() {
        cut = true;
        Runnable c = cutter;
        if (c != null) {
            c.run();
        }
    }

    /**
     * Sets what cuts the response now (the proxy's, as its relay proceeds); runs it at once if the
     * key was revoked already.
     */
    public void onCut(Runnable action) {
        cutter = action;
        if (cut) {
            action.run();
        }
    }

    /**
     * What a host's own servlet gets from a write once its request's key was revoked; the filter
     * ends the response cleanly when it sees it.
     */
    public static final class ResponseCut extends IOException {
        private static final long serialVersionUID = 1L;

        ResponseCut() {
            super("the request's API key was revoked: its response is cut", null);
        }
    }

    /** Whether something (the proxy) cuts the response itself; otherwise the response's writes refuse. */
    public boolean hasCutter() {
        return cutter != null;
    }

    /** Whether the response is to be cut: the key was revoked while the request was in flight. */
    public boolean isCut() {
        return cut;
    }

    /** The client went away: a write or flush to it failed. */
    public void clientGone() {
        clientGone = true;
    }

    public boolean isClientGone() {
        return clientGone;
    }

    /** The upstream broke off after output had started. */
    public void upstreamFailedMidStream() {
        upstreamFailedMidStream = true;
    }

    /** The downstream servlet threw before the response was committed; the container answers 500. */
    public void failedBeforeCommit() {
        failedBeforeCommit = true;
    }

    /** Settles the lease once; later calls do nothing. */
    public synchronized void settle() {
        if (settled) {
            return;
        }
        settled = true;
        try {
            settleOnce();
        } catch (RuntimeException e) {
            // never let accounting break the response path; the lease's close() is the backstop
            log.warn("settling request {} failed: {}", lease.admission().requestId(), e.toString());
            lease.close();
        }
    }

    /** Hands the lease what was seen of the answer; the lease decides what is charged ({@link Settlement}). */
    private void settleOnce() {
        UsageObserver o = observer;
        if (o != null) {
            o.finish();
        }
        Settlement.Builder settlement = Settlement.builder(failedBeforeCommit ? 500 : response.getStatus())
                .clientGone(clientGone)
                .upstreamBrokeOff(upstreamFailedMidStream);
        if (o != null) {
            settlement.usage(o.usageOrEstimate(promptTokensEstimate))
                    .reported(o.reportedUsage().isPresent())
                    .outputProduced(o.generatedCharacters() > 0);
        }
        lease.settle(settlement.build());
    }

    // ------------------------------------------------------------------ AsyncListener

    @Override
    public void onComplete(AsyncEvent event) {
        settle();
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
        // the container gave up on the request: answer 504 if nothing was sent yet, and settle
        HttpServletResponse original = (HttpServletResponse) event.getSuppliedResponse();
        if (!original.isCommitted()) {
            original.reset();
            restoreGatewayHeaders(original);
            ErrorResponses.write(original, 504, "The model did not answer in time", "server_error",
                    "upstream_timeout");
        }
        settle();
        event.getAsyncContext().complete();
    }

    @Override
    public void onError(AsyncEvent event) {
        if (event.getThrowable() instanceof IOException) {
            clientGone();
        }
        settle();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // a re-started async cycle drops listeners: stay registered
        event.getAsyncContext().addListener(this);
    }
}
