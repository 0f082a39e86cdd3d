package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.Identity;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalog service answers by admission's rules and its writes reach the next request. */
class CatalogServiceTest {
    private final ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-12-01T00:00:00Z"));

    /**
     * alice (group dev) may use granite and llama; mistral has no policy, gemma is disabled.
     * {@code a-small} is small on granite but the largest subscription over all its models (llama),
     * so the general order and granite's own order differ.
     */
    private static void populate(InMemoryStore store) {
        store.setGroups("alice", "dev");
        store.putModel(ModelRef.builder("granite").build());
        store.putModel(ModelRef.builder("llama").build());
        store.putModel(ModelRef.builder("mistral").build());
        store.putModel(ModelRef.builder("gemma").enabled(false).build());
        store.putPolicy(AuthPolicy.of("dev", SubjectSet.groups("dev"), "granite", "llama", "gemma"));
        store.putSubscription(Subscription.builder("a-small").priority(5).owner(SubjectSet.groups("dev"))
                .model("granite", RateLimit.of(1_000, "1m")).model("llama", RateLimit.of(9_000_000, "1m"))
                .model("mistral", RateLimit.of(1_000, "1m")).build());
        store.putSubscription(Subscription.builder("b-large").priority(5).owner(SubjectSet.groups("dev"))
                .model("granite", RateLimit.of(50_000, "1m")).build());
        store.putSubscription(Subscription.builder("c-low").priority(1).owner(SubjectSet.groups("dev"))
                .model("granite", RateLimit.of(900_000, "1m")).build());
        store.putSubscription(Subscription.builder("ops").priority(9).owner(SubjectSet.groups("ops"))
                .model("granite", RateLimit.of(900_000, "1m")).build());
    }

    @Test
    void accessibleModelsAreWhatAdmissionAllowsChargedAsAdmissionCharges() {
        InMemoryStore store = new InMemoryStore();
        populate(store);
        try (MaasEngine engine = MaasEngine.builder().store(store).timeSource(time).build()) {
            Subject alice = Subject.user("alice");
            Identity identity = engine.identityOf(alice);
            List<ModelAccess> access = engine.catalog().accessibleModels(identity);

            assertEquals(List.of("granite", "llama"), access.stream().map(a -> a.model().name()).toList(),
                    "no policy for mistral, gemma disabled");
            assertEquals(List.of("b-large", "a-small", "c-low"), access.get(0).subscriptions(),
                    "granite's own order: priority, then the larger limit for granite");
            String key = engine.createKey(KeyRequest.builder(alice, "k").subscription("a-small").build())
                    .secret().reveal();
            String unbound = engine.keys().create(KeyRequest.builder(alice, "u").build()).secret().reveal();
            for (String model : List.of("granite", "llama", "mistral", "gemma")) {
                boolean listed = access.stream().anyMatch(a -> a.model().name().equals(model));
                try (Lease lease = engine.admit(AdmissionRequest.builder(unbound, model).build())) {
                    assertEquals(listed, lease.allowed(), model);
                    if (listed) {
                        String first = access.stream().filter(a -> a.model().name().equals(model)).findFirst()
                                .orElseThrow().subscriptions().get(0);
                        assertEquals(first, lease.admission().grant().orElseThrow().subscription().name(), model);
                    }
                }
            }
            var bound = engine.keys().ownedBy(alice).stream().filter(k -> k.name().equals("k")).findFirst()
                    .orElseThrow();
            assertEquals(List.of("a-small"), engine.catalog().accessibleModels(bound, identity).get(0).subscriptions(),
                    "a bound key is charged to its subscription only");
            assertEquals(List.of("a-small"), engine.catalog().subscriptionsOf(bound, identity).stream()
                    .map(Subscription::name).toList());
            try (Lease lease = engine.admit(AdmissionRequest.builder(key, "granite").build())) {
                assertEquals("a-small", lease.admission().grant().orElseThrow().subscription().name());
            }
            assertEquals(List.of(), engine.catalog().accessibleModels(engine.identityOf(Subject.user("bob"))),
                    "bob is in no group a policy names");
        }
    }

    @Test
    void subscriptionOrdersArePerModelAndOverall() {
        InMemoryStore store = new InMemoryStore();
        populate(store);
        try (MaasEngine engine = MaasEngine.builder().store(store).timeSource(time).build()) {
            CatalogService catalog = engine.catalog();
            assertEquals(List.of("ops", "b-large", "a-small", "c-low"),
                    catalog.subscriptionsCovering("granite").stream().map(Subscription::name).toList(),
                    "whoever it is for, best first for granite");
            assertEquals(List.of("ops", "a-small", "b-large", "c-low"),
                    catalog.subscriptions().stream().map(Subscription::name).toList(),
                    "overall, a-small's largest limit (llama's) ranks it above b-large");
            assertEquals(List.of("a-small", "b-large", "c-low"),
                    catalog.subscriptionsOf(engine.identityOf(Subject.user("alice"))).stream()
                            .map(Subscription::name).toList(), "alice is not in ops");
            assertEquals(List.of(), catalog.subscriptionsCovering("no-such-model"));
        }
    }

    @Test
    void writesReachTheNextRequestThoughTheStoreNeverNotifies() {
        InMemoryStore store = new InMemoryStore();
        store.setGroups("alice", "dev");
        // a store of its own: the key store's notices must not refresh the engine either
        CatalogStore silent = new SilentCatalog(new InMemoryStore());
        try (MaasEngine engine = MaasEngine.builder().keyStore(store).catalogStore(silent).ledger(store)
                .directory(store).timeSource(time).catalogRefreshInterval(Duration.ofDays(1)).build()) {
            String key = engine.createKey(KeyRequest.builder(Subject.user("alice"), "k").build()).secret().reveal();
            CatalogService catalog = engine.catalog();
            assertEquals(DenialReason.MODEL_NOT_FOUND, denial(engine, key));

            catalog.putModel(ModelRef.builder("granite").build());
            assertEquals(DenialReason.NOT_AUTHORIZED, denial(engine, key), "the model is there at once");
            catalog.putPolicy(AuthPolicy.of("dev", SubjectSet.groups("dev"), "granite"));
            assertEquals(DenialReason.NO_SUBSCRIPTION, denial(engine, key), "so is the policy");
            catalog.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(1_000, "1m")).build());
            try (Lease lease = engine.admit(AdmissionRequest.builder(key, "granite").build())) {
                assertTrue(lease.allowed(), "and the subscription");
            }

            assertTrue(catalog.removeSubscription("free"));
            assertEquals(DenialReason.NO_SUBSCRIPTION, denial(engine, key));
            assertFalse(catalog.removeSubscription("free"), "already gone");
            assertTrue(catalog.removePolicy("dev"));
            assertEquals(DenialReason.NOT_AUTHORIZED, denial(engine, key));
            assertTrue(catalog.removeModel("granite"));
            assertEquals(DenialReason.MODEL_NOT_FOUND, denial(engine, key));
        }
    }

    @Test
    void aReadOnlyCatalogSaysSoAndRefusesWrites() {
        InMemoryStore store = new InMemoryStore();
        CatalogStore readOnly = new CatalogStore() {
            @Override
            public List<ModelRef> models() {
                return List.of(ModelRef.builder("granite").build());
            }

            @Override
            public List<Subscription> subscriptions() {
                return List.of();
            }

            @Override
            public List<AuthPolicy> policies() {
                return List.of();
            }

            @Override
            public boolean readOnly() {
                return true;
            }
        };
        try (MaasEngine engine = MaasEngine.builder().keyStore(store).catalogStore(readOnly).ledger(store)
                .directory(store).timeSource(time).build()) {
            assertTrue(engine.catalog().readOnly());
            assertThrows(UnsupportedOperationException.class,
                    () -> engine.catalog().putModel(ModelRef.builder("llama").build()));
            assertEquals(List.of("granite"), engine.catalog().models().stream().map(ModelRef::name).toList());
            assertTrue(engine.catalog().model("granite").isPresent(), "the engine's index has it");
        }
    }

    private static DenialReason denial(MaasEngine engine, String key) {
        try (Lease lease = engine.admit(AdmissionRequest.builder(key, "granite").build())) {
            assertFalse(lease.allowed());
            return lease.admission().denial().orElseThrow().reason();
        }
    }

    /** A catalog that keeps what it is given and tells nobody: the engine must not wait for a notice. */
    private static final class SilentCatalog implements CatalogStore {
        private final InMemoryStore delegate;

        SilentCatalog(InMemoryStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<ModelRef> models() {
            return delegate.models();
        }

        @Override
        public List<Subscription> subscriptions() {
            return delegate.subscriptions();
        }

        @Override
        public List<AuthPolicy> policies() {
            return delegate.policies();
        }

        @Override
        public void putModel(ModelRef model) {
            delegate.putModel(model);
        }

        @Override
        public boolean removeModel(String name) {
            return delegate.removeModel(name);
        }

        @Override
        public void putSubscription(Subscription subscription) {
            delegate.putSubscription(subscription);
        }

        @Override
        public boolean removeSubscription(String name) {
            return delegate.removeSubscription(name);
        }

        @Override
        public void putPolicy(AuthPolicy policy) {
            delegate.putPolicy(policy);
        }

        @Override
        public boolean removePolicy(String name) {
            return delegate.removePolicy(name);
        }
    }
}
