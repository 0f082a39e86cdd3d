package dev.maas4j.core.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one definition of the refused-authentication counter, {@code maas.auth.failures} (Prometheus
 * {@code maas_auth_failures_total}), tagged {@code api} ({@code model} or {@code management}) and
 * {@code reason}. The engine counts the model API's 401s with it; {@code AuthFailureThrottle}
 * counts what the adapters refuse (the management API's 401s, and attempts refused unverified
 * because their client address is throttled).
 */
public final class AuthFailureMeters {
    /** The meter name. */
    public static final String NAME = "maas.auth.failures";

    private AuthFailureMeters() {
    }

    /** The counter of refusals on {@code api} for {@code reason}, registered in {@code registry}. */
    public static Counter counter(MeterRegistry registry, String api, String reason) {
        return Counter.builder(NAME)
                .description("Authentication attempts refused: with 401, or with 429 unverified because the"
                        + " client address had too many failures (reason throttled)")
                .tag("api", api)
                .tag("reason", reason)
                .register(registry);
    }
}
