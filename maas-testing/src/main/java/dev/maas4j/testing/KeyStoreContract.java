package dev.maas4j.testing;

import static dev.maas4j.testing.TestData.T0;
import static dev.maas4j.testing.TestData.eventually;
import static dev.maas4j.testing.TestData.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.ApiKey;
import dev.maas4j.api.KeyStatus;
import dev.maas4j.api.KeyStore;
import dev.maas4j.api.PreviousSecret;
import dev.maas4j.api.SecretHash;
import dev.maas4j.api.Subject;
import dev.maas4j.testing.TestData.RecordingListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link KeyStore} must have. Extend it with {@link #newKeyStore()} returning
 * an empty store:
 *
 * <pre>{@code
 * class MyKeyStoreTest extends KeyStoreContract {
 *     @Override
 *     protected KeyStore newKeyStore() {
 *         return new MyKeyStore(freshDatabase());
 *     }
 * }
 * }</pre>
 *
 * <p>Listener tests run when {@link #notifiesListeners()} and wait, at most ten seconds, for
 * stores that tell listeners asynchronously. A store that must be closed can be closed in an
 * {@code @AfterEach} of the subclass ({@link #store} is the one under test).
 */
public abstract class KeyStoreContract {

    /** The store under test, fresh for each test. */
    protected KeyStore store;

    /** A new, empty store. */
    protected abstract KeyStore newKeyStore();

    /** Whether the store tells listeners of its own changes ({@code false} skips those tests). */
    protected boolean notifiesListeners() {
        return true;
    }

    @BeforeEach
    void createStore() {
        store = newKeyStore();
    }

    @Test
    void createdKeyIsFoundById() {
        ApiKey key = key("k1").build();
        store.create(key);

        assertEquals(Optional.of(key), store.findById("k1"));
    }

    @Test
    void everyFieldOfAKeyIsKept() {
        ApiKey key = TestData.fullKey("full1");
        store.create(key);

        ApiKey found = store.findById("full1").orElseThrow();
        assertEquals(TestData.normalized(key), TestData.normalized(found));
        assertTrue(found.secretHash().matches(TestData.hashOf("full1").toBytes()));
    }

    @Test
    void unknownIdIsNotFound() {
        assertEquals(Optional.empty(), store.findById("nope"));
    }

    @Test
    void duplicateIdIsRejectedAndTheFirstKeyKept() {
        ApiKey first = key("dup").name("first").build();
        store.create(first);

        assertThrows(IllegalStateException.class, () -> store.create(key("dup").name("second").build()));
        assertEquals("first", store.findById("dup").orElseThrow().name());
        assertEquals(1, store.findAll().size());
    }

    @Test
    void concurrentCreatesOfOneIdLetExactlyOneWin() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger wins = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String name = "racer " + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.create(key("race").name(name).build());
                        wins.incrementAndGet();
                    } catch (IllegalStateException expected) {
                        // lost the race
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(1, wins.get());
            assertEquals(1, store.findAll().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void revokeMarksTheKeyRevokedOnlyOnce() {
        store.create(key("k1").build());
        Instant first = T0.plusSeconds(60);

        assertTrue(store.revoke("k1", first));
        assertFalse(store.revoke("k1", first.plusSeconds(60)), "a second revoke changes nothing");

        ApiKey revoked = store.findById("k1").orElseThrow();
        assertEquals(Optional.of(first), revoked.revokedAt());
        assertEquals(KeyStatus.REVOKED, revoked.status(first.plusSeconds(1)));
    }

    @Test
    void revokingAnUnknownKeyReturnsFalse() {
        assertFalse(store.revoke("nope", T0));
        assertEquals(Optional.empty(), store.findById("nope"));
    }

    @Test
    void revokedKeysAreStillListed() {
        store.create(key("k1").build());
        store.revoke("k1", T0.plusSeconds(1));

        assertEquals(List.of("k1"), ids(store.findAll()));
        assertEquals(List.of("k1"), ids(store.findByOwner(Subject.user("alice"))));
    }

    @Test
    void findByOwnerListsOnlyThatOwnersKeysNewestFirst() {
        Subject alice = Subject.user("alice");
        store.create(key("a-old", alice, T0));
        store.create(key("b-other", Subject.user("bob"), T0.plusSeconds(5)));
        store.create(key("a-new", alice, T0.plusSeconds(20)));
        store.create(key("a-mid", alice, T0.plusSeconds(10)));

        assertEquals(List.of("a-new", "a-mid", "a-old"), ids(store.findByOwner(alice)));
        assertEquals(List.of("b-other"), ids(store.findByOwner(Subject.user("bob"))));
        assertEquals(List.of(), store.findByOwner(Subject.user("carol")));
    }

    @Test
    void ownersOfDifferentTypesWithTheSameNameAreDistinct() {
        store.create(key("as-user", Subject.user("ml"), T0));
        store.create(key("as-group", Subject.group("ml"), T0));
        store.create(key("as-sa", Subject.serviceAccount("ml"), T0));

        assertEquals(List.of("as-user"), ids(store.findByOwner(Subject.user("ml"))));
        assertEquals(List.of("as-group"), ids(store.findByOwner(Subject.group("ml"))));
        assertEquals(List.of("as-sa"), ids(store.findByOwner(Subject.serviceAccount("ml"))));
    }

    @Test
    void keysCreatedAtTheSameInstantAreOrderedByIdDescending() {
        store.create(key("k-a", Subject.user("alice"), T0));
        store.create(key("k-c", Subject.user("alice"), T0));
        store.create(key("k-b", Subject.user("alice"), T0));

        assertEquals(List.of("k-c", "k-b", "k-a"), ids(store.findByOwner(Subject.user("alice"))));
        assertEquals(List.of("k-c", "k-b", "k-a"), ids(store.findAll()));
    }

    @Test
    void findAllListsEveryKeyNewestFirst() {
        store.create(key("k1", Subject.user("alice"), T0.plusSeconds(1)));
        store.create(key("k3", Subject.group("staff"), T0.plusSeconds(3)));
        store.create(key("k2", Subject.serviceAccount("ci"), T0.plusSeconds(2)));

        assertEquals(List.of("k3", "k2", "k1"), ids(store.findAll()));
    }

    @Test
    void emptyStoreListsNothing() {
        assertEquals(List.of(), store.findAll());
    }

    @Test
    void lastUsedKeepsTheLatestTime() {
        store.create(key("k1").build());
        Instant later = T0.plus(Duration.ofMinutes(10));
        Instant earlier = T0.plus(Duration.ofMinutes(5));

        store.recordLastUsed(Map.of("k1", later));
        store.recordLastUsed(Map.of("k1", earlier));
        assertEquals(Optional.of(later), store.findById("k1").orElseThrow().lastUsedAt());

        Instant latest = T0.plus(Duration.ofMinutes(20));
        store.recordLastUsed(Map.of("k1", latest));
        assertEquals(Optional.of(latest), store.findById("k1").orElseThrow().lastUsedAt());
    }

    @Test
    void lastUsedOfUnknownIdsIsIgnored() {
        store.create(key("k1").build());

        store.recordLastUsed(Map.of("nope", T0.plusSeconds(1), "k1", T0.plusSeconds(2)));

        assertEquals(Optional.empty(), store.findById("nope"));
        assertEquals(Optional.of(T0.plusSeconds(2)), store.findById("k1").orElseThrow().lastUsedAt());
        assertEquals(1, store.findAll().size());
    }

    @Test
    void lastUsedChangesNothingElse() {
        ApiKey key = TestData.fullKey("full1");
        store.create(key);
        store.revoke("full1", T0.plusSeconds(40));
        Instant used = T0.plusSeconds(50);

        store.recordLastUsed(Map.of("full1", used));

        ApiKey expected = key.toBuilder().revokedAt(T0.plusSeconds(40)).lastUsedAt(used).build();
        assertEquals(TestData.normalized(expected), TestData.normalized(store.findById("full1").orElseThrow()));
    }

    @Test
    void listenerIsToldOfCreateAndRevoke() {
        Assumptions.assumeTrue(notifiesListeners(), "the store does not tell listeners");
        RecordingListener listener = new RecordingListener();
        store.addListener(listener);

        store.create(key("k1").build());
        eventually("told of the new key").until(() -> listener.keys.contains("k1"));
        listener.keys.clear();

        store.revoke("k1", T0.plusSeconds(1));
        eventually("told of the revocation").until(() -> listener.keys.contains("k1"));
    }

    @Test
    void listenerSeesTheChangeItIsToldOf() {
        Assumptions.assumeTrue(notifiesListeners(), "the store does not tell listeners");
        Queue<KeyStatus> seen = new ConcurrentLinkedQueue<>();
        store.create(key("k1").build());
        store.addListener(new RecordingListener() {
            @Override
            public void keyChanged(String keyId) {
                store.findById(keyId).ifPresent(k -> seen.add(k.status(T0.plusSeconds(2))));
            }
        });

        store.revoke("k1", T0.plusSeconds(1));

        eventually("told of the revocation").until(() -> seen.contains(KeyStatus.REVOKED));
    }

    @Test
    void aThrowingListenerDoesNotBreakTheStoreOrOtherListeners() {
        Assumptions.assumeTrue(notifiesListeners(), "the store does not tell listeners");
        store.addListener(new RecordingListener() {
            @Override
            public void keyChanged(String keyId) {
                throw new IllegalStateException("listener bug (expected by the test)");
            }
        });
        RecordingListener listener = new RecordingListener();
        store.addListener(listener);

        store.create(key("k1").build());
        assertTrue(store.revoke("k1", T0.plusSeconds(1)));

        assertTrue(store.findById("k1").isPresent());
        eventually("the second listener was told").until(() -> listener.keys.contains("k1"));
    }

    // ------------------------------------------------------------------ rotation (KeyStore.replaceSecret)

    /**
     * {@link KeyStore#replaceSecret}, or the test skipped (not failed) for a store that does not
     * implement it: rotation is optional, and the skip says what is missing.
     */
    private boolean replaceSecret(String id, SecretHash expected, SecretHash replacement,
                                  Optional<PreviousSecret> previous) {
        try {
            return store.replaceSecret(id, expected, replacement, previous);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("the store does not rotate secrets: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void replacingTheSecretKeepsEverythingElseAndThePreviousHash() {
        ApiKey key = TestData.fullKey("rot1");
        store.create(key);
        SecretHash next = TestData.hashOf("rot1-next");
        PreviousSecret previous = new PreviousSecret(key.secretHash(), T0.plusSeconds(600));

        assertTrue(replaceSecret("rot1", key.secretHash(), next, Optional.of(previous)));

        ApiKey found = store.findById("rot1").orElseThrow();
        assertTrue(found.secretHash().matches(next.toBytes()), "the new hash is current");
        assertEquals(Optional.of(previous), found.previousSecret());
        assertEquals(TestData.normalized(key.toBuilder().secretHash(next).previousSecret(Optional.of(previous))
                .build()), TestData.normalized(found));
    }

    @Test
    void replacingTheSecretIsACompareAndSet() {
        ApiKey key = key("rot2").build();
        store.create(key);
        SecretHash first = TestData.hashOf("rot2-first");
        assertTrue(replaceSecret("rot2", key.secretHash(), first, Optional.empty()));

        assertFalse(replaceSecret("rot2", key.secretHash(), TestData.hashOf("rot2-second"), Optional.empty()),
                "the expected hash is no longer current: a concurrent rotation lost");
        assertEquals(first, store.findById("rot2").orElseThrow().secretHash());
        assertEquals(Optional.empty(), store.findById("rot2").orElseThrow().previousSecret(),
                "no overlap: no previous secret is kept");
        assertFalse(replaceSecret("nope", key.secretHash(), first, Optional.empty()), "an unknown key");
    }

    @Test
    void aRevokedKeysSecretIsNotReplaced() {
        ApiKey key = key("rot3").build();
        store.create(key);
        store.revoke("rot3", T0.plusSeconds(1));

        assertFalse(replaceSecret("rot3", key.secretHash(), TestData.hashOf("rot3-next"), Optional.empty()));
        assertEquals(key.secretHash(), store.findById("rot3").orElseThrow().secretHash());
    }

    @Test
    void listenerIsToldOfARotation() {
        Assumptions.assumeTrue(notifiesListeners(), "the store does not tell listeners");
        ApiKey key = key("rot4").build();
        store.create(key);
        RecordingListener listener = new RecordingListener();
        store.addListener(listener);

        assertTrue(replaceSecret("rot4", key.secretHash(), TestData.hashOf("rot4-next"), Optional.empty()));
        eventually("told of the rotation").until(() -> listener.keys.contains("rot4"));
    }

    private static List<String> ids(List<ApiKey> keys) {
        return keys.stream().map(ApiKey::id).toList();
    }
}
