package dev.maas4j.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.TimeSource;
import dev.maas4j.core.internal.AuthFailureMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Stops credential guessing: counts failed authentications per client address and, once an
 * address has {@linkplain Builder#maxFailures failed} too often within a {@linkplain Builder#window
 * window}, has every further attempt from it refused with 429 and {@code Retry-After}
 * <em>without verifying the credential</em>, until the window ends. A client that does not fail
 * pays one cache lookup per request and nothing else.
 *
 * <p><b>Call sequence</b> for an adapter (the model API's filter, the management API), per request:
 * <ol>
 *   <li>before verifying anything, {@link #retryAfterSeconds}: if it is positive, answer 429 with
 *       {@code Retry-After: <that many seconds>}, count it with
 *       {@code countRefusal(api, AuthFailureThrottle.THROTTLED)}, and stop: do not verify the
 *       credential, do not call {@link #recordFailure};</li>
 *   <li>verify the credential as usual;</li>
 *   <li>on any 401 (missing, malformed, unknown, wrong, revoked or expired credential), call
 *       {@link #recordFailure}. Successes need no call.</li>
 * </ol>
 * <pre>{@code
 * AuthFailureThrottle throttle = AuthFailureThrottle.builder()
 *         .timeSource(engine.timeSource()).meterRegistry(engine.meterRegistry()).build();
 *
 * String address = request.getRemoteAddr();
 * long retryAfter = throttle.retryAfterSeconds(address);
 * if (retryAfter > 0) {
 *     throttle.countRefusal(AuthFailureThrottle.Api.MODEL, AuthFailureThrottle.THROTTLED);
 *     response.setHeader("Retry-After", Long.toString(retryAfter));
 *     // 429 {"error":{..., "type":"rate_limit_error", "code":"too_many_authentication_failures"}}
 *     return;
 * }
 * Lease lease = engine.admit(admissionRequest);
 * if (!lease.allowed() && lease.admission().denial().orElseThrow().reason().httpStatus() == 401) {
 *     throttle.recordFailure(address);   // the engine has counted this 401 in maas.auth.failures already
 * }
 * }</pre>
 * Share one instance between the model API and the management API, so that an address has one
 * allowance of failures across both.
 *
 * <p><b>The client address</b> is whatever the adapter passes; the servlet adapters pass the
 * container's {@code getRemoteAddr()}, the TCP peer. Behind a reverse proxy or load balancer that
 * is the proxy, and every client would share one allowance: put the container's handling of a
 * trusted proxy's forwarded address in front (Jetty's {@code ForwardedRequestCustomizer}, Tomcat's
 * {@code RemoteIpValve}), so that {@code getRemoteAddr()} is the real client. Clients behind one
 * NAT share an allowance too; and an IPv6 client can use many addresses of its prefix, each
 * counted apart.
 *
 * <p><b>Why there is no reset on success:</b> a caller holding one valid credential could
 * otherwise interleave it with guesses of another and never be throttled. Failures simply age out
 * with their window.
 *
 * <p><b>Metric.</b> {@code maas.auth.failures} (Prometheus {@code maas_auth_failures_total}), tags
 * {@code api} ({@code model}, {@code management}) and {@code reason}. The model API's 401s are
 * counted by {@link MaasEngine} with the error code as reason ({@code missing_api_key},
 * {@code invalid_api_key}, {@code expired_api_key}, {@code revoked_api_key}); adapters count the
 * rest with {@link #countRefusal}: {@value #THROTTLED}, and the management API's
 * {@code api_key_not_accepted}, {@code missing_credentials} and {@code invalid_credentials}. Give
 * the throttle the engine's registry so that all of them land in one place.
 *
 * <p><b>Thread-safety.</b> Thread-safe. {@link #retryAfterSeconds} takes no lock and allocates
 * nothing; {@link #recordFailure} is lock-free once an address is tracked. At most
 * {@link Builder#maxAddresses} addresses are tracked; beyond that the cache keeps those seen most
 * often, which includes any address that keeps failing.
 */
public final class AuthFailureThrottle {
    /** The {@code reason} of an attempt refused unverified because its client address is throttled. */
    public static final String THROTTLED = "throttled";

    /** {@code state} of a tracked address before its first failure is recorded. */
    private static final long NO_FAILURE = Long.MIN_VALUE;
    private static final int FAILURE_BITS = 16;
    private static final int MAX_FAILURES = (1 << FAILURE_BITS) - 1;
    private static final Function<String, AtomicLong> NEW_ADDRESS = address -> new AtomicLong(NO_FAILURE);

    private final int maxFailures;
    private final long windowMillis;
    private final long windowSeconds;
    private final TimeSource time;
    private final MeterRegistry registry;
    /**
     * Per address, one long: the start of its window in epoch milliseconds (high bits) and its
     * failures in that window (low {@value #FAILURE_BITS} bits), so that both change in one CAS.
     */
    private final Cache<String, AtomicLong> windows;
    private final Counter[] throttled;
    private final ConcurrentHashMap<String, Counter>[] refusals;

    @SuppressWarnings("unchecked")
    private AuthFailureThrottle(Builder b) {
        this.maxFailures = b.maxFailures;
        this.windowMillis = b.window.toMillis();
        this.windowSeconds = (windowMillis + 999) / 1000;
        this.time = b.time;
        this.registry = b.registry;
        this.windows = Caffeine.newBuilder()
                .maximumSize(b.maxAddresses)
                // an address whose window is over holds no information: drop it
                .expireAfterWrite(b.window)
                .ticker(time::epochNanos)
                .build();
        Api[] apis = Api.values();
        this.throttled = new Counter[apis.length];
        this.refusals = new ConcurrentHashMap[apis.length];
        for (Api api : apis) {
            throttled[api.ordinal()] = AuthFailureMeters.counter(registry, api.tag(), THROTTLED);
            refusals[api.ordinal()] = new ConcurrentHashMap<>();
        }
    }

    /** A builder with the defaults: 20 failures per minute, 100,000 addresses, the system clock. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How long {@code clientAddress} must wait before it may try to authenticate again: 0 when it
     * may try now, else the whole seconds (at least 1) until its window ends, for
     * {@code Retry-After}. Call it before verifying a credential; it changes nothing and counts
     * nothing. Allocation-free; an address with no recent failure costs one cache lookup.
     */
    public long retryAfterSeconds(String clientAddress) {
        AtomicLong window = windows.getIfPresent(clientAddress);
        if (window == null) {
            return 0;
        }
        long state = window.get();
        if (state == NO_FAILURE || failures(state) < maxFailures) {
            return 0;
        }
        long remaining = start(state) + windowMillis - nowMillis();
        if (remaining <= 0) {
            return 0;
        }
        // a clock set back must not stretch the wait beyond one window
        return Math.min((remaining + 999) / 1000, windowSeconds);
    }

    /**
     * Counts a failed authentication (a 401) from {@code clientAddress} towards its limit. The
     * first failure opens the address's window; failures recorded while the address is throttled
     * do not move the window's end. Not counted in the metric (see {@link #countRefusal}).
     */
    public void recordFailure(String clientAddress) {
        Objects.requireNonNull(clientAddress, "clientAddress");
        long now = nowMillis();
        while (true) {
            AtomicLong window = windows.get(clientAddress, NEW_ADDRESS);
            long state = window.get();
            if (state == NO_FAILURE) {
                if (window.compareAndSet(NO_FAILURE, pack(now, 1))) {
                    return;
                }
            } else if (now - start(state) >= windowMillis) {
                // the window is over but the cache has not expired the entry yet: a new entry, so
                // that the cache's expiry starts with the new window
                if (windows.asMap().replace(clientAddress, window, new AtomicLong(pack(now, 1)))) {
                    return;
                }
            } else if (failures(state) >= maxFailures || window.compareAndSet(state, state + 1)) {
                return;
            }
        }
    }

    /**
     * The refusal of a throttled address ({@link DenialReason#TOO_MANY_AUTHENTICATION_FAILURES},
     * 429), with {@code Retry-After} of {@code retryAfterSeconds}: the one wording of both APIs.
     */
    public static Denial denial(long retryAfterSeconds) {
        return new Denial(DenialReason.TOO_MANY_AUTHENTICATION_FAILURES, "too many failed authentication attempts "
                + "from your address: try again in " + retryAfterSeconds + (retryAfterSeconds == 1 ? " second"
                : " seconds"), Duration.ofSeconds(retryAfterSeconds));
    }

    /**
     * Counts one refused authentication attempt in {@code maas.auth.failures}, tagged {@code api}
     * and {@code reason}: {@value #THROTTLED} for an attempt refused by this throttle, or the
     * adapter's reason for a 401 that the engine did not count. Reasons should come from a small,
     * fixed vocabulary (each one is a time series). Does not count towards any limit.
     */
    public void countRefusal(Api api, String reason) {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(reason, "reason");
        if (reason.equals(THROTTLED)) {
            throttled[api.ordinal()].increment();
            return;
        }
        ConcurrentHashMap<String, Counter> counters = refusals[api.ordinal()];
        Counter counter = counters.get(reason);
        if (counter == null) {
            counter = counters.computeIfAbsent(reason, r -> AuthFailureMeters.counter(registry, api.tag(), r));
        }
        counter.increment();
    }

    @Override
    public String toString() {
        return "AuthFailureThrottle[" + maxFailures + " failures per " + Duration.ofMillis(windowMillis) + "]";
    }

    private long nowMillis() {
        return Math.floorDiv(time.epochNanos(), 1_000_000L);
    }

    private static long pack(long startMillis, int failures) {
        return (startMillis << FAILURE_BITS) | failures;
    }

    private static long start(long state) {
        return state >> FAILURE_BITS;
    }

    private static int failures(long state) {
        return (int) (state & MAX_FAILURES);
    }

    /** The API an authentication attempt was made on: the {@code api} tag of the metric. */
    public enum Api {
        /** The OpenAI-compatible model API, authenticated by API keys. */
        MODEL,
        /** The management API, authenticated by management credentials. */
        MANAGEMENT;

        /** The tag value: {@code model} or {@code management}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Builds an {@link AuthFailureThrottle}. Every setting has a default; each may be set once, and
     * a bad value fails at once with a message naming the setting. Not thread-safe.
     */
    public static final class Builder {
        private int maxFailures = 20;
        private Duration window = Duration.ofMinutes(1);
        private long maxAddresses = 100_000;
        private TimeSource time = TimeSource.system();
        private MeterRegistry registry;
        private final Set<String> set = new HashSet<>();

        private Builder() {
        }

        private void once(String setting) {
            if (!set.add(setting)) {
                throw new IllegalStateException(setting + " was already set");
            }
        }

        /**
         * How many failed authentications an address may have within one window before its
         * attempts are refused unverified (default 20; at most 65,535).
         */
        public Builder maxFailures(int value) {
            once("maxFailures");
            if (value <= 0 || value > MAX_FAILURES) {
                throw new IllegalArgumentException("maxFailures must be between 1 and " + MAX_FAILURES + ", was "
                        + value);
            }
            maxFailures = value;
            return this;
        }

        /**
         * The window, which opens with an address's first failure; a throttled address may try
         * again when it ends (default 1 minute; at least 1 second, whole milliseconds).
         */
        public Builder window(Duration value) {
            once("window");
            Objects.requireNonNull(value, "window");
            if (value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("window must be at least 1 second, was " + value);
            }
            window = Duration.ofMillis(value.toMillis());
            return this;
        }

        /** How many client addresses are tracked at most (default 100,000). */
        public Builder maxAddresses(long value) {
            once("maxAddresses");
            if (value <= 0) {
                throw new IllegalArgumentException("maxAddresses must be positive, was " + value);
            }
            maxAddresses = value;
            return this;
        }

        /** The clock windows are measured by (default the system clock; the engine's in most set-ups). */
        public Builder timeSource(TimeSource value) {
            once("timeSource");
            time = Objects.requireNonNull(value, "timeSource");
            return this;
        }

        /** Where {@code maas.auth.failures} is counted (default a {@link SimpleMeterRegistry}). */
        public Builder meterRegistry(MeterRegistry value) {
            once("meterRegistry");
            registry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        /** Builds the throttle. */
        public AuthFailureThrottle build() {
            if (registry == null) {
                registry = new SimpleMeterRegistry();
            }
            return new AuthFailureThrottle(this);
        }
    }
}
