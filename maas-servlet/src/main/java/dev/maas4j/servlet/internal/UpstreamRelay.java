package dev.maas4j.servlet.internal;

import dev.maas4j.api.ModelRef;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards one admitted request to its model's upstream and streams the answer back chunk by
 * chunk, flushing each. The servlet thread is released at once; the answer is relayed on the HTTP
 * client's threads with non-blocking servlet output, so no thread ever waits on a slow client.
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
    private final ScheduledExecutorService idleTimer;
    private final long idleTimeoutNanos;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean headersArrived;
    private volatile ScheduledFuture<?> idleCheck;

    private UpstreamRelay(RelaySettings settings, HttpServletRequest request, HttpServletResponse response,
                          Exchange exchange, ModelRef model, byte[] body, String suffix) {
        this.settings = settings;
        this.idleTimer = settings.idleTimer().orElse(null);
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
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
            error(502, "The model's upstream address is invalid", "upstream_error");
            return;
        }
        settings.client().sendAsync(upstreamRequest, info -> {
            headersArrived = true;
            settings.endpoints().answered(base);
            copyHeaders(info);
            return new Relay();
        }).whenComplete((r, failure) -> {
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
        model.upstreamCredential().ifPresent(c -> builder.header("Authorization", "Bearer " + c.reveal()));
        builder.header("X-Forwarded-For", request.getRemoteAddr());
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
                ErrorResponses.write(response, status, message, status == 504 ? "timeout" : "server_error", code);
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
            ScheduledFuture<?> check = idleCheck;
            if (check != null) {
                check.cancel(false);
            }
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

    /**
     * Writes each piece of the upstream body as it arrives, with non-blocking servlet output, and
     * asks the upstream for the next piece only once this one is written and flushed: a client that
     * reads slowly slows its own upstream down and never holds a thread (the HTTP client's threads
     * are shared by every exchange).
     *
     * <p>Two threads drive it, the HTTP client's (new data, end, failure) and the container's
     * ({@link WriteListener#onWritePossible}); {@link #drain()} lets one of them run at a time and
     * makes the other's signal run another round, so nothing here takes a lock.
     */
    private final class Relay implements HttpResponse.BodySubscriber<Void> {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final AtomicInteger pendingSignals = new AtomicInteger();
        private volatile Flow.Subscription subscription;
        /** The upstream's latest pieces, until written: at most one batch is asked for at a time. */
        private volatile List<ByteBuffer> batch;
        /** Set once: the upstream ended ({@link #END}) or failed; read after the last batch is out. */
        private volatile Throwable ending;
        private volatile boolean awaitingUpstream;
        private volatile long lastUpstreamActivity;
        // owned by the draining thread
        private ServletOutputStream out;
        private int nextItem;
        private boolean flushNeeded;
        private boolean wroteAny;
        private boolean ended;
        private byte[] scratch;

        @Override
        public CompletableFuture<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            scheduleIdleCheck(idleTimeoutNanos);
            requestMore();
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            // the batch before the flag: a drainer that sees the request answered also sees its batch
            batch = items;
            awaitingUpstream = false;
            lastUpstreamActivity = System.nanoTime();
            drain();
        }

        @Override
        public void onError(Throwable throwable) {
            end(throwable);
        }

        @Override
        public void onComplete() {
            end(END);
        }

        private void end(Throwable how) {
            if (ending == null) {
                ending = how;
            }
            drain();
        }

        /** The container's side: it calls back when a write that could not finish at once is done. */
        private final WriteListener clientSide = new WriteListener() {
            @Override
            public void onWritePossible() {
                drain();
            }

            @Override
            public void onError(Throwable clientFailure) {
                // a non-blocking write failed: the client is gone
                clientGone();
                abandon();
            }
        };

        private void requestMore() {
            lastUpstreamActivity = System.nanoTime();
            awaitingUpstream = true;
            subscription.request(1);
        }

        private void drain() {
            if (pendingSignals.getAndIncrement() != 0) {
                return;
            }
            do {
                try {
                    drainOnce();
                } catch (IOException | RuntimeException e) {
                    clientGone();
                    abandon();
                }
            } while (pendingSignals.decrementAndGet() != 0);
        }

        /** Writes what can be written now; returns when done, or when the container must call back. */
        private void drainOnce() throws IOException {
            if (ended) {
                return;
            }
            List<ByteBuffer> items = batch;
            if (out == null) {
                if (items == null) {
                    if (ending != null) {
                        endBeforeOutput(ending);
                    }
                    return;
                }
                out = response.getOutputStream();
                out.setWriteListener(clientSide);
            }
            while (out.isReady()) {
                if (items != null) {
                    if (nextItem < items.size()) {
                        write(items.get(nextItem++));
                        continue;
                    }
                    batch = null;
                    items = null;
                    nextItem = 0;
                }
                if (flushNeeded) {
                    flushNeeded = false;
                    out.flush();
                    continue;
                }
                // the end before the batch: the upstream sets them in the other order
                Throwable how = ending;
                List<ByteBuffer> arrived = batch;
                if (arrived != null) {
                    items = arrived;
                    continue;
                }
                if (how == null) {
                    // at most one piece asked for at a time: the container also calls back when
                    // nothing was waiting (its first onWritePossible), which must not ask again
                    if (!awaitingUpstream && batch == null) {
                        requestMore();
                    }
                } else if (how != END && endWithErrorEvent(how)) {
                    items = batch;
                    continue;
                } else {
                    ended = true;
                    finish();
                    done.complete(null);
                }
                return;
            }
        }

        private void write(ByteBuffer item) throws IOException {
            int n = item.remaining();
            if (n == 0) {
                return;
            }
            if (item.hasArray()) {
                out.write(item.array(), item.arrayOffset() + item.position(), n);
            } else {
                // the client hands over read-only buffers, whose array is hidden: copy through one
                // array per exchange, which may be reused because a write that still holds it makes
                // isReady() false, and nothing is written again before it turns true
                if (scratch == null || scratch.length < n) {
                    scratch = new byte[Math.max(n, 4096)];
                }
                item.get(scratch, 0, n);
                out.write(scratch, 0, n);
            }
            wroteAny = true;
            flushNeeded = true;
        }

        /**
         * The upstream broke off after output started: charge what was generated and, for a stream,
         * tell the client in a last SSE event, queued as one more batch. Returns whether an event
         * was queued.
         */
        private boolean endWithErrorEvent(Throwable how) {
            if (exchange != null) {
                exchange.upstreamFailedMidStream();
            }
            logMidStreamFailure(how);
            ending = END;
            String type = response.getContentType();
            if (!wroteAny || type == null || !type.startsWith("text/event-stream")) {
                return false;
            }
            String message = how instanceof IdleTimeout ? "The model sent nothing for longer than "
                    + idleTimeoutText() : "The model's upstream failed mid-stream";
            byte[] event = ("data: " + new String(ErrorResponses.body(message, "server_error",
                    how instanceof IdleTimeout ? "upstream_timeout" : "upstream_error"), StandardCharsets.UTF_8)
                    + "\n\n").getBytes(StandardCharsets.UTF_8);
            batch = List.of(ByteBuffer.wrap(event));
            return true;
        }

        /** The upstream ended before a byte of body was written: blocking output is still allowed. */
        private void endBeforeOutput(Throwable how) {
            ended = true;
            try {
                if (how == END) {
                    return;
                }
                logMidStreamFailure(how);
                if (!response.isCommitted()) {
                    response.reset();
                    boolean idle = how instanceof IdleTimeout;
                    ErrorResponses.write(response, idle ? 504 : 502, idle ? "The model did not answer in time"
                            : "The model's upstream failed", idle ? "timeout" : "server_error",
                            idle ? "upstream_timeout" : "upstream_error");
                } else if (exchange != null) {
                    exchange.upstreamFailedMidStream();
                }
            } catch (IOException | RuntimeException e) {
                clientGone();
            } finally {
                finish();
                completeBody(how);
            }
        }

        private void completeBody(Throwable how) {
            if (how == END) {
                done.complete(null);
            } else {
                done.completeExceptionally(how);
            }
        }

        private void logMidStreamFailure(Throwable how) {
            log.debug("upstream of model {} failed mid-response: {}", model.name(), how.toString());
        }

        /** Stops relaying at once: the client is gone, or the relay is cut. */
        private void abandon() {
            ended = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            finish();
            done.complete(null);
        }

        private void scheduleIdleCheck(long delayNanos) {
            if (idleTimer != null && !finished.get()) {
                try {
                    idleCheck = idleTimer.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
                    if (finished.get()) {
                        idleCheck.cancel(false);
                    }
                } catch (RejectedExecutionException e) {
                    // the proxy is being destroyed: its requests are cut anyway
                }
            }
        }

        /** Cuts an exchange whose upstream has sent nothing for the idle timeout while asked for more. */
        private void checkIdle() {
            if (finished.get()) {
                return;
            }
            long idle = System.nanoTime() - lastUpstreamActivity;
            if (awaitingUpstream && idle >= idleTimeoutNanos) {
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
                end(new IdleTimeout());
            } else {
                // waiting on the client is not the upstream's idleness: look again a full period later
                scheduleIdleCheck(awaitingUpstream ? idleTimeoutNanos - idle : idleTimeoutNanos);
            }
        }
    }

    private String idleTimeoutText() {
        return Duration.ofNanos(idleTimeoutNanos).toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** The upstream sent nothing for the idle timeout after its response had started. */
    private static final class IdleTimeout extends HttpTimeoutException {
        private static final long serialVersionUID = 1L;

        IdleTimeout() {
            super("no data from the upstream within the idle timeout");
        }
    }

    /** Marks a normal end of the upstream body. */
    private static final Throwable END = new Throwable("end of the upstream body", null, false, false) {
        private static final long serialVersionUID = 1L;
    };
}
