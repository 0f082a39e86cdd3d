package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.ApiKey;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.KeyScope;
import dev.maas4j.api.Secret;
import dev.maas4j.api.Subject;
import dev.maas4j.api.TokenUsage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyLifecycleTest {

    private static DenialReason reason(Lease lease) {
        return lease.admission().denial().orElseThrow().reason();
    }

    @Test
    void createdKeyHasTheOdhFormatAndOnlyItsHashIsStored() {
        try (EngineFixture f = new EngineFixture()) {
            CreatedKey created = f.engine.createKey(KeyRequest.builder(Subject.user("alice"), "laptop").build());
            String secret = created.secret().reveal();
            assertTrue(secret.matches("sk-oai-[0-9A-Za-z]{22}_[0-9A-Za-z]{43}"), secret);
            ApiKey stored = f.store.findById(created.key().id()).orElseThrow();
            assertTrue(secret.startsWith("sk-oai-" + stored.id() + "_"));
            assertFalse(stored.toString().contains(secret.substring(30)), "the stored key must not hold the secret");
            assertFalse(created.toString().contains(secret.substring(30)), "toString must not show the secret");
            assertTrue(stored.displayPrefix().startsWith("sk-oai-" + stored.id().substring(0, 4)));
            assertNotEquals(created.key().id(), f.engine.createKey(
                    KeyRequest.builder(Subject.user("alice"), "other").build()).key().id());
        }
    }

    @Test
    void validKeyIsAdmittedAndAWrongSecretForTheSameIdIsNot() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice");
            try (Lease lease = f.admit(key, "granite")) {
                assertTrue(lease.allowed());
            }
            char last = key.charAt(key.length() - 1);
            String forged = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
            assertEquals(DenialReason.INVALID_KEY, reason(f.admit(forged, "granite")));
        }
    }

    @Test
    void missingAndMalformedKeysAreRefusedWith401() {
        try (EngineFixture f = new EngineFixture()) {
            Lease missing = f.engine.admit(AdmissionRequest.builder("", "granite").build());
            assertEquals(DenialReason.MISSING_KEY, reason(missing));
            assertEquals(401, missing.admission().denial().orElseThrow().httpStatus());
            assertEquals(DenialReason.INVALID_KEY, reason(f.admit("sk-oai-short_x", "granite")));
            assertEquals(DenialReason.INVALID_KEY, reason(f.admit("Bearer nonsense", "granite")));
        }
    }

    @Test
    void revokedKeyIsRejectedOnTheNextRequest() {
        try (EngineFixture f = new EngineFixture()) {
            CreatedKey created = f.engine.createKey(KeyRequest.builder(Subject.user("alice"), "k").build());
            String key = created.secret().reveal();
            assertTrue(f.admit(key, "granite").allowed()); // now cached
            assertTrue(f.engine.revokeKey(created.key().id()));
            assertEquals(DenialReason.REVOKED_KEY, reason(f.admit(key, "granite")));
            assertFalse(f.engine.revokeKey(created.key().id()), "revoking twice reports nothing new");
        }
    }

    @Test
    void revocationThroughTheStoreReachesTheCacheThroughItsListener() {
        try (EngineFixture f = new EngineFixture()) {
            CreatedKey created = f.engine.createKey(KeyRequest.builder(Subject.user("alice"), "k").build());
            String key = created.secret().reveal();
            assertTrue(f.admit(key, "granite").allowed());
            f.store.revoke(created.key().id(), f.time.now());
            assertEquals(DenialReason.REVOKED_KEY, reason(f.admit(key, "granite")));
        }
    }

    @Test
    void keyExpiresAtItsExpiry() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.engine.createKey(KeyRequest.builder(Subject.user("alice"), "k")
                    .expiresIn(Duration.ofHours(1)).build()).secret().reveal();
            assertTrue(f.admit(key, "granite").allowed());
            f.time.advance(Duration.ofMinutes(59));
            assertTrue(f.admit(key, "granite").allowed());
            f.time.advance(Duration.ofMinutes(1));
            assertEquals(DenialReason.EXPIRED_KEY, reason(f.admit(key, "granite")));
        }
    }

    @Test
    void maximumLifetimeCapsNewKeysAndRejectsLongerExpiries() {
        try (EngineFixture f = new EngineFixture(b -> b.maxKeyLifetime(Duration.ofDays(90)))) {
            CreatedKey created = f.engine.createKey(KeyRequest.builder(Subject.user("alice"), "k").build());
            assertEquals(Optional.of(f.time.now().plus(Duration.ofDays(90))), created.key().expiresAt());
            KeyRequestException e = assertThrows(KeyRequestException.class, () -> f.engine.createKey(
                    KeyRequest.builder(Subject.user("alice"), "k").expiresIn(Duration.ofDays(91)).build()));
            assertEquals("expiresIn", e.field(), "the field the request used is named");
            assertTrue(e.getMessage().contains("exceeds the maximum of 90d"), e.getMessage());
        }
    }

    @Test
    void keyBoundToAnUnknownOrForeignSubscriptionIsNotCreated() {
        try (EngineFixture f = new EngineFixture()) {
            assertThrows(IllegalArgumentException.class, () -> f.engine.createKey(
                    KeyRequest.builder(Subject.user("alice"), "k").subscription("nope").build()));
            assertThrows(IllegalArgumentException.class, () -> f.engine.createKey(
                    KeyRequest.builder(Subject.user("mallory"), "k").subscription("free").build()));
        }
    }

    @Test
    void unknownKeyIdsAreCachedSoAFloodNeverReachesTheStore() {
        AtomicInteger lookups = new AtomicInteger();
        InMemoryStore backing = new InMemoryStore();
        dev.maas4j.api.KeyStore counting = new dev.maas4j.api.KeyStore() {
            @Override
            public void create(ApiKey key) {
                backing.create(key);
            }

            @Override
            public Optional<ApiKey> findById(String id) {
                lookups.incrementAndGet();
                return backing.findById(id);
            }

            @Override
            public java.util.List<ApiKey> findByOwner(Subject owner) {
                return backing.findByOwner(owner);
            }

            @Override
            public java.util.List<ApiKey> findAll() {
                return backing.findAll();
            }

            @Override
            public boolean revoke(String id, java.time.Instant at) {
                return backing.revoke(id, at);
            }

            @Override
            public void recordLastUsed(java.util.Map<String, java.time.Instant> lastUsed) {
                backing.recordLastUsed(lastUsed);
            }
        };
        try (MaasEngine engine = MaasEngine.builder().keyStore(counting).build()) {
            String unknown = "sk-oai-" + "A".repeat(22) + "_" + "b".repeat(43);
            for (int i = 0; i < 1_000; i++) {
                assertFalse(engine.authenticate(unknown).succeeded());
            }
            assertEquals(1, lookups.get());
            String valid = engine.createKey(KeyRequest.builder(Subject.user("bob"), "k").build()).secret().reveal();
            for (int i = 0; i < 100; i++) {
                assertTrue(engine.authenticate(valid).succeeded());
            }
            assertEquals(2, lookups.get(), "a verified key is looked up once, then served from the cache");
        }
    }

    @Test
    void keyedHashingWithAServerSecretVerifiesOnlyWithThatSecret() {
        InMemoryStore store = new InMemoryStore();
        String secret;
        try (MaasEngine engine = MaasEngine.builder().store(store).serverSecret(Secret.of("pepper")).build()) {
            secret = engine.createKey(KeyRequest.builder(Subject.user("bob"), "k").build()).secret().reveal();
            assertTrue(engine.authenticate(secret).succeeded());
        }
        try (MaasEngine withoutPepper = MaasEngine.builder().keyStore(store).build()) {
            assertEquals(DenialReason.INVALID_KEY,
                    withoutPepper.authenticate(secret).denial().orElseThrow().reason());
        }
    }

    @Test
    void scopedKeyReachesOnlyItsModels() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putModel(dev.maas4j.api.ModelRef.builder("llama").build());
            f.store.putPolicy(dev.maas4j.api.AuthPolicy.of("llama-access", dev.maas4j.api.SubjectSet.groups("dev"),
                    "llama"));
            f.store.putSubscription(dev.maas4j.api.Subscription.builder("llama-sub")
                    .owner(dev.maas4j.api.SubjectSet.groups("dev")).model("llama").build());
            String key = f.engine.createKey(KeyRequest.builder(Subject.user("alice"), "k")
                    .scope(KeyScope.models("llama")).build()).secret().reveal();
            assertTrue(f.admit(key, "llama").allowed());
            assertEquals(DenialReason.OUT_OF_SCOPE, reason(f.admit(key, "granite")));
            assertEquals(1, f.engine.catalog().accessibleModels(
                    f.engine.authenticate(key).key().orElseThrow(),
                    f.engine.authenticate(key).identity().orElseThrow()).size());
        }
    }

    @Test
    void lastUsedTimeReachesTheStore() {
        try (EngineFixture f = new EngineFixture(b -> b.lastUsedFlushInterval(Duration.ofMillis(20)))) {
            CreatedKey created = f.engine.createKey(KeyRequest.builder(Subject.user("alice"), "k").build());
            try (Lease lease = f.admit(created.secret().reveal(), "granite")) {
                lease.complete(TokenUsage.reported(1, 1), 200);
            }
            // written by the engine's scheduler thread every 20 ms
            await("the last use reaches the store").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> f.store.findById(created.key().id()).orElseThrow().lastUsedAt().isPresent());
            assertEquals(Optional.of(f.time.now()), f.store.findById(created.key().id()).orElseThrow().lastUsedAt());
        }
    }
}
