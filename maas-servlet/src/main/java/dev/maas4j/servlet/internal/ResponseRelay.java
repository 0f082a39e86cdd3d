package dev.maas4j.servlet.internal;

import dev.maas4j.api.Ticker;

import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes each piece of the upstream body as it arrives, with non-blocking servlet output, and
 * asks the upstream for the next piece only once this one is written and flushed: a client that
 * reads slowly slows its own upstream down and never holds a thread (the HTTP client's threads
 * are shared by every exchange).
 *
 * <p>Two threads drive it, the HTTP client's (new data, end, failure) and the container's
 * ({@link WriteListener#onWritePossible}); {@link #drain()} lets one of them run at a time and
 * makes the other's signal run another round, so nothing here takes a lock. A third, the proxy's
 * idle timer, may end it when the upstream goes silent. Whichever way it ends, it calls its
 * {@code complete} callback once. The output side is {@link ClientOutput}; what the client is
 * told when the response ends early, {@link RelayErrors}.
 */
final class ResponseRelay implements HttpResponse.BodySubscriber<Void> {
    private static final Logger log = LoggerFactory.getLogger(ResponseRelay.class);
    /** Marks a normal end of the upstream body. */
    private static final Throwable END = new Throwable("end of the upstream body", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    private final HttpServletResponse response;
    private final Exchange exchange;
    private final String model;
    private final ScheduledExecutorService idleTimer;
    /** The idle timer's clock: {@code System.nanoTime()} unless a test gave the proxy its own. */
    private final Ticker ticker;
    private final long idleTimeoutNanos;
    private final ResponseLimits limits;
    private volatile ScheduledFuture<?> durationCheck;
    private final Runnable complete;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicInteger pendingSignals = new AtomicInteger();
    private volatile boolean closed;
    private volatile ScheduledFuture<?> idleCheck;
    private volatile Flow.Subscription subscription;
    /** The upstream's latest pieces, until written: at most one batch is asked for at a time. */
    private volatile List<ByteBuffer> batch;
    /** Set once: the upstream ended ({@link #END}) or failed; read after the last batch is out. */
    private volatile Throwable ending;
    private volatile boolean awaitingUpstream;
    private volatile long lastUpstreamActivity;
    // owned by the draining thread
    /** The output to the client, whose container calls back when a write that could not finish is done. */
    private final ClientOutput client = new ClientOutput(this);
    private int nextItem;
    /** The gateway's own last event is queued: the size limit is the upstream's, not the event's. */
    private boolean ownEvent;

    /**
     * @param response the (observed) response the body goes to
     * @param exchange the governed exchange, or {@code null} when the proxy runs without the filter
     * @param model    the model's name, for the logs
     * @param settings the idle timeout and its timer
     * @param limits   the model's longest and largest response
     * @param complete ends the request's async cycle; called once the relay is done, however it ends
     */
    ResponseRelay(HttpServletResponse response, Exchange exchange, String model, RelaySettings settings,
                  ResponseLimits limits, Runnable complete) {
        this.limits = limits;
        this.response = response;
        this.exchange = exchange;
        this.model = model;
        this.idleTimer = settings.idleTimer().orElse(null);
        this.ticker = settings.ticker();
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
        this.complete = complete;
    }

    @Override
    public CompletableFuture<Void> getBody() {
        return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed) {
            // cut before the body started
            s.cancel();
            return;
        }
        if (idleTimeoutNanos > 0) {
            scheduleIdleCheck(idleTimeoutNanos);
        }
        if (!limits.maxDuration().isZero() && idleTimer != null) {
            try {
                durationCheck = idleTimer.schedule(() -> cut(Cut.tooLong(limits.maxDuration())),
                        limits.maxDuration().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the proxy is being destroyed: its requests are cut anyway
            }
        }
        requestMore();
    }

    /**
     * Ends the relay for a reason of the gateway's (a limit, a revoked key): the upstream is
     * cancelled and the client gets what {@link #endWithErrorEvent} or {@link #endBeforeOutput}
     * writes for it. Safe from any thread; does nothing once the relay has ended.
     */
    void cut(Cut why) {
        if (closed) {
            return;
        }
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        end(why);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        // the batch before the flag: a drainer that sees the request answered also sees its batch
        batch = items;
        awaitingUpstream = false;
        lastUpstreamActivity = ticker.read();
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

    private void requestMore() {
        lastUpstreamActivity = ticker.read();
        awaitingUpstream = true;
        subscription.request(1);
    }

    /** Runs a round of writing, or makes the round in progress run another; from any thread. */
    void drain() {
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
        if (closed) {
            return;
        }
        List<ByteBuffer> items = batch;
        if (!client.opened()) {
            if (items == null) {
                if (ending != null) {
                    endBeforeOutput(ending);
                }
                return;
            }
            client.open(response);
        }
        while (client.isReady()) {
            if (items != null) {
                if (nextItem < items.size()) {
                    ByteBuffer item = items.get(nextItem++);
                    if (exceedsLimit(item)) {
                        // not a byte beyond the model's limit: the rest of the batch is dropped
                        batch = null;
                        items = null;
                        nextItem = 0;
                    } else {
                        client.write(item);
                    }
                    continue;
                }
                batch = null;
                items = null;
                nextItem = 0;
            }
            if (client.flushIfNeeded()) {
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
                // (batch is read again: a piece may have arrived after it was read above and before
                // the flag was, and the flag alone would then ask for a second)
                if (!awaitingUpstream && batch == null) {
                    requestMore();
                }
            } else if (how != END && endWithErrorEvent(how)) {
                items = batch;
                continue;
            } else {
                close();
                done.complete(null);
            }
            return;
        }
    }

    /** Whether {@code item} would take the response past the model's size limit; if so, the relay ends. */
    private boolean exceedsLimit(ByteBuffer item) {
        if (ownEvent || limits.maxBytes() <= 0 || client.bytesWritten() + item.remaining() <= limits.maxBytes()) {
            return false;
        }
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        ending = Cut.tooLarge(limits.maxBytes());
        return true;
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
        if (!client.wroteAny() || !RelayErrors.isEventStream(response.getContentType())) {
            return false;
        }
        batch = List.of(ByteBuffer.wrap(RelayErrors.errorEvent(how)));
        ownEvent = true;
        return true;
    }

    /** The upstream ended before a byte of body was written: blocking output is still allowed. */
    private void endBeforeOutput(Throwable how) {
        try {
            if (how == END) {
                return;
            }
            logMidStreamFailure(how);
            if (!response.isCommitted()) {
                response.reset();
                RelayErrors.answerBeforeOutput(response, how);
            } else if (exchange != null) {
                exchange.upstreamFailedMidStream();
            }
        } catch (IOException | RuntimeException e) {
            clientGone();
        } finally {
            close();
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
        log.debug("upstream of model {} failed mid-response: {}", model, how.toString());
    }

    /** The relay is done: no more idle checks, and the request's async cycle ends. */
    private void close() {
        closed = true;
        ScheduledFuture<?> check = idleCheck;
        if (check != null) {
            check.cancel(false);
        }
        ScheduledFuture<?> duration = durationCheck;
        if (duration != null) {
            duration.cancel(false);
        }
        complete.run();
    }

    /** The container reports a failed non-blocking write: the client is gone. */
    void clientFailed() {
        clientGone();
        abandon();
    }

    private void clientGone() {
        if (exchange != null) {
            exchange.clientGone();
        }
    }

    /** Stops relaying at once: the client is gone, or the relay is cut. */
    private void abandon() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        close();
        done.complete(null);
    }

    private void scheduleIdleCheck(long delayNanos) {
        if (idleTimer != null && !closed) {
            try {
                idleCheck = idleTimer.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
                if (closed) {
                    idleCheck.cancel(false);
                }
            } catch (RejectedExecutionException e) {
                // the proxy is being destroyed: its requests are cut anyway
            }
        }
    }

    /** Cuts an exchange whose upstream has sent nothing for the idle timeout while asked for more. */
    private void checkIdle() {
        if (closed) {
            return;
        }
        long idle = ticker.read() - lastUpstreamActivity;
        if (awaitingUpstream && idle >= idleTimeoutNanos) {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            end(Cut.idle(Duration.ofNanos(idleTimeoutNanos)));
        } else {
            // waiting on the client is not the upstream's idleness: look again a full period later
            scheduleIdleCheck(awaitingUpstream ? idleTimeoutNanos - idle : idleTimeoutNanos);
        }
    }
}
