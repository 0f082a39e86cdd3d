package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ManualTimeSource;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A small catalog for engine tests: the model {@code granite} (priced 0.15 / 0.60 per million),
 * the group {@code dev} with alice in it, a policy granting {@code dev} the model and a
 * subscription {@code free} of 1,000 tokens per minute for {@code dev}.
 */
final class EngineFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2026-03-02T10:00:00Z");

    final ManualTimeSource time = new ManualTimeSource(START);
    final InMemoryStore store = new InMemoryStore();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final MaasEngine engine;

    EngineFixture() {
        this(b -> {
        });
    }

    EngineFixture(Consumer<MaasEngine.Builder> settings) {
        store.setGroups("alice", "dev");
        store.putModel(ModelRef.builder("granite").price(ModelPrice.usd("0.15", "0.60")).build());
        store.putPolicy(AuthPolicy.of("dev-access", SubjectSet.groups("dev"), "granite"));
        store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                .model("granite", RateLimit.of(1_000, "1m")).build());
        MaasEngine.Builder builder = MaasEngine.builder().store(store).timeSource(time).meterRegistry(registry)
                .usageFlushInterval(Duration.ofMillis(10));
        settings.accept(builder);
        engine = builder.build();
    }

    String key(String user) {
        return engine.createKey(KeyRequest.builder(Subject.user(user), "test").build()).secret().reveal();
    }

    String key(String user, KeyLimits limits) {
        return engine.createKey(KeyRequest.builder(Subject.user(user), "test").limits(limits).build())
                .secret().reveal();
    }

    Lease admit(String key, String model) {
        return engine.admit(AdmissionRequest.builder(key, model).promptTokensEstimate(10).maxOutputTokens(10).build());
    }

    Lease admit(String key, String model, long prompt, long maxOutput) {
        return engine.admit(AdmissionRequest.builder(key, model).promptTokensEstimate(prompt)
                .maxOutputTokens(maxOutput).build());
    }

    @Override
    public void close() {
        engine.close();
    }
}
