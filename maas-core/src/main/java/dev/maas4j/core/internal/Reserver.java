package dev.maas4j.core.internal;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.RateLimitStatus;
import dev.maas4j.api.TimeSource;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.LimitBackend;
import dev.maas4j.core.ReservationStrategy;
import dev.maas4j.core.usage.internal.SaturatingMath;
import io.github.bucket4j.Bucket;

import java.time.Duration;

/**
 * Enforces a plan's limits: reserves before the model runs (stage 5, admit) and reconciles to the
 * real usage after (part of stage 6, settle).
 *
 * <p>Buckets are taken in a fixed order (requests, tokens, money); when one refuses, those already
 * taken are given back, so a refused request leaves no trace. Thread-safe: all state is in the
 * buckets, each with its own lock.
 */
public final class Reserver {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Reserver.class);

    private final LimitBackend backend;
    private final TimeSource time;
    private final ReservationStrategy strategy;
    private final long defaultMaxOutputTokens;
    private final long expectedOutputTokens;
    private final LimitBackend fallback;
    private final RateLimitedLog failureWarning = new RateLimitedLog(java.time.Duration.ofMinutes(1));

    /**
     * A reserver with the engine's settings.
     *
     * @param fallback where limits are enforced while {@code backend} fails, or {@code null} to refuse
     */
    public Reserver(LimitBackend backend, LimitBackend fallback, TimeSource time, ReservationStrategy strategy,
                    long defaultMaxOutputTokens, long expectedOutputTokens) {
        this.backend = backend;
        this.fallback = fallback;
        this.time = time;
        this.strategy = strategy;
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
        this.expectedOutputTokens = expectedOutputTokens;
    }

    /**
     * Stage 5, admit: reserves what {@code request} may use under {@code plan}, or refuses it (a
     * limit is reached, or, under {@code WORST_CASE}, can never hold it), having given back whatever
     * it had taken from the other buckets.
     */
    public ReserveResult reserve(Plan plan, AdmissionRequest request) {
        try {
            return reserve(plan, request, backend);
        } catch (RuntimeException e) {
            // the shared backend failed: no bucket was left holding tokens we could give back
            if (fallback == null) {
                if (failureWarning.tryAcquire()) {
                    log.warn("limit backend unavailable, refusing requests (fail closed): {}", e.toString());
                }
                return new LimitRefusal(Denial.of(DenialReason.STORE_UNAVAILABLE,
                        "Limits cannot be checked right now, try again shortly"), RateLimitStatus.NONE);
            }
            if (failureWarning.tryAcquire()) {
                log.warn("limit backend unavailable, enforcing limits in this process (fail open): {}", e.toString());
            }
            return reserve(plan, request, fallback);
        }
    }

    private ReserveResult reserve(Plan plan, AdmissionRequest request, LimitBackend backend) {
        // max_tokens limits each choice: n (or best_of) choices may each produce it
        long perChoice = request.endpoint().generates() ? request.maxOutputTokens().orElse(defaultMaxOutputTokens) : 0;
        int choices = request.choices();
        long completionReserve = switch (strategy) {
            case WORST_CASE -> SaturatingMath.multiply(perChoice, choices);
            case EXPECTED -> SaturatingMath.multiply(Math.min(perChoice, expectedOutputTokens), choices);
            case POST_PAID -> 0;
        };
        long prompt = strategy == ReservationStrategy.POST_PAID ? 0 : request.promptTokensEstimate();
        long tokens = SaturatingMath.add(prompt, completionReserve);
        long money = plan.pricing.costNanos(prompt, completionReserve);

        LimitSpec[] limits = plan.limits;
        if (strategy == ReservationStrategy.WORST_CASE) {
            // the worst case is never capped at a limit (that would admit an overshoot of the
            // difference): one that can never fit is refused before any bucket is touched
            for (LimitSpec limit : limits) {
                long wanted = limit.unit == LimitSpec.Unit.TOKENS ? tokens
                        : limit.unit == LimitSpec.Unit.NANOS_OF_MONEY ? money : 0;
                if (wanted > limit.capacity) {
                    return tooLarge(plan, request, limit, prompt, perChoice, choices, tokens, money);
                }
            }
        }
        Bucket[] buckets = new Bucket[limits.length];
        long[] amounts = new long[limits.length];
        int tightestRequests = -1;
        long requestRemaining = Long.MAX_VALUE;
        int tightestTokens = -1;
        long tokenRemaining = Long.MAX_VALUE;
        for (int i = 0; i < limits.length; i++) {
            LimitSpec limit = limits[i];
            Bucket bucket = backend.bucket(limit.bucketKey, limit.configuration, limit.idleTtl);
            // WORST_CASE fits (checked above); EXPECTED admits a request larger than a whole limit
            // into a full one, and the README's bound counts what it uses beyond
            long wanted = switch (limit.unit) {
                case REQUESTS -> 1;
                case TOKENS -> Math.min(tokens, limit.capacity);
                case NANOS_OF_MONEY -> Math.min(money, limit.capacity);
            };
            // tryConsume and getAvailableTokens allocate nothing on a synchronized local bucket,
            // unlike tryConsumeAndReturnRemaining; probes are made only on the refusal path
            if (wanted > 0 ? !bucket.tryConsume(wanted) : bucket.getAvailableTokens() < 1) {
                rollBack(buckets, amounts, i);
                return refused(limit, bucket, Math.max(wanted, 1));
            }
            buckets[i] = bucket;
            amounts[i] = wanted;
            if (limit.unit == LimitSpec.Unit.REQUESTS || limit.unit == LimitSpec.Unit.TOKENS) {
                long remaining = bucket.getAvailableTokens();
                if (limit.unit == LimitSpec.Unit.REQUESTS && remaining < requestRemaining) {
                    tightestRequests = i;
                    requestRemaining = remaining;
                } else if (limit.unit == LimitSpec.Unit.TOKENS && remaining < tokenRemaining) {
                    tightestTokens = i;
                    tokenRemaining = remaining;
                }
            }
        }
        RateLimitStatus status = tightestRequests < 0 && tightestTokens < 0 ? RateLimitStatus.NONE
                : new RateLimitStatus(
                tightestRequests < 0 ? -1 : limits[tightestRequests].capacity,
                tightestRequests < 0 ? -1 : Math.max(0, requestRemaining),
                tightestRequests < 0 ? 0 : limits[tightestRequests].millisUntilReset(time.epochNanos()),
                tightestTokens < 0 ? -1 : limits[tightestTokens].capacity,
                tightestTokens < 0 ? -1 : Math.max(0, tokenRemaining),
                tightestTokens < 0 ? 0 : limits[tightestTokens].millisUntilReset(time.epochNanos()));
        return new Reservation(plan, buckets, amounts, tokens, status);
    }

    /**
     * The refusal of a request whose worst case exceeds the whole of {@code limit}: waiting does not
     * help, a smaller {@code max_tokens} may. Off the hot path, so it may build its message.
     */
    private LimitRefusal tooLarge(Plan plan, AdmissionRequest request, LimitSpec limit, long prompt, long perChoice,
                                 int choices, long tokens, long money) {
        boolean generates = request.endpoint().generates();
        String asked = !generates ? ""
                : " + max_tokens " + perChoice
                + (request.maxOutputTokens().isPresent() ? "" : " (the default: the request sets none)")
                + (choices > 1 ? " x " + choices + " choices" : "");
        String reserves;
        long largest;
        if (limit.unit == LimitSpec.Unit.TOKENS) {
            reserves = tokens + " tokens (a prompt estimate of " + prompt + asked + ")";
            largest = limit.capacity < prompt ? -1 : (limit.capacity - prompt) / choices;
        } else {
            reserves = "a cost of " + java.math.BigDecimal.valueOf(money, 9).stripTrailingZeros().toPlainString()
                    + " (a prompt estimate of " + prompt + " tokens" + asked + ")";
            largest = largestFitting(plan.pricing, prompt, choices, perChoice, limit.capacity);
        }
        String fix = largest < 0 || !generates ? "the prompt alone does not fit"
                : "the largest max_tokens that fits is " + largest + (choices > 1 ? " per choice" : "");
        Denial denial = Denial.of(DenialReason.REQUEST_EXCEEDS_LIMIT, "This request can never be admitted: it reserves "
                + reserves + ", more than the whole of " + limit.description + "; " + fix);
        return new LimitRefusal(denial, RateLimitStatus.NONE);
    }

    /** The largest per-choice output whose worst case costs at most {@code capacity} nanos, -1 if none does. */
    private static long largestFitting(Pricing pricing, long prompt, int choices, long perChoice, long capacity) {
        if (pricing.costNanos(prompt, 0) > capacity) {
            return -1;
        }
        long low = 0;
        long high = perChoice;
        while (low < high) {
            long middle = low + (high - low + 1) / 2;
            if (pricing.costNanos(prompt, SaturatingMath.multiply(middle, choices)) <= capacity) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    private LimitRefusal refused(LimitSpec limit, Bucket bucket, long wanted) {
        Duration retryAfter;
        if (limit.unit == LimitSpec.Unit.NANOS_OF_MONEY) {
            retryAfter = Duration.ofNanos(Math.max(0, limit.periodEndNanos - time.epochNanos()));
        } else {
            long wait = bucket.estimateAbilityToConsume(wanted).getNanosToWaitForRefill();
            retryAfter = Duration.ofNanos(wait == Long.MAX_VALUE ? 0 : Math.max(0, wait));
        }
        long remaining = Math.max(0, bucket.getAvailableTokens());
        Denial denial = new Denial(limit.reason, "Rate limit reached: " + limit.description, retryAfter);
        RateLimitStatus status = switch (limit.unit) {
            case REQUESTS -> new RateLimitStatus(limit.capacity, remaining, retryAfter.toMillis(), -1, -1, 0);
            case TOKENS -> new RateLimitStatus(-1, -1, 0, limit.capacity, remaining, retryAfter.toMillis());
            case NANOS_OF_MONEY -> RateLimitStatus.NONE;
        };
        return new LimitRefusal(denial, status);
    }

    private static void rollBack(Bucket[] buckets, long[] amounts, int upTo) {
        for (int j = 0; j < upTo; j++) {
            if (amounts[j] > 0) {
                buckets[j].addTokens(amounts[j]);
            }
        }
    }

    /**
     * Reconciles a reservation to what was really used: refunds what was reserved and not used,
     * charges (possibly into debt) what was used beyond it. Called exactly once per reservation.
     */
    public void reconcile(Reservation reservation, Outcome outcome, TokenUsage usage) {
        try {
            reconcileBuckets(reservation, outcome, usage);
        } catch (RuntimeException e) {
            // the request is settled regardless; the shared window keeps the reservation instead of the usage
            if (failureWarning.tryAcquire()) {
                log.warn("limit backend unavailable while settling a request: {}", e.toString());
            }
        }
    }

    private void reconcileBuckets(Reservation reservation, Outcome outcome, TokenUsage usage) {
        boolean charged = outcome != Outcome.UPSTREAM_ERROR;
        long tokens = charged ? usage.totalTokens() : 0;
        long money = charged ? reservation.plan.pricing.costNanos(usage.promptTokens(), usage.completionTokens()) : 0;
        LimitSpec[] limits = reservation.plan.limits;
        for (int i = 0; i < limits.length; i++) {
            LimitSpec limit = limits[i];
            long actual = switch (limit.unit) {
                case REQUESTS -> charged ? 1 : 0;
                case TOKENS -> tokens;
                case NANOS_OF_MONEY -> money;
            };
            long difference = actual - reservation.amounts[i];
            if (difference > 0) {
                reservation.buckets[i].consumeIgnoringRateLimits(Math.min(difference, maxExtraCharge(limit)));
            } else if (difference < 0) {
                reservation.buckets[i].addTokens(-difference);
            }
        }
    }

    /**
     * The most one settlement charges a bucket beyond its reservation. A window goes at most two
     * windows into debt: the bucket is forgotten after three idle windows anyway, so a lone debt is
     * repaid just when it would be, and {@code Retry-After} stays within three windows. A budget
     * goes at most its amount into debt: spent is spent until the period ends, however deep. The
     * ledger is charged in full either way; without the bound, bucket4j refuses (throws on) a debt
     * whose refill time does not fit in a long, and the charge would be lost.
     */
    private static long maxExtraCharge(LimitSpec limit) {
        return limit.unit == LimitSpec.Unit.NANOS_OF_MONEY
                ? limit.capacity
                : SaturatingMath.multiply(limit.capacity, 2);
    }
}
