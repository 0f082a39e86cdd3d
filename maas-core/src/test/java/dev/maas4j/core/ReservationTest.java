package dev.maas4j.core;

import dev.maas4j.api.DenialReason;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bound of each strategy: {@code N} requests in flight against a window of 1,000 tokens, each
 * with a prompt of 10 and {@code max_tokens} of 200, each really using all 210 tokens.
 */
class ReservationTest {
    private static final int IN_FLIGHT = 20;

    /** Admits as many as the strategy lets through at once, then settles all with their real usage. */
    private static long spentAfterOneBurst(ReservationStrategy strategy) {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(strategy).expectedOutputTokens(40))) {
            String key = f.key("alice");
            List<Lease> admitted = new ArrayList<>();
            for (int i = 0; i < IN_FLIGHT; i++) {
                Lease lease = f.admit(key, "granite", 10, 200);
                if (lease.allowed()) {
                    admitted.add(lease);
                }
            }
            for (Lease lease : admitted) {
                lease.complete(TokenUsage.reported(10, 200), 200);
            }
            f.engine.flushUsage(Duration.ofSeconds(5));
            UsageTotals totals = f.store.totals(UsageQuery.between(Instant.EPOCH, Instant.MAX));
            assertEquals(admitted.size(), totals.requests());
            return totals.totalTokens();
        }
    }

    @Test
    void worstCaseNeverOvershoots() {
        long spent = spentAfterOneBurst(ReservationStrategy.WORST_CASE);
        assertTrue(spent <= 1_000, "spent " + spent);
        assertEquals(840, spent, "four worst cases of 210 fit in 1,000");
    }

    @Test
    void expectedOvershootsAtMostByTheUnreservedCompletionOfEachRequestInFlight() {
        long spent = spentAfterOneBurst(ReservationStrategy.EXPECTED);
        // each reserves 10 + 40 = 50: twenty fit, and each may use 160 more than it reserved
        long bound = 1_000 + IN_FLIGHT * (200 - 40);
        assertTrue(spent > 1_000, "this burst does overshoot: " + spent);
        assertTrue(spent <= bound, "spent " + spent + " beyond the bound " + bound);
    }

    @Test
    void postPaidAdmitsEveryRequestWhileTheWindowIsNotExhausted() {
        long spent = spentAfterOneBurst(ReservationStrategy.POST_PAID);
        assertEquals(IN_FLIGHT * 210, spent, "the peers' behaviour: all twenty run");
    }

    @Test
    void overdrawnWindowRefusesUntilTheDebtIsRefilled() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.POST_PAID))) {
            String key = f.key("alice");
            try (Lease lease = f.admit(key, "granite")) {
                lease.complete(TokenUsage.reported(1_000, 1_500), 200);
            }
            assertEquals(DenialReason.QUOTA_EXCEEDED, f.admit(key, "granite").admission().denial().orElseThrow().reason());
            f.time.advance(Duration.ofMinutes(1));
            assertFalse(f.admit(key, "granite").allowed(), "1,500 of debt is more than one window refills");
            f.time.advance(Duration.ofMinutes(1));
            assertTrue(f.admit(key, "granite").allowed());
        }
    }

    @Test
    void requestLargerThanTheWholeWindowIsAdmittedOnlyIntoAFullWindow() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice");
            Lease huge = f.admit(key, "granite", 100, 8_000);
            assertTrue(huge.allowed(), "a reservation is capped at the window so big requests are not locked out");
            assertFalse(f.admit(key, "granite", 1, 1).allowed());
        }
    }

    @Test
    void settlementHappensExactlyOnce() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice", KeyLimits.builder().tokensPerMinute(100).build());
            Lease lease = f.admit(key, "granite", 10, 40);
            assertTrue(lease.complete(TokenUsage.reported(10, 10), 200));
            assertFalse(lease.complete(TokenUsage.reported(10, 10), 200));
            assertFalse(lease.fail(502));
            assertFalse(lease.abort(TokenUsage.estimated(1, 1)));
            lease.close();
            Lease next = f.admit(key, "granite", 10, 60);
            assertEquals(10, next.admission().rateLimits().remainingTokens(), "100 - 20 used - 70 reserved");
            f.engine.flushUsage(Duration.ofSeconds(5));
            assertEquals(1, f.store.totals(UsageQuery.between(Instant.EPOCH, Instant.MAX)).requests());
        }
    }

    @Test
    void upstreamFailureChargesNothingAndReturnsTheReservation() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice", KeyLimits.builder().tokensPerMinute(100).requestsPerMinute(1).build());
            Lease lease = f.admit(key, "granite", 50, 50);
            assertTrue(lease.fail(503));
            Lease next = f.admit(key, "granite", 50, 50);
            assertTrue(next.allowed(), "the failed request's tokens and its request came back");
            f.engine.flushUsage(Duration.ofSeconds(5));
            UsageTotals totals = f.store.totals(UsageQuery.between(Instant.EPOCH, Instant.MAX)
                    .where(UsageDimension.USER, "alice"));
            assertEquals(1, totals.requests());
            assertEquals(0, totals.successfulRequests());
            assertEquals(0, totals.totalTokens());
            assertEquals(0, totals.cost().signum());
        }
    }

    @Test
    void abandonedLeaseIsChargedThePromptEstimateFlaggedEstimated() {
        try (EngineFixture f = new EngineFixture()) {
            try (Lease lease = f.admit(f.key("alice"), "granite", 70, 10)) {
                assertTrue(lease.allowed());
            }
            f.engine.flushUsage(Duration.ofSeconds(5));
            List<dev.maas4j.api.UsageEvent> events = new ArrayList<>();
            f.store.forEach(UsageQuery.between(Instant.EPOCH, Instant.MAX), events::add);
            assertEquals(1, events.size());
            assertEquals(Outcome.ABANDONED, events.get(0).outcome());
            assertTrue(events.get(0).estimated());
            assertEquals(70, events.get(0).promptTokens());
        }
    }
}
