package dev.maas4j.core.internal;

import dev.maas4j.api.DenialReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The engine's metrics. Meter names follow Kuadrant's ({@code authorized_calls},
 * {@code authorized_hits}, {@code limited_calls}) so dashboards built for Open Data Hub's MaaS work
 * unchanged. Meters of admitted requests are resolved once per plan, not per request.
 */
public final class EngineMeters {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> limited = new ConcurrentHashMap<>();

    /** Meters in {@code registry}. */
    public EngineMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The registry. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The meters of requests to {@code model} charged to {@code subscription}. */
    public PlanMeters forPlan(String model, String subscription) {
        return new PlanMeters(
                Counter.builder("authorized_calls").description("Requests admitted")
                        .tag("model", model).tag("subscription", subscription).register(registry),
                Counter.builder("authorized_hits").description("Tokens charged (prompt plus completion)")
                        .tag("model", model).tag("subscription", subscription).register(registry),
                Counter.builder("maas.tokens").description("Tokens charged").tag("type", "prompt")
                        .tag("model", model).tag("subscription", subscription).register(registry),
                Counter.builder("maas.tokens").description("Tokens charged").tag("type", "completion")
                        .tag("model", model).tag("subscription", subscription).register(registry),
                Counter.builder("maas.cost").description("Cost charged, in the model's currency")
                        .tag("model", model).tag("subscription", subscription).register(registry),
                Timer.builder("maas.request.duration").description("Admission to settlement")
                        .tag("model", model).tag("subscription", subscription).register(registry),
                Counter.builder("maas.usage.anomalies")
                        .description("Settlements whose reported usage exceeded what the request could produce,"
                                + " charged at that bound instead")
                        .tag("model", model).tag("subscription", subscription).register(registry));
    }

    /** Counts a refusal that is not a rate limit (403, 404). */
    public void denied(DenialReason reason) {
        String key = reason.name();
        limited.computeIfAbsent(key, k -> Counter.builder("maas.denials").description("Requests refused before limits")
                .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).register(registry)).increment();
    }

    /** Counts a rate-limit refusal (429, 503). */
    public void limited(String model, String subscription, DenialReason reason) {
        String key = model + '\u0000' + subscription + '\u0000' + reason;
        limited.computeIfAbsent(key, k -> Counter.builder("limited_calls").description("Requests refused")
                .tag("model", model).tag("subscription", subscription)
                .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).register(registry)).increment();
    }

    /** Meters of one model and subscription. */
    public record PlanMeters(Counter authorizedCalls, Counter authorizedHits, Counter promptTokens,
                             Counter completionTokens, Counter cost, Timer duration, Counter usageAnomalies) {
    }
}
