package dev.maas4j.testing;

import static dev.maas4j.testing.TestData.eventually;
import static dev.maas4j.testing.TestData.model;
import static dev.maas4j.testing.TestData.policy;
import static dev.maas4j.testing.TestData.subscription;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.CatalogStore;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import dev.maas4j.testing.TestData.RecordingListener;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CatalogStore} must have. Extend it with {@link #newCatalogStore()}
 * returning an empty store (or, for a read-only store, whatever it holds):
 *
 * <pre>{@code
 * class MyCatalogStoreTest extends CatalogStoreContract {
 *     @Override
 *     protected CatalogStore newCatalogStore() {
 *         return new MyCatalogStore(freshDatabase());
 *     }
 * }
 * }</pre>
 *
 * <p>Mutation tests are skipped when the store is {@link CatalogStore#readOnly()}; listener tests
 * when {@link #notifiesListeners()} is {@code false}. A store that tells listeners from another
 * thread is waited for, at most ten seconds per change.
 */
public abstract class CatalogStoreContract {

    /** The store under test, fresh for each test. */
    protected CatalogStore store;

    /** A new store; empty unless it is read-only. */
    protected abstract CatalogStore newCatalogStore();

    /** Whether the store tells listeners of its own changes ({@code false} skips those tests). */
    protected boolean notifiesListeners() {
        return true;
    }

    @BeforeEach
    void createStore() {
        store = newCatalogStore();
    }

    private void assumeWritable() {
        Assumptions.assumeFalse(store.readOnly(), "the catalog is read-only");
    }

    private void assumeListeners() {
        assumeWritable();
        Assumptions.assumeTrue(notifiesListeners(), "the store does not tell listeners");
    }

    // ------------------------------------------------------------------------------ any store

    @Test
    void findAgreesWithTheListings() {
        for (ModelRef m : store.models()) {
            assertEquals(Optional.of(m), store.findModel(m.name()));
        }
        for (Subscription s : store.subscriptions()) {
            assertEquals(Optional.of(s), store.findSubscription(s.name()));
        }
        for (AuthPolicy p : store.policies()) {
            assertEquals(Optional.of(p), store.findPolicy(p.name()));
        }
        assertEquals(Optional.empty(), store.findModel("no-such-model-in-any-catalog"));
        assertEquals(Optional.empty(), store.findSubscription("no-such-subscription-in-any-catalog"));
        assertEquals(Optional.empty(), store.findPolicy("no-such-policy-in-any-catalog"));
    }

    @Test
    void readOnlyStoreRejectsEveryMutator() {
        Assumptions.assumeTrue(store.readOnly(), "the catalog is writable");
        assertThrows(UnsupportedOperationException.class, () -> store.putModel(model("m")));
        assertThrows(UnsupportedOperationException.class, () -> store.removeModel("m"));
        assertThrows(UnsupportedOperationException.class, () -> store.putSubscription(subscription("s")));
        assertThrows(UnsupportedOperationException.class, () -> store.removeSubscription("s"));
        assertThrows(UnsupportedOperationException.class, () -> store.putPolicy(policy("p")));
        assertThrows(UnsupportedOperationException.class, () -> store.removePolicy("p"));
    }

    // ---------------------------------------------------------------------------------- models

    @Test
    void newStoreIsEmpty() {
        assumeWritable();
        assertEquals(List.of(), store.models());
        assertEquals(List.of(), store.subscriptions());
        assertEquals(List.of(), store.policies());
    }

    @Test
    void putModelIsFoundAndListed() {
        assumeWritable();
        ModelRef granite = model("granite-8b");
        ModelRef llama = model("llama-70b");
        store.putModel(granite);
        store.putModel(llama);

        assertEquals(Optional.of(granite), store.findModel("granite-8b"));
        assertEquals(2, store.models().size());
        assertTrue(store.models().containsAll(List.of(granite, llama)));
    }

    @Test
    void everyFieldOfAModelIsKept() {
        assumeWritable();
        ModelRef full = TestData.fullModel("granite-8b");
        store.putModel(full);

        ModelRef found = store.findModel("granite-8b").orElseThrow();
        assertEquals(full, found);
        assertEquals(full.upstreamCredential().orElseThrow().reveal(), found.upstreamCredential().orElseThrow().reveal());
    }

    @Test
    void putModelReplacesTheModelWithTheSameName() {
        assumeWritable();
        store.putModel(model("granite-8b"));
        ModelRef disabled = model("granite-8b").toBuilder().enabled(false).displayName("Granite (off)").build();

        store.putModel(disabled);

        assertEquals(List.of(disabled), store.models());
        assertEquals(Optional.of(disabled), store.findModel("granite-8b"));
    }

    @Test
    void removeModelRemovesItOnce() {
        assumeWritable();
        store.putModel(model("granite-8b"));
        store.putModel(model("llama-70b"));

        assertTrue(store.removeModel("granite-8b"));
        assertFalse(store.removeModel("granite-8b"));
        assertFalse(store.removeModel("never-there"));

        assertEquals(Optional.empty(), store.findModel("granite-8b"));
        assertEquals(List.of("llama-70b"), store.models().stream().map(ModelRef::name).toList());
    }

    // --------------------------------------------------------------------------- subscriptions

    @Test
    void putSubscriptionIsFoundListedAndReplaced() {
        assumeWritable();
        Subscription gold = subscription("gold", "granite-8b");
        store.putSubscription(gold);
        store.putSubscription(subscription("silver", "granite-8b"));

        assertEquals(Optional.of(gold), store.findSubscription("gold"));
        assertEquals(2, store.subscriptions().size());

        Subscription goldV2 = Subscription.builder("gold").priority(5).model("llama-70b").build();
        store.putSubscription(goldV2);
        assertEquals(Optional.of(goldV2), store.findSubscription("gold"));
        assertEquals(2, store.subscriptions().size());
    }

    @Test
    void everyFieldOfASubscriptionIsKept() {
        assumeWritable();
        Subscription full = TestData.fullSubscription("gold");
        store.putSubscription(full);

        assertEquals(TestData.normalized(full), TestData.normalized(store.findSubscription("gold").orElseThrow()));
    }

    @Test
    void removeSubscriptionRemovesItOnce() {
        assumeWritable();
        store.putSubscription(subscription("gold", "granite-8b"));

        assertTrue(store.removeSubscription("gold"));
        assertFalse(store.removeSubscription("gold"));
        assertEquals(Optional.empty(), store.findSubscription("gold"));
        assertEquals(List.of(), store.subscriptions());
    }

    // -------------------------------------------------------------------------------- policies

    @Test
    void putPolicyIsFoundListedAndReplaced() {
        assumeWritable();
        AuthPolicy staff = policy("staff-granite", "granite-8b");
        store.putPolicy(staff);

        assertEquals(Optional.of(staff), store.findPolicy("staff-granite"));
        assertEquals(List.of(staff), store.policies());

        AuthPolicy wider = policy("staff-granite", "granite-8b", "llama-70b");
        store.putPolicy(wider);
        assertEquals(List.of(wider), store.policies());
    }

    @Test
    void everyFieldOfAPolicyIsKept() {
        assumeWritable();
        AuthPolicy full = TestData.fullPolicy("premium");
        store.putPolicy(full);

        assertEquals(Optional.of(full), store.findPolicy("premium"));
    }

    @Test
    void removePolicyRemovesItOnce() {
        assumeWritable();
        store.putPolicy(policy("staff-granite", "granite-8b"));

        assertTrue(store.removePolicy("staff-granite"));
        assertFalse(store.removePolicy("staff-granite"));
        assertEquals(List.of(), store.policies());
    }

    @Test
    void kindsAreSeparateNamespaces() {
        assumeWritable();
        store.putModel(model("shared"));
        store.putSubscription(subscription("shared", "shared"));
        store.putPolicy(policy("shared", "shared"));

        assertTrue(store.removeSubscription("shared"));
        assertTrue(store.findModel("shared").isPresent());
        assertTrue(store.findPolicy("shared").isPresent());
    }

    // ------------------------------------------------------------------------------- listeners

    @Test
    void listenerIsToldOfEveryPutAndRemove() {
        assumeListeners();
        RecordingListener listener = new RecordingListener();
        store.addListener(listener);

        store.putModel(model("granite-8b"));
        eventually("told of putModel").until(() -> listener.catalogChanges.get() >= 1);
        store.putModel(model("granite-8b").toBuilder().enabled(false).build());
        eventually("told of a replacing putModel").until(() -> listener.catalogChanges.get() >= 2);
        store.putSubscription(subscription("gold", "granite-8b"));
        eventually("told of putSubscription").until(() -> listener.catalogChanges.get() >= 3);
        store.putPolicy(policy("p", "granite-8b"));
        eventually("told of putPolicy").until(() -> listener.catalogChanges.get() >= 4);
        store.removePolicy("p");
        eventually("told of removePolicy").until(() -> listener.catalogChanges.get() >= 5);
        store.removeSubscription("gold");
        eventually("told of removeSubscription").until(() -> listener.catalogChanges.get() >= 6);
        store.removeModel("granite-8b");
        eventually("told of removeModel").until(() -> listener.catalogChanges.get() >= 7);
        assertTrue(listener.keys.isEmpty(), "catalog changes are not key changes");
    }

    @Test
    void listenerSeesTheChangeItIsToldOf() {
        assumeListeners();
        Queue<List<ModelRef>> seen = new ConcurrentLinkedQueue<>();
        store.addListener(new RecordingListener() {
            @Override
            public void catalogChanged() {
                seen.add(store.models());
            }
        });
        ModelRef granite = model("granite-8b");

        store.putModel(granite);

        eventually("told of the new model").until(() -> seen.stream().anyMatch(models -> models.contains(granite)));
    }

    @Test
    void aThrowingListenerDoesNotBreakTheStoreOrOtherListeners() {
        assumeListeners();
        store.addListener(new RecordingListener() {
            @Override
            public void catalogChanged() {
                throw new IllegalStateException("listener bug (expected by the test)");
            }
        });
        RecordingListener listener = new RecordingListener();
        store.addListener(listener);

        store.putModel(model("granite-8b"));
        assertEquals(Optional.of(model("granite-8b")), store.findModel("granite-8b"),
                "the change a listener threw on is kept");
        assertTrue(store.removeModel("granite-8b"));

        assertEquals(List.of(), store.models(), "the store goes on working");
        store.putModel(model("llama-70b"));
        assertEquals(List.of("llama-70b"), store.models().stream().map(ModelRef::name).toList());
        eventually("the second listener was told of every change").until(() -> listener.catalogChanges.get() >= 3);
    }
}
