package dev.maas4j.core.internal;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.TimeSource;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.usage.RequestInfo;
import dev.maas4j.core.usage.internal.SaturatingMath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stage 6, settle: what a request really used reconciles its reservation exactly once. Reported
 * usage is believed up to what the request could produce (beyond, it is charged at that bound and
 * flagged as an anomaly); the buckets are refunded or charged the difference; the parallel-request
 * count is given back; the meters count it; and the usage event goes to the recorder, which builds
 * and writes it off the request path. Thread-safe; allocates nothing beyond the recorder's queue
 * node (and a bounded usage, for an anomaly).
 */
public final class Settler {
    private static final Logger log = LoggerFactory.getLogger(Settler.class);

    private final Reserver reserver;
    private final UsageRecorder recorder;
    private final TimeSource time;
    private final long promptFactor;
    private final long promptSlack;
    private final long completionCeiling;
    private final RateLimitedLog anomalyWarning = new RateLimitedLog(Duration.ofMinutes(1));

    public Settler(Reserver reserver, UsageRecorder recorder, TimeSource time, long promptFactor, long promptSlack,
                   long completionCeiling) {
        this.reserver = reserver;
        this.recorder = recorder;
        this.time = time;
        this.promptFactor = promptFactor;
        this.promptSlack = promptSlack;
        this.completionCeiling = completionCeiling;
    }

    /**
     * The usage to charge: {@code usage} itself, or (an anomaly, logged and counted unless the
     * gateway estimated it) its figures cut to what the request could produce.
     */
    public TokenUsage bounded(AdmissionRequest request, Plan plan, TokenUsage usage) {
        // an upstream is not believed beyond what the request could produce: a buggy or hostile
        // one reporting 10^12 tokens would otherwise charge millions and lock the window for years
        long promptBound = SaturatingMath.add(SaturatingMath.multiply(request.promptTokensEstimate(), promptFactor),
                promptSlack);
        long perChoice = request.maxOutputTokens().isPresent()
                ? Math.min(request.maxOutputTokens().getAsLong(), RequestInfo.MAX_OUTPUT_TOKENS)
                : completionCeiling;
        long completionBound = SaturatingMath.multiply(perChoice, request.choices());
        if (usage.promptTokens() <= promptBound && usage.completionTokens() <= completionBound) {
            return usage;
        }
        TokenUsage bounded = new TokenUsage(Math.min(usage.promptTokens(), promptBound),
                Math.min(usage.completionTokens(), completionBound), usage.estimated());
        // the gateway's own estimate beyond the bound is the estimate's error, not the upstream's
        if (!usage.estimated()) {
            usageAnomaly(request, plan, usage, bounded);
        }
        return bounded;
    }

    /**
     * Accounts for {@code charge}: reconciles the reservation, gives back the parallel-request
     * count, notes the key's use and counts the meters. Called once per admitted request.
     *
     * @return when the request ended (epoch nanoseconds)
     */
    public long account(Reservation reservation, KeyEntry entry, Outcome outcome, TokenUsage charge,
                        long startedNanos) {
        Plan plan = reservation.plan();
        try {
            reserver.reconcile(reservation, outcome, charge);
        } finally {
            if (entry.key().limits().maxParallelRequests().isPresent()) {
                entry.inFlight().decrementAndGet();
            }
        }
        long ended = time.epochNanos();
        if (outcome == Outcome.SUCCESS) {
            entry.touch(ended);
        }
        EngineMeters.PlanMeters meters = plan.meters();
        if (charge.totalTokens() > 0) {
            meters.authorizedHits().increment(charge.totalTokens());
            meters.promptTokens().increment(charge.promptTokens());
            meters.completionTokens().increment(charge.completionTokens());
            double cost = plan.pricing().costForMetrics(charge.promptTokens(), charge.completionTokens());
            if (cost != 0) {
                meters.cost().increment(cost);
            }
        }
        meters.duration().record(Math.max(0, ended - startedNanos), TimeUnit.NANOSECONDS);
        return ended;
    }

    /** Queues a settled request's usage event; the writer builds and writes it off the request path. */
    public void record(PendingUsage settled) {
        recorder.record(settled);
    }

    private void usageAnomaly(AdmissionRequest request, Plan plan, TokenUsage reported, TokenUsage bounded) {
        plan.meters().usageAnomalies().increment();
        if (anomalyWarning.tryAcquire()) {
            log.warn("usage reported for request {} exceeds what it could produce and is charged at the bound"
                            + " (model {}, subscription {}): reported {} prompt + {} completion tokens, bound {} + {}"
                            + " (further anomalies within a minute are counted in maas.usage.anomalies, not logged)",
                    request.requestId(), plan.model().name(), plan.subscription().name(),
                    reported.promptTokens(), reported.completionTokens(), bounded.promptTokens(),
                    bounded.completionTokens());
        }
    }
}
