package dev.maas4j.store.jdbc.internal;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;

/**
 * A shared bucket that answers the probes following a {@code tryConsume} from what that one
 * database transaction already said, instead of asking the database twice more.
 *
 * <p>The engine reserves with {@code tryConsume(n)}, then reads {@code getAvailableTokens()} and
 * {@code estimateAbilityToConsume(capacity)} (for the rate-limit headers), or on a refusal
 * {@code estimateAbilityToConsume(n)} (for {@code Retry-After}). Here {@code tryConsume(n)} is
 * {@code tryConsumeAndReturnRemaining(n)}, whose probe holds the remaining tokens, the wait for
 * {@code n} and the wait until the bucket is full; the next probes of the same bucket by the same
 * thread within a few milliseconds are answered from it. Consumption itself is never cached, so
 * the accuracy of the bucket is untouched: only the headers describe the bucket as of the
 * reservation. Every other method goes to the database. Thread-safe: the last probe is kept per
 * thread.
 */
public final class ProbeCachingBucket implements InvocationHandler {
    private static final long FRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final ThreadLocal<Last> LAST = new ThreadLocal<>();

    private final Bucket delegate;
    private volatile long capacity;

    private record Last(ProbeCachingBucket owner, long requested, ConsumptionProbe probe, long atNanos) {
    }

    private ProbeCachingBucket(Bucket delegate, long capacity) {
        this.delegate = delegate;
        this.capacity = capacity;
    }

    /** A bucket over {@code delegate}, whose configuration has {@code capacity}. */
    public static ProbeCachingBucket of(Bucket delegate, long capacity) {
        return new ProbeCachingBucket(delegate, capacity);
    }

    /** The bucket to hand out. */
    public Bucket bucket() {
        return (Bucket) Proxy.newProxyInstance(Bucket.class.getClassLoader(), new Class<?>[] {Bucket.class}, this);
    }

    /** Sets the capacity after the bucket's configuration changed. */
    public void capacity(long value) {
        capacity = value;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        int count = method.getParameterCount();
        if (count == 1 && method.getParameterTypes()[0] == long.class) {
            long n = (Long) args[0];
            if (name.equals("tryConsume")) {
                ConsumptionProbe probe = delegate.tryConsumeAndReturnRemaining(n);
                LAST.set(new Last(this, n, probe, System.nanoTime()));
                return probe.isConsumed();
            }
            if (name.equals("estimateAbilityToConsume")) {
                Last last = fresh();
                if (last != null) {
                    ConsumptionProbe p = last.probe;
                    if (!p.isConsumed() && n == last.requested) {
                        return EstimationProbe.canNotBeConsumed(p.getRemainingTokens(), p.getNanosToWaitForRefill());
                    }
                    if (n >= capacity) {
                        long wait = p.getNanosToWaitForReset();
                        return wait <= 0 ? EstimationProbe.canBeConsumed(p.getRemainingTokens())
                                : EstimationProbe.canNotBeConsumed(p.getRemainingTokens(), wait);
                    }
                }
            }
        } else if (count == 0 && name.equals("getAvailableTokens")) {
            Last last = fresh();
            if (last != null) {
                return last.probe.getRemainingTokens();
            }
        } else if (count == 0 && (name.equals("hashCode") || name.equals("toString"))) {
            return name.equals("hashCode") ? System.identityHashCode(proxy) : "ProbeCachingBucket[" + delegate + "]";
        } else if (count == 1 && name.equals("equals")) {
            return proxy == args[0];
        }
        if (!name.startsWith("get") && !name.startsWith("estimate")) {
            // the state changes (a refund, a charge): what the last probe said no longer holds
            Last last = LAST.get();
            if (last != null && last.owner == this) {
                LAST.remove();
            }
        }
        try {
            return method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Last fresh() {
        Last last = LAST.get();
        if (last == null || last.owner != this || System.nanoTime() - last.atNanos > FRESH_NANOS) {
            return null;
        }
        return last;
    }
}
