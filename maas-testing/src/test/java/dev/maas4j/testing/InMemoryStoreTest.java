package dev.maas4j.testing;

import static dev.maas4j.testing.TestData.T0;
import static dev.maas4j.testing.TestData.event;
import static dev.maas4j.testing.TestData.key;
import static dev.maas4j.testing.TestData.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.maas4j.api.Identity;
import dev.maas4j.api.Subject;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.testing.TestData.RecordingListener;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link InMemoryStore} does beyond the store contracts: the directory, purging, listener details. */
class InMemoryStoreTest {
    private final InMemoryStore store = new InMemoryStore();

    @Test
    void userActsWithTheGroupsSetForItsName() {
        store.setGroups("alice", "staff", "ml");

        assertEquals(Identity.of("alice", "staff", "ml"), store.identityOf(Subject.user("alice")));
    }

    @Test
    void serviceAccountActsWithTheGroupsSetForItsName() {
        store.setGroups("ci-bot", Set.of("builders"));

        assertEquals(Identity.of("ci-bot", "builders"), store.identityOf(Subject.serviceAccount("ci-bot")));
    }

    @Test
    void unknownUserActsWithNoGroups() {
        assertEquals(Identity.of("carol"), store.identityOf(Subject.user("carol")));
    }

    @Test
    void groupOwnerActsAsAMemberOfItselfOnly() {
        store.setGroups("staff", "ignored-for-groups");

        assertEquals(Identity.of("staff", "staff"), store.identityOf(Subject.group("staff")));
    }

    @Test
    void setGroupsReplacesAndAnEmptySetClears() {
        assertSame(store, store.setGroups("alice", "staff").setGroups("bob", "ml"));

        store.setGroups("alice", "ml");
        assertEquals(Set.of("ml"), store.identityOf(Subject.user("alice")).groups());

        store.setGroups("alice");
        assertEquals(Set.of(), store.identityOf(Subject.user("alice")).groups());
        assertEquals(Set.of("ml"), store.identityOf(Subject.user("bob")).groups());
    }

    @Test
    void setGroupsRejectsBlankNames() {
        assertThrows(IllegalArgumentException.class, () -> store.setGroups(" ", "staff"));
        assertThrows(IllegalArgumentException.class, () -> store.setGroups("alice", ""));
    }

    @Test
    void oneListenerHearsKeyAndCatalogChanges() {
        RecordingListener listener = new RecordingListener();
        store.addListener(listener);

        store.create(key("k1").build());
        store.putModel(model("granite-8b"));

        assertEquals(List.of("k1"), List.copyOf(listener.keys));
        assertEquals(1, listener.catalogChanges.get());
    }

    @Test
    void changesThatChangeNothingAreNotTold() {
        store.create(key("k1").build());
        store.revoke("k1", T0.plusSeconds(1));
        RecordingListener listener = new RecordingListener();
        store.addListener(listener);

        assertFalse(store.revoke("k1", T0.plusSeconds(2)));
        assertFalse(store.revoke("nope", T0.plusSeconds(2)));
        assertFalse(store.removeModel("nope"));
        assertFalse(store.removeSubscription("nope"));
        assertFalse(store.removePolicy("nope"));
        store.recordLastUsed(Map.of("k1", T0.plusSeconds(3)));

        assertEquals(List.of(), List.copyOf(listener.keys));
        assertEquals(0, listener.catalogChanges.get());
    }

    @Test
    void purgeBeforeRemovesOnlyEventsStartedBeforeTheCutoff() {
        store.append(List.of(
                event("old1").at(T0.minus(Duration.ofDays(40))).build(),
                event("old2").at(T0.minusMillis(1)).build(),
                event("at-cutoff").at(T0).build(),
                event("new").at(T0.plus(Duration.ofDays(1))).build()));
        UsageQuery everything = UsageQuery.between(T0.minus(Duration.ofDays(365)), T0.plus(Duration.ofDays(365)));

        assertEquals(2, store.purgeBefore(T0));
        assertEquals(0, store.purgeBefore(T0), "nothing left to purge");

        assertEquals(2, store.totals(everything).requests());
        assertEquals(1, store.append(List.of(event("at-cutoff").at(T0).build(), event("newer").at(T0).build())),
                "the ids of kept events are still known");
    }

    @Test
    void batchWithANullStoresNothing() {
        UsageEvent ok = event("r1").build();

        assertThrows(NullPointerException.class, () -> store.append(Arrays.asList(ok, null)));

        assertEquals(1, store.append(List.of(ok)));
    }
}
