package dev.maas4j.core;

import dev.maas4j.api.Admission;
import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.internal.KeyEntry;
import dev.maas4j.core.internal.Reservation;


import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One request's hold on its quota, from admission until it is settled. Obtained from
 * {@link MaasEngine#admit(AdmissionRequest)}; check {@link #allowed()}, call the model, then settle
 * with exactly one of {@link #complete(TokenUsage, int)}, {@link #fail(int)} or
 * {@link #abort(TokenUsage)}.
 *
 * <p>Thread-safe: the first settle call wins and every later one returns {@code false}, so a
 * response callback and a disconnect callback racing each other settle the request exactly once.
 * {@link #close()} settles a request nobody settled as {@link Outcome#ABANDONED}, charging the
 * prompt estimate; use try-with-resources. Settling a denied lease does nothing.
 */
public final class Lease implements AutoCloseable {
    private static final AtomicIntegerFieldUpdater<Lease> SETTLED =
            AtomicIntegerFieldUpdater.newUpdater(Lease.class, "settled");
    // in the settled state rather than a field of its own, which would make every lease 8 bytes larger

    private final MaasEngine engine;
    private final Admission admission;
    private final AdmissionRequest request;
    private final KeyEntry keyEntry;
    private final Reservation reservation;
    private final long startedNanos;
    /** 0 until settled, then 1. */
    private volatile int settled;
    /** Registered while the request is in flight; null unless {@link #onRevocation} was called. */
    private volatile Runnable revocationHook;

    Lease(MaasEngine engine, Admission admission, AdmissionRequest request, KeyEntry keyEntry,
          Reservation reservation, long startedNanos) {
        this.engine = engine;
        this.admission = admission;
        this.request = request;
        this.keyEntry = keyEntry;
        this.reservation = reservation;
        this.startedNanos = startedNanos;
        this.settled = reservation == null ? 1 : 0;
    }

    /** The decision, with what to put in the {@code x-ratelimit-*} headers. */
    public Admission admission() {
        return admission;
    }

    /** Whether the request may proceed. */
    public boolean allowed() {
        return admission.allowed();
    }

    /** Whether the request has been settled (a denied request counts as settled). */
    public boolean settled() {
        return settled != 0;
    }

    /**
     * Asks to be told if the key is revoked while this request is in flight, so that an adapter
     * can cut a response that is still streaming: {@code action} runs at most once, on the thread
     * that revoked the key or on the engine's maintenance thread, and never after the lease is
     * settled. Does nothing for a denied or settled lease, or when the engine was built with
     * {@link MaasEngine.Builder#cutRevokedRequests cutRevokedRequests(false)}. Call it once.
     */
    public void onRevocation(Runnable action) {
        java.util.Objects.requireNonNull(action, "action");
        if (keyEntry == null || settled != 0 || !engine.cutsRevokedRequests()) {
            return;
        }
        Runnable hook = () -> {
            if (settled == 0) {
                action.run();
            }
        };
        revocationHook = hook;
        engine.revocations().watch(keyEntry.key().id(), hook);
        if (settled != 0) {
            // settled meanwhile: the settling thread may have missed the hook
            engine.revocations().unwatch(keyEntry.key().id(), hook);
        }
    }

    /**
     * Settles a request the model answered, with the usage it reported (or an estimate, flagged).
     *
     * @return {@code true} if this call settled the request
     */
    public boolean complete(TokenUsage usage, int httpStatus) {
        return settle(Outcome.SUCCESS, httpStatus, usage);
    }

    /**
     * Settles a request whose upstream failed before producing output (5xx, timeout, connection
     * refused): nothing is charged and the reservation is returned.
     *
     * @return {@code true} if this call settled the request
     */
    public boolean fail(int httpStatus) {
        return settle(Outcome.UPSTREAM_ERROR, httpStatus, TokenUsage.NONE);
    }

    /**
     * Settles a request the client abandoned mid-response, charging the usage seen so far or an
     * estimate of it.
     *
     * @return {@code true} if this call settled the request
     */
    public boolean abort(TokenUsage usageSoFar) {
        return settle(Outcome.CLIENT_ABORTED, 499, usageSoFar);
    }

    /**
     * Settles the request from what the adapter saw of its answer, by the rules of
     * {@link Settlement}: the one way every adapter settles alike.
     *
     * @return {@code true} if this call settled the request
     */
    public boolean settle(Settlement settlement) {
        java.util.Objects.requireNonNull(settlement, "settlement");
        return settle(settlement.outcome(), settlement.recordedStatus(),
                settlement.charge(request.promptTokensEstimate()));
    }

    /**
     * Settles the request with an explicit outcome.
     *
     * @return {@code true} if this call settled the request, {@code false} if it was already settled
     */
    public boolean settle(Outcome outcome, int httpStatus, TokenUsage usage) {
        java.util.Objects.requireNonNull(outcome, "outcome");
        java.util.Objects.requireNonNull(usage, "usage");
        if (!SETTLED.compareAndSet(this, 0, 1)) {
            return false;
        }
        Runnable hook = revocationHook;
        if (hook != null) {
            engine.revocations().unwatch(keyEntry.key().id(), hook);
        }
        engine.settle(this, outcome, httpStatus, usage);
        return true;
    }

    /** Settles the request as abandoned if nobody settled it, charging the prompt estimate. */
    @Override
    public void close() {
        if (settled == 0) {
            settle(Outcome.ABANDONED, 0, TokenUsage.estimated(request.promptTokensEstimate(), 0));
        }
    }

    AdmissionRequest request() {
        return request;
    }

    KeyEntry keyEntry() {
        return keyEntry;
    }

    Reservation reservation() {
        return reservation;
    }

    long startedNanos() {
        return startedNanos;
    }

    @Override
    public String toString() {
        return "Lease[" + admission.requestId() + (admission.allowed() ? ", allowed" : ", denied")
                + (settled != 0 ? ", settled]" : "]");
    }
}
