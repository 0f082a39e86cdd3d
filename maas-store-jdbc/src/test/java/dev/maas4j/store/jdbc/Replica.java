package dev.maas4j.store.jdbc;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.Identity;
import dev.maas4j.api.IdentityDirectory;
import dev.maas4j.api.Subject;
import dev.maas4j.api.TimeSource;
import dev.maas4j.core.FailureMode;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.core.Lease;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.core.ReservationStrategy;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One gateway replica for tests: its own store (pool, change feed), shared limit backend and
 * engine, on a database other replicas share. Users are in group {@code dev}.
 */
final class Replica implements AutoCloseable {
    static final IdentityDirectory DIRECTORY = owner -> new Identity(owner.name(), Set.of("dev"));

    final JdbcStore store;
    final JdbcLimitBackend limits;
    final MaasEngine engine;

    Replica(String url, TimeSource time, FailureMode mode, Consumer<MaasEngine.Builder> settings) {
        this(JdbcStore.builder(url).maxPoolSize(6).connectionTimeout(Duration.ofMillis(500)).build(), time, mode,
                settings);
    }

    Replica(JdbcStore store, TimeSource time, FailureMode mode, Consumer<MaasEngine.Builder> settings) {
        this(store, time, mode, settings, b -> { });
    }

    Replica(JdbcStore store, TimeSource time, FailureMode mode, Consumer<MaasEngine.Builder> settings,
            Consumer<JdbcLimitBackend.Builder> limitSettings) {
        this.store = store;
        JdbcLimitBackend.Builder limitBuilder = JdbcLimitBackend.builder(store).timeSource(time);
        limitSettings.accept(limitBuilder);
        this.limits = limitBuilder.build();
        MaasEngine.Builder builder = MaasEngine.builder()
                .keyStore(store).catalogStore(store).ledger(store).directory(DIRECTORY)
                .timeSource(time)
                .limitBackend(limits)
                .failureMode(mode)
                .reservationStrategy(ReservationStrategy.WORST_CASE)
                .usageFlushInterval(Duration.ofMillis(20));
        settings.accept(builder);
        this.engine = builder.build();
    }

    String newKey(String user) {
        return engine.createKey(KeyRequest.builder(Subject.user(user), "test").build()).secret().reveal();
    }

    Lease admit(String key, String model, long prompt, long maxOutput) {
        return engine.admit(AdmissionRequest.builder(key, model).promptTokensEstimate(prompt)
                .maxOutputTokens(maxOutput).build());
    }

    @Override
    public void close() {
        engine.close();
        limits.close();
        store.close();
    }
}
