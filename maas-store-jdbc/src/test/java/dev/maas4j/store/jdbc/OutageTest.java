package dev.maas4j.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.StoreException;
import dev.maas4j.api.TimeSource;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import dev.maas4j.core.FailureMode;
import dev.maas4j.core.Lease;
import dev.maas4j.testing.TestData;
import dev.maas4j.testing.PostgresServer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped in the middle of a run and started again on the same data directory: usage
 * waits in the engines' buffers and is written once it is back, none lost and none counted twice;
 * admissions meanwhile follow each engine's failure mode.
 */
class OutageTest {
    private PostgresServer server;
    private String url;

    @BeforeEach
    void start() {
        server = PostgresServer.start();
        url = server.newDatabase();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Usage the test reported, to compare with the ledger. */
    private static final class Reported {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong prompt = new AtomicLong();
        final AtomicLong completion = new AtomicLong();

        void complete(Lease lease, long p, long c) {
            assertTrue(lease.complete(TokenUsage.reported(p, c), 200));
            requests.incrementAndGet();
            prompt.addAndGet(p);
            completion.addAndGet(c);
        }
    }

    @Test
    void failClosedRefusesWith503AndFailOpenServesCachedKeysWithLocalLimitsAndNoUsageIsLostOrDoubled() {
        TimeSource time = TimeSource.system();
        Reported reported = new Reported();
        try (Replica closed = new Replica(url, time, FailureMode.FAIL_CLOSED, b -> { });
             Replica open = new Replica(url, time, FailureMode.FAIL_OPEN, b -> { })) {
            SharedLimitsTest.catalog(closed.store, 2_000);
            TestData.eventually("the fail-open engine sees the model").until(() -> open.engine.catalog().model("granite").isPresent());
            String alice = closed.newKey("alice");
            String bob = closed.newKey("bob");
            for (Replica r : new Replica[] {closed, open}) {
                for (String key : new String[] {alice, bob}) {
                    try (Lease l = r.admit(key, "granite", 10, 10)) {
                        assertTrue(l.allowed());
                        reported.complete(l, 10, 5);
                    }
                }
            }
            // a request admitted before the outage and settled during it
            Lease inFlight = open.admit(alice, "granite", 10, 10);
            assertTrue(inFlight.allowed());

            server.stop();

            Denial denial;
            try (Lease l = closed.admit(alice, "granite", 10, 10)) {
                assertFalse(l.allowed());
                denial = l.admission().denial().orElseThrow();
            }
            assertEquals(DenialReason.STORE_UNAVAILABLE, denial.reason());
            assertEquals(503, denial.httpStatus());
            assertFalse(denial.message().contains("postgresql"), "no store detail reaches the client");

            reported.complete(inFlight, 10, 10);
            // fail open: the cached key is served, limited per process (2,000 tokens an hour here)
            int admitted = 0;
            while (true) {
                try (Lease l = open.admit(bob, "granite", 100, 100)) {
                    if (!l.allowed()) {
                        assertEquals(DenialReason.QUOTA_EXCEEDED, l.admission().denial().orElseThrow().reason());
                        break;
                    }
                    admitted++;
                    reported.complete(l, 100, 100);
                }
                assertTrue(admitted <= 10, "the local window holds 2,000 tokens: 10 requests of 200");
            }
            assertEquals(10, admitted);
            // a key this engine never saw cannot be verified without the store
            String carol = "sk-oai-" + "A".repeat(22) + "_" + "B".repeat(43);
            try (Lease l = open.admit(carol, "granite", 1, 1)) {
                assertFalse(l.allowed());
            }
            StoreException error = assertThrows(StoreException.class, () -> closed.store.findAll());
            assertTrue(error.getMessage().startsWith("jdbc store (postgresql://127.0.0.1:" + server.port() + "/"),
                    error.getMessage());
            assertEquals(closed.store.name(), error.store());
            assertTrue(open.engine.meterRegistry().get("maas.usage.pending").gauge().value() > 0,
                    "usage waits in the buffer");

            server.restart();

            assertTrue(closed.engine.usage().flush(Duration.ofSeconds(30)), "the fail-closed engine's buffer drains");
            assertTrue(open.engine.usage().flush(Duration.ofSeconds(30)), "the fail-open engine's buffer drains");
            UsageTotals totals = closed.store.totals(UsageQuery.between(Instant.now().minus(Duration.ofHours(2)),
                    Instant.now().plus(Duration.ofHours(1))));
            assertEquals(reported.requests.get(), totals.requests(), "every settled request once");
            assertEquals(reported.prompt.get(), totals.promptTokens());
            assertEquals(reported.completion.get(), totals.completionTokens());
            assertEquals(0, ModelPrice.usd("0.15", "0.60").cost(reported.prompt.get(), reported.completion.get())
                    .compareTo(totals.cost()));
            TestData.eventually("the fail-closed engine admits again").until(() -> {
                try (Lease l = closed.admit(alice, "granite", 1, 1)) {
                    if (l.allowed()) {
                        l.complete(TokenUsage.reported(1, 1), 200);
                        return true;
                    }
                    return false;
                }
            });
        }
    }

    @Test
    void anUnreachableDatabaseFailsTheBuildNamingTheStoreWithoutThePassword() {
        server.stop();
        StoreException e = assertThrows(StoreException.class, () -> JdbcStore.builder(url + "&password=hunter2")
                .connectionTimeout(Duration.ofMillis(500)).build());
        assertTrue(e.getMessage().startsWith("jdbc store (postgresql://127.0.0.1:" + server.port() + "/"),
                e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        StoreException withUserInfo = assertThrows(StoreException.class, () -> JdbcStore.builder(
                "jdbc:postgresql://maas:hunter2@127.0.0.1:" + server.port() + "/x").connectionTimeout(
                Duration.ofMillis(500)).build());
        assertFalse(withUserInfo.getMessage().contains("hunter2"), withUserInfo.getMessage());
    }
}
