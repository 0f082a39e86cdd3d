package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.KeyQuery;
import dev.maas4j.api.KeyStatus;
import dev.maas4j.api.ManualTimeSource;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.Subject;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys: one set of creation rules, one subscription order, search and bulk revoke. */
class KeyServiceTest {
    private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-12-01T00:00:00Z"));

    /** alice (group dev) is in three subscriptions covering granite: a tie on priority broken by the larger limit. */
    private MaasEngine engine(InMemoryStore store) {
        populate(store);
        return MaasEngine.builder().store(store).timeSource(time).build();
    }

    private static void populate(InMemoryStore store) {
        store.setGroups("alice", "dev");
        store.putModel(ModelRef.builder("granite").build());
        store.putPolicy(AuthPolicy.of("dev", SubjectSet.groups("dev"), "granite"));
        store.putSubscription(Subscription.builder("a-small").priority(5).owner(SubjectSet.groups("dev"))
                .model("granite", RateLimit.of(1_000, "1m")).build());
        store.putSubscription(Subscription.builder("b-large").priority(5).owner(SubjectSet.groups("dev"))
                .model("granite", RateLimit.of(50_000, "1m")).build());
        store.putSubscription(Subscription.builder("c-low").priority(1).owner(SubjectSet.groups("dev"))
                .model("granite", RateLimit.of(900_000, "1m")).build());
    }

    @Test
    void aNewKeyIsBoundToTheSubscriptionAdmissionWouldChoose() {
        InMemoryStore store = new InMemoryStore();
        try (MaasEngine engine = engine(store)) {
            Subject alice = Subject.user("alice");
            String unbound = engine.createKey(KeyRequest.builder(alice, "unbound").build()).secret().reveal();
            try (Lease lease = engine.admit(AdmissionRequest.builder(unbound, "granite").build())) {
                String chosen = lease.admission().grant().orElseThrow().subscription().name();
                assertEquals("b-large", chosen, "priority, then the larger token limit");
                assertEquals(Optional.of(chosen), engine.keys().defaultSubscription(alice),
                        "the key service binds new keys by the same order");
            }
        }
    }

    @Test
    void creationChecksNameTheField() {
        InMemoryStore store = new InMemoryStore();
        populate(store);
        try (MaasEngine engine = MaasEngine.builder().store(store).timeSource(time).maxKeyLifetime(Duration.ofDays(90))
                .build()) {
            Subject alice = Subject.user("alice");
            KeyRequestException past = assertThrows(KeyRequestException.class, () -> engine.keys().create(
                    KeyRequest.builder(alice, "k").expiresAt(time.now().minusSeconds(1)).build()));
            assertEquals("expiresAt", past.field());
            KeyRequestException tooLong = assertThrows(KeyRequestException.class, () -> engine.keys().create(
                    KeyRequest.builder(alice, "k").expiresIn(Duration.ofHours(2)).maxLifetime(Duration.ofHours(1))
                            .build()));
            assertEquals("expiresIn", tooLong.field(), "the request's own, shorter, maximum applies");
            KeyRequestException subscription = assertThrows(KeyRequestException.class, () -> engine.keys().create(
                    KeyRequest.builder(alice, "k").subscription("gold").build()));
            assertEquals("subscription", subscription.field());
            assertEquals(KeyRequestException.INVALID_SUBSCRIPTION, subscription.code());
            KeyRequestException scope = assertThrows(KeyRequestException.class, () -> engine.keys().create(
                    KeyRequest.builder(alice, "k").scope(dev.maas4j.api.KeyScope.models(Set.of("nope"))).build()));
            assertEquals("models", scope.field());

            CreatedKey ephemeral = engine.keys().create(KeyRequest.builder(alice, "e").maxLifetime(Duration.ofHours(1))
                    .build());
            assertEquals(Optional.of(time.now().plus(Duration.ofHours(1))), ephemeral.key().expiresAt(),
                    "a key given no expiry gets its longest life");
        }
    }

    @Test
    void searchFiltersSortsAndPages() {
        InMemoryStore store = new InMemoryStore();
        try (MaasEngine engine = engine(store)) {
            Subject alice = Subject.user("alice");
            for (String name : List.of("c", "a", "b")) {
                engine.keys().create(KeyRequest.builder(alice, name).putMetadata("team", "x").build());
                time.advance(Duration.ofSeconds(1));
            }
            String revoked = engine.keys().create(KeyRequest.builder(alice, "d").build()).key().id();
            engine.keys().revoke(revoked);

            KeyQuery.Page first = engine.keys().search(new KeyQuery(Optional.of(alice), Set.of(KeyStatus.ACTIVE),
                    Optional.empty(), Map.of("team", "x"), Map.of(), KeyQuery.Sort.NAME, true, 0, 2));
            assertEquals(List.of("a", "b"), first.keys().stream().map(k -> k.name()).toList());
            assertTrue(first.hasMore());
            KeyQuery.Page second = engine.keys().search(new KeyQuery(Optional.of(alice), Set.of(KeyStatus.ACTIVE),
                    Optional.empty(), Map.of("team", "x"), Map.of(), KeyQuery.Sort.NAME, true, 2, 2));
            assertEquals(List.of("c"), second.keys().stream().map(k -> k.name()).toList());
        }
    }

    @Test
    void bulkRevokeRevokesEveryActiveKeyOfTheOwner() {
        InMemoryStore store = new InMemoryStore();
        try (MaasEngine engine = engine(store)) {
            Subject alice = Subject.user("alice");
            engine.keys().create(KeyRequest.builder(alice, "one").build());
            engine.keys().create(KeyRequest.builder(alice, "two").build());
            assertEquals(2, engine.keys().revokeAll(Optional.of(alice), Optional.empty()).size());
            assertTrue(engine.keys().active(Optional.of(alice), Optional.empty()).isEmpty());
            assertThrows(IllegalArgumentException.class, () -> engine.keys().revokeAll(Optional.empty(), Optional.empty()));
        }
    }
}
