package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.ApiKey;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.ManualTimeSource;
import dev.maas4j.api.Subject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guessed API keys: what they cost the store, what their timing reveals, how they are counted. */
class GuessedKeyTest {
    private static final String UNKNOWN = "sk-oai-" + "A".repeat(22) + "_" + "b".repeat(43);

    /** A key store that counts lookups by id and, when told, holds them until released. */
    static final class CountingKeyStore implements KeyStore {
        final InMemoryStore backing = new InMemoryStore();
        final AtomicInteger lookups = new AtomicInteger();
        volatile CountDownLatch hold;

        @Override
        public void create(ApiKey key) {
            backing.create(key);
        }

        @Override
        public Optional<ApiKey> findById(String id) {
            lookups.incrementAndGet();
            CountDownLatch latch = hold;
            if (latch != null) {
                try {
                    latch.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return backing.findById(id);
        }

        @Override
        public List<ApiKey> findByOwner(Subject owner) {
            return backing.findByOwner(owner);
        }

        @Override
        public List<ApiKey> findAll() {
            return backing.findAll();
        }

        @Override
        public boolean revoke(String id, Instant at) {
            return backing.revoke(id, at);
        }

        @Override
        public void recordLastUsed(Map<String, Instant> lastUsedByKeyId) {
            backing.recordLastUsed(lastUsedByKeyId);
        }
    }

    @Test
    void anUnknownIdReachesTheStoreOncePerNegativeCachePeriod() {
        CountingKeyStore store = new CountingKeyStore();
        ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-03-02T10:00:00Z"));
        try (MaasEngine engine = MaasEngine.builder().keyStore(store).timeSource(time)
                .negativeCacheTtl(Duration.ofSeconds(30)).build()) {
            for (int i = 0; i < 500; i++) {
                assertFalse(engine.authenticate(UNKNOWN).succeeded());
            }
            assertEquals(1, store.lookups.get());
            time.advance(Duration.ofSeconds(29));
            for (int i = 0; i < 500; i++) {
                assertFalse(engine.authenticate(UNKNOWN).succeeded());
            }
            assertEquals(1, store.lookups.get(), "still within the period");
            time.advance(Duration.ofSeconds(1));
            for (int i = 0; i < 500; i++) {
                assertFalse(engine.authenticate(UNKNOWN).succeeded());
            }
            assertEquals(2, store.lookups.get(), "once more in the next period, measured on the engine's clock");
        }
    }

    @Test
    void concurrentRequestsWithOneUnknownIdAskTheStoreOnce() throws Exception {
        CountingKeyStore store = new CountingKeyStore();
        store.hold = new CountDownLatch(1);
        int threads = 8;
        AtomicInteger arrived = new AtomicInteger();
        try (MaasEngine engine = MaasEngine.builder().keyStore(store).build()) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    arrived.incrementAndGet();
                    engine.authenticate(UNKNOWN);
                });
                worker.start();
                workers.add(worker);
            }
            // every request is in flight and parked: in the store, or waiting for the one that is
            await("every request started and parked").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> arrived.get() == threads && store.lookups.get() > 0
                            && workers.stream().noneMatch(w -> w.getState() == Thread.State.RUNNABLE));
            store.hold.countDown();
            for (Thread worker : workers) {
                worker.join(10_000);
            }
            assertEquals(1, store.lookups.get(), "requests with the same unknown id wait for one lookup");
            engine.authenticate(UNKNOWN);
            assertEquals(1, store.lookups.get());
        }
    }

    @Test
    void anUnknownIdAndAWrongSecretAreRefusedAlike() {
        // that the two also take the same time is measured by AuthFailureBenchmark, not here
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice");
            char last = key.charAt(key.length() - 1);
            String wrongSecret = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
            String unknownId = "sk-oai-" + "Z".repeat(22) + key.substring(key.indexOf('_'));
            var wrong = f.engine.authenticate(wrongSecret).denial().orElseThrow();
            var unknown = f.engine.authenticate(unknownId).denial().orElseThrow();
            assertEquals(DenialReason.INVALID_KEY, wrong.reason());
            assertEquals(wrong, unknown, "nothing in the refusal tells an unknown id from a wrong secret");
        }
    }

    @Test
    void refusedKeysAreCountedAsAuthFailuresOfTheModelApi() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice");
            CreatedKey revoked = f.engine.createKey(KeyRequest.builder(Subject.user("alice"), "old").build());
            f.engine.revokeKey(revoked.key().id());
            String expiring = f.engine.createKey(KeyRequest.builder(Subject.user("alice"), "short")
                    .expiresIn(Duration.ofMinutes(1)).build()).secret().reveal();
            f.time.advance(Duration.ofMinutes(2));

            f.engine.admit(AdmissionRequest.builder("", "granite").build());
            f.engine.authenticate(UNKNOWN);
            f.engine.authenticate(UNKNOWN);
            f.engine.authenticate("not-a-key");
            f.engine.authenticate(revoked.secret().reveal());
            f.engine.authenticate(expiring);
            assertTrue(f.engine.authenticate(key).succeeded());

            SimpleMeterRegistry registry = f.registry;
            assertEquals(1, count(registry, "missing_api_key"));
            assertEquals(3, count(registry, "invalid_api_key"));
            assertEquals(1, count(registry, "revoked_api_key"));
            assertEquals(1, count(registry, "expired_api_key"));
            assertNull(registry.find("maas.authentication.failures").counter(), "one counter, one name");
        }
    }

    private static double count(SimpleMeterRegistry registry, String reason) {
        Counter counter = registry.find("maas.auth.failures").tag("api", "model").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }
}
