package dev.maas4j.servlet.internal;

import dev.maas4j.api.ModelRef;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Forwards one admitted request to its model's upstream; once the response headers arrive, a
 * {@link ResponseRelay} streams the body back. The servlet thread is released at once.
 *
 * <p>Connection refused (or a connect timeout) moves on to the next endpoint, which is safe because
 * nothing reached the model; other failures before the response headers answer 502, or 504 for a
 * timeout. A failure after output started ends the stream (with an SSE error event for streams),
 * and so does an upstream that sends nothing for the idle timeout while more was asked of it.
 */
public final class UpstreamRelay {
    private static final Logger log = LoggerFactory.getLogger(UpstreamRelay.class);

    private final RelaySettings settings;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Exchange exchange;
    private final ModelRef model;
    private final byte[] body;
    private final String suffix;
    private final AsyncContext async;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean headersArrived;
    private volatile java.util.concurrent.CompletableFuture<?> pending;

    private UpstreamRelay(RelaySettings settings, HttpServletRequest request, HttpServletResponse response,
                          Exchange exchange, ModelRef model, byte[] body, String suffix) {
        this.settings = settings;
        this.request = request;
        this.response = response;
        this.exchange = exchange;
        this.model = model;
        this.body = body;
        this.suffix = suffix;
        this.async = request.startAsync(request, response);
        // the client's own timeouts (connect, response, idle) govern; the container must not cut streams
        this.async.setTimeout(0);
    }

    /** Starts forwarding; returns at once. */
    public static void start(RelaySettings settings, HttpServletRequest request, HttpServletResponse response,
                             Exchange exchange, ModelRef model, byte[] body, String suffix) {
        UpstreamRelay relay = new UpstreamRelay(settings, request, response, exchange, model, body, suffix);
        relay.attempt(settings.endpoints().order(model.name(), model.endpoints()), 0);
    }

    private void attempt(List<URI> order, int index) {
        URI base = order.get(index);
        HttpRequest upstreamRequest;
        try {
            upstreamRequest = build(base);
        } catch (IllegalArgumentException e) {
            log.warn("cannot build the upstream request for model {}: {}", model.name(), e.getMessage());
            error(502, "The model's upstream address or the request path is invalid", "upstream_error");
            return;
        }
        if (exchange != null) {
            // revoked while the model works on its answer: stop waiting for it
            exchange.onCut(() -> {
                java.util.concurrent.CompletableFuture<?> pending = this.pending;
                if (pending != null) {
                    pending.cancel(true);
                }
            });
        }
        java.util.concurrent.CompletableFuture<HttpResponse<Void>> sent = settings.client().sendAsync(upstreamRequest,
                info -> {
                    headersArrived = true;
                    settings.endpoints().answered(base);
                    copyHeaders(info);
                    ResponseRelay relay = new ResponseRelay(response, exchange, model.name(), settings,
                            ResponseLimits.of(model, settings.responseLimits()), this::finish);
                    if (exchange != null) {
                        exchange.onCut(() -> relay.cut(Cut.revoked()));
                    }
                    return relay;
                });
        pending = sent;
        sent.whenComplete((r, failure) -> {
            if (failure != null && !headersArrived) {
                failedBeforeHeaders(order, index, base, unwrap(failure));
            }
        });
    }

    private HttpRequest build(URI base) {
        String baseText = base.toString();
        if (baseText.endsWith("/")) {
            baseText = baseText.substring(0, baseText.length() - 1);
        }
        String query = request.getQueryString();
        URI target = URI.create(baseText + suffix + (query == null ? "" : "?" + query));
        // the filter refuses paths that are not in normal form; this keeps the proxy safe without it
        String basePath = URI.create(baseText).getRawPath();
        String targetPath = target.normalize().getRawPath();
        if (!targetPath.equals(basePath) && !targetPath.startsWith(basePath + "/")) {
            throw new IllegalArgumentException("the request path leaves the model's base URL");
        }
        HttpRequest.BodyPublisher publisher = body.length == 0 && !"POST".equals(request.getMethod())
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(settings.responseTimeout())
                .method(request.getMethod(), publisher);
        Set<String> connectionTokens = Headers.connectionTokens(list(request.getHeaders("Connection")));
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (!Headers.forwardRequestHeader(name, connectionTokens)) {
                continue;
            }
            for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                try {
                    builder.header(name, values.nextElement());
                } catch (IllegalArgumentException e) {
                    // a header the JDK client refuses to send (restricted or malformed): drop it
                }
            }
        }
        // the client's key never leaves the gateway: the upstream gets its own credential or none
        model.upstreamCredential().ifPresent(c -> {
            try {
                builder.header("Authorization", "Bearer " + c.reveal());
            } catch (IllegalArgumentException e) {
                // the JDK's message quotes the refused value, and attempt() logs the message
                throw new IllegalArgumentException("the model's upstream credential is not a valid header value "
                        + "(a line break or control character?)");
            }
        });
        builder.header("X-Forwarded-For", request.getRemoteAddr());
        if (settings.identityHeaders() && exchange != null) {
            IdentityHeaders.add(builder, exchange.lease().admission().grant().orElseThrow());
        }
        return builder.build();
    }

    private static List<String> list(Enumeration<String> values) {
        return values == null ? List.of() : Collections.list(values);
    }

    private void copyHeaders(HttpResponse.ResponseInfo info) {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(info.statusCode());
        Map<String, List<String>> headers = info.headers().map();
        Set<String> connectionTokens = Headers.connectionTokens(headers.getOrDefault("connection", List.of()));
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = header.getKey();
            if (!Headers.copyResponseHeader(name, connectionTokens)) {
                continue;
            }
            // the gateway's own x-ratelimit-* and x-request-id win over the upstream's
            if (response.containsHeader(name)) {
                continue;
            }
            for (String value : header.getValue()) {
                response.addHeader(name, value);
            }
        }
    }

    private void failedBeforeHeaders(List<URI> order, int index, URI base, Throwable cause) {
        if (exchange != null && exchange.isCut()) {
            try {
                if (!response.isCommitted()) {
                    response.reset();
                    RelayErrors.answerBeforeOutput(response, Cut.revoked());
                }
            } catch (IOException | RuntimeException e) {
                clientGone();
            } finally {
                finish();
            }
            return;
        }
        boolean refused = cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException;
        if (refused) {
            settings.endpoints().refused(base);
            if (index + 1 < order.size()) {
                // not on the HTTP client's selector thread, which may be running this: the next
                // endpoint's host name may need a (blocking) lookup
                ForkJoinPool.commonPool().execute(() -> attempt(order, index + 1));
                return;
            }
        }
        if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
            log.debug("model {} did not answer within {}", model.name(), settings.responseTimeout());
            error(504, "The model did not answer in time", "upstream_timeout");
        } else if (refused) {
            log.debug("no upstream endpoint of model {} accepted a connection", model.name());
            error(502, "The model is unreachable", "upstream_unavailable");
        } else {
            log.debug("request to model {} failed: {}", model.name(), cause.toString());
            error(502, "The model's upstream failed", "upstream_error");
        }
    }

    private void error(int status, String message, String code) {
        try {
            if (!response.isCommitted()) {
                response.reset();
                ErrorResponses.upstream(response, status, message, code);
            }
        } catch (IOException | RuntimeException e) {
            clientGone();
        } finally {
            finish();
        }
    }

    private void clientGone() {
        if (exchange != null) {
            exchange.clientGone();
        }
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // the container already completed the cycle (client gone, container shutting down)
            }
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        // the JDK client sometimes wraps the ConnectException in a plain IOException
        if (!(cause instanceof ConnectException) && cause instanceof IOException
                && cause.getCause() instanceof ConnectException connect) {
            return connect;
        }
        return cause;
    }
}
