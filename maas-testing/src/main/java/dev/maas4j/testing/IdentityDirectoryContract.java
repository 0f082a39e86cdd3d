package dev.maas4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.Identity;
import dev.maas4j.api.IdentityDirectory;
import dev.maas4j.api.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link IdentityDirectory} must have: the owner of a key acts under its own
 * name, with the groups the directory knows for it now; a key owned by a group acts as a member of
 * that group. Extend it with {@link #newDirectory(Map)}:
 *
 * <pre>{@code
 * class MyDirectoryTest extends IdentityDirectoryContract {
 *     @Override
 *     protected IdentityDirectory newDirectory(Map<String, Set<String>> groupsByName) {
 *         return new MyDirectory(ldapServerWith(groupsByName));
 *     }
 * }
 * }</pre>
 *
 * <p>A directory that knows no groups (such as {@link IdentityDirectory#ownersOnly()}) says so
 * with {@link #knowsGroups()}; one whose groups a test can change overrides
 * {@link #changeGroups(IdentityDirectory, String, Set)}. Tests that need either are skipped
 * otherwise.
 */
public abstract class IdentityDirectoryContract {

    /**
     * A directory in which each name of {@code groupsByName}, as a user or a service account,
     * belongs to exactly those groups.
     */
    protected abstract IdentityDirectory newDirectory(Map<String, Set<String>> groupsByName);

    /** Whether the directory knows the groups it was given ({@code false} skips the tests that need them). */
    protected boolean knowsGroups() {
        return true;
    }

    /**
     * Gives {@code name} these groups in {@code directory}, as an administrator would; the default
     * cannot, and skips the test that needs it.
     */
    protected void changeGroups(IdentityDirectory directory, String name, Set<String> groups) {
        Assumptions.abort("the directory's groups cannot be changed by the test");
    }

    private void assumeGroups() {
        Assumptions.assumeTrue(knowsGroups(), "the directory knows no groups");
    }

    @Test
    void aUserActsUnderItsNameWithItsGroups() {
        assumeGroups();
        IdentityDirectory directory = newDirectory(Map.of("alice", Set.of("staff", "ml"), "bob", Set.of("ops")));

        assertEquals(new Identity("alice", Set.of("staff", "ml")), directory.identityOf(Subject.user("alice")));
        assertEquals(new Identity("bob", Set.of("ops")), directory.identityOf(Subject.user("bob")));
    }

    @Test
    void aServiceAccountActsUnderItsNameWithItsGroups() {
        assumeGroups();
        IdentityDirectory directory = newDirectory(Map.of("ci-bot", Set.of("builders")));

        assertEquals(new Identity("ci-bot", Set.of("builders")), directory.identityOf(Subject.serviceAccount("ci-bot")));
    }

    @Test
    void anOwnerTheDirectoryDoesNotKnowActsWithNoGroups() {
        IdentityDirectory directory = newDirectory(Map.of("alice", Set.of("staff")));

        assertEquals(new Identity("carol", Set.of()), directory.identityOf(Subject.user("carol")));
        assertEquals(new Identity("nightly", Set.of()), directory.identityOf(Subject.serviceAccount("nightly")));
    }

    @Test
    void aKeyOwnedByAGroupActsAsAMemberOfThatGroup() {
        IdentityDirectory directory = newDirectory(Map.of("alice", Set.of("staff")));

        Identity identity = directory.identityOf(Subject.group("staff"));

        assertEquals("staff", identity.user());
        assertTrue(identity.groups().contains("staff"), identity.toString());
    }

    @Test
    void aChangeOfGroupsTakesEffectOnTheNextLookup() {
        assumeGroups();
        IdentityDirectory directory = newDirectory(Map.of("alice", Set.of("staff")));
        assertEquals(Set.of("staff"), directory.identityOf(Subject.user("alice")).groups());

        changeGroups(directory, "alice", Set.of("ml"));

        assertEquals(Set.of("ml"), directory.identityOf(Subject.user("alice")).groups(),
                "keys are not re-issued when groups change");
    }

    @Test
    void lookupsFromManyThreadsAgree() throws Exception {
        IdentityDirectory directory = newDirectory(Map.of("alice", Set.of("staff")));
        Identity expected = directory.identityOf(Subject.user("alice"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Identity>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(pool.submit(() -> directory.identityOf(Subject.user("alice"))));
            }
            for (Future<Identity> answer : answers) {
                assertEquals(expected, answer.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
