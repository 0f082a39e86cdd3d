package dev.maas4j.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.DenialReason;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.TimeSource;
import dev.maas4j.core.FailureMode;
import dev.maas4j.core.Lease;
import dev.maas4j.testing.PostgresServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Revocations and catalog changes made through one engine reach another engine on the same
 * database within a second, although its key cache would keep the key for a minute and its catalog
 * for half a minute.
 */
class ChangePropagationTest {
    private static final Duration BOUND = Duration.ofSeconds(1);

    @Test
    void onPostgresqlThroughListenNotify() {
        String url = PostgresServer.shared().newDatabase();
        check(url);
    }

    @Test
    void onH2ByPollingTheChangeFeed() {
        check("jdbc:h2:mem:propagation" + System.nanoTime());
    }

    private static void check(String url) {
        TimeSource time = TimeSource.system();
        try (JdbcStore storeA = JdbcStore.builder(url).build();
             JdbcStore storeB = JdbcStore.builder(url).build();
             Replica a = new Replica(storeA, time, FailureMode.FAIL_CLOSED, x -> { });
             Replica b = new Replica(storeB, time, FailureMode.FAIL_CLOSED, x -> { })) {
            SharedLimitsTest.catalog(a.store, 1_000_000);
            String key = a.newKey("alice");
            awaitWithin(Duration.ofSeconds(5), "b sees the model", () -> allowed(b, key));

            // b has the key cached now; revoke it through a
            assertTrue(a.engine.revokeKey(storeA.findAll().get(0).id()));
            long millis = awaitWithin(BOUND, "b refuses the revoked key", () -> {
                try (Lease l = b.admit(key, "granite", 1, 1)) {
                    return !l.allowed() && l.admission().denial().orElseThrow().reason() == DenialReason.REVOKED_KEY;
                }
            });
            System.out.printf("%s: revocation reached the other engine in %d ms%n", a.store.databaseKind(), millis);

            String other = a.newKey("bob");
            awaitWithin(BOUND, "b admits a new key", () -> allowed(b, other));
            ModelRef disabled = a.store.findModel("granite").orElseThrow().toBuilder().enabled(false).build();
            a.store.putModel(disabled);
            millis = awaitWithin(BOUND, "b refuses the disabled model", () -> {
                try (Lease l = b.admit(other, "granite", 1, 1)) {
                    return !l.allowed() && l.admission().denial().orElseThrow().reason() == DenialReason.MODEL_DISABLED;
                }
            });
            System.out.printf("%s: a disabled model reached the other engine in %d ms%n", a.store.databaseKind(),
                    millis);
        }
    }

    private static boolean allowed(Replica r, String key) {
        try (Lease l = r.admit(key, "granite", 1, 1)) {
            if (l.allowed()) {
                l.complete(dev.maas4j.api.TokenUsage.reported(1, 1), 200);
                return true;
            }
            return false;
        }
    }

    /** Waits for the other replica to see a change, at most {@code bound}; how long it took, in ms. */
    private static long awaitWithin(Duration bound, String what, java.util.function.BooleanSupplier condition) {
        long start = System.nanoTime();
        dev.maas4j.testing.TestData.eventually(what).atMost(bound).until(condition::getAsBoolean);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis <= bound.toMillis());
        return millis;
    }
}
