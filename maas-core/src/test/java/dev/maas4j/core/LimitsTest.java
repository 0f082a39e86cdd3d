package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.RateLimitStatus;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.api.TokenUsage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitsTest {

    private static Denial denial(Lease lease) {
        return lease.admission().denial().orElseThrow();
    }

    @Test
    void requestsPerMinuteRefusesWith429AndACorrectRetryAfter() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice", KeyLimits.builder().requestsPerMinute(3).build());
            for (int i = 0; i < 3; i++) {
                try (Lease lease = f.admit(key, "granite")) {
                    assertTrue(lease.allowed());
                    assertEquals(3 - i - 1, lease.admission().rateLimits().remainingRequests());
                    assertEquals(3, lease.admission().rateLimits().requestLimit());
                    lease.complete(TokenUsage.reported(1, 1), 200);
                }
            }
            f.time.advance(Duration.ofSeconds(20));
            Lease refused = f.admit(key, "granite");
            assertEquals(DenialReason.REQUEST_RATE_LIMITED, denial(refused).reason());
            assertEquals(429, denial(refused).httpStatus());
            assertEquals(Duration.ofSeconds(40), denial(refused).retryAfter());
            assertEquals(0, refused.admission().rateLimits().remainingRequests());
            f.time.advance(Duration.ofSeconds(40));
            assertTrue(f.admit(key, "granite").allowed());
        }
    }

    @Test
    void tokensPerMinuteCountsReservedThenReconciledTokens() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice", KeyLimits.builder().tokensPerMinute(100).build());
            try (Lease first = f.admit(key, "granite", 30, 30)) {
                assertTrue(first.allowed());
                assertEquals(40, first.admission().rateLimits().remainingTokens());
                // a second worst case of 60 does not fit while the first holds its reservation
                assertEquals(DenialReason.TOKEN_RATE_LIMITED, denial(f.admit(key, "granite", 30, 30)).reason());
                first.complete(TokenUsage.reported(30, 5), 200); // 25 reserved tokens come back
            }
            try (Lease second = f.admit(key, "granite", 30, 30)) {
                assertTrue(second.allowed());
                assertEquals(5, second.admission().rateLimits().remainingTokens());
            }
        }
    }

    @Test
    void maxParallelRequestsAreCountedUntilSettled() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice", KeyLimits.builder().maxParallelRequests(2).build());
            Lease a = f.admit(key, "granite");
            Lease b = f.admit(key, "granite");
            assertTrue(a.allowed() && b.allowed());
            assertEquals(DenialReason.TOO_MANY_PARALLEL_REQUESTS, denial(f.admit(key, "granite")).reason());
            a.fail(502);
            assertTrue(f.admit(key, "granite").allowed());
        }
    }

    @Test
    void subscriptionWindowIsCountedPerUserAndRefillsAtTheWindow() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.POST_PAID))) {
            f.store.setGroups("bob", "dev");
            String alice = f.key("alice");
            String alice2 = f.key("alice");
            try (Lease lease = f.admit(alice, "granite", 400, 600)) {
                lease.complete(TokenUsage.reported(400, 600), 200);
            }
            Lease refused = f.admit(alice2, "granite");
            assertEquals(DenialReason.QUOTA_EXCEEDED, denial(refused).reason(),
                    "both of alice's keys share her window");
            assertEquals(Duration.ofMinutes(1), denial(refused).retryAfter());
            assertTrue(f.admit(f.key("bob"), "granite").allowed(), "bob has a window of his own");
            f.time.advance(Duration.ofMinutes(1));
            assertTrue(f.admit(alice, "granite").allowed());
        }
    }

    @Test
    void subscriptionRequestWindowsApply() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model(new SubscriptionModel("granite", "default", List.of(), List.of(RateLimit.of(2, "30s")),
                            Optional.empty())).build());
            String key = f.key("alice");
            assertTrue(f.admit(key, "granite").allowed());
            assertTrue(f.admit(key, "granite").allowed());
            Lease refused = f.admit(key, "granite");
            assertEquals(DenialReason.QUOTA_EXCEEDED, denial(refused).reason());
            assertEquals(Duration.ofSeconds(30), denial(refused).retryAfter());
        }
    }

    @Test
    void loweredLimitTakesEffectKeepingWhatWasConsumed() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.POST_PAID))) {
            String key = f.key("alice");
            try (Lease lease = f.admit(key, "granite")) {
                lease.complete(TokenUsage.reported(300, 0), 200);
            }
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(300, "1m")).build());
            assertEquals(DenialReason.QUOTA_EXCEEDED, denial(f.admit(key, "granite")).reason());
        }
    }

    @Test
    void keyBudgetRefusesOnceSpentAndResetsAtTheNextPeriod() {
        // granite costs 0.15 per million prompt tokens: 1,000,000 prompt tokens cost 0.15
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.POST_PAID))) {
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite").build());
            String key = f.key("alice", KeyLimits.builder().budget(Budget.of("0.30", BudgetPeriod.DAY)).build());
            for (int i = 0; i < 2; i++) {
                try (Lease lease = f.admit(key, "granite", 1_000_000, 0)) {
                    assertTrue(lease.allowed());
                    lease.complete(TokenUsage.reported(1_000_000, 0), 200);
                }
            }
            Lease refused = f.admit(key, "granite");
            assertEquals(DenialReason.BUDGET_EXCEEDED, denial(refused).reason());
            Instant midnight = Instant.parse("2026-03-03T00:00:00Z");
            assertEquals(Duration.between(f.time.now(), midnight), denial(refused).retryAfter());
            f.time.set(midnight);
            assertTrue(f.admit(key, "granite").allowed());
        }
    }

    @Test
    void weeklyAndMonthlyBudgetsResetAtCalendarBoundariesInTheConfiguredZone() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        Budgets budgets = new Budgets(Map.of("alice", Budget.of("0.15", BudgetPeriod.WEEK)),
                Map.of("dev", Budget.of("0.30", BudgetPeriod.MONTH)), Optional.empty());
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.POST_PAID)
                .budgets(budgets).budgetZone(paris))) {
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite").build());
            f.store.setGroups("bob", "dev");
            String alice = f.key("alice");
            String bob = f.key("bob");
            try (Lease lease = f.admit(alice, "granite", 1_000_000, 0)) {
                lease.complete(TokenUsage.reported(1_000_000, 0), 200);
            }
            Lease weekly = f.admit(alice, "granite");
            assertEquals(DenialReason.BUDGET_EXCEEDED, denial(weekly).reason());
            // 2026-03-02 is a Monday: the week ends Monday 9 March, midnight in Paris
            assertEquals(Instant.parse("2026-03-08T23:00:00Z"), f.time.now().plus(denial(weekly).retryAfter()));
            try (Lease lease = f.admit(bob, "granite", 1_000_000, 0)) {
                assertTrue(lease.allowed(), "bob has no user budget; the group still has 0.15 left");
                lease.complete(TokenUsage.reported(1_000_000, 0), 200);
            }
            Lease monthly = f.admit(bob, "granite");
            assertEquals(DenialReason.BUDGET_EXCEEDED, denial(monthly).reason());
            assertEquals(Instant.parse("2026-03-31T22:00:00Z"), f.time.now().plus(denial(monthly).retryAfter()));
            f.time.set(Instant.parse("2026-03-08T23:00:00Z"));
            assertEquals(DenialReason.BUDGET_EXCEEDED, denial(f.admit(alice, "granite")).reason(),
                    "alice's week is over but the group's month is not");
            f.time.set(Instant.parse("2026-03-31T22:00:00Z"));
            assertTrue(f.admit(alice, "granite").allowed());
        }
    }

    @Test
    void embeddingsReserveNoCompletionTokens() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice");
            Lease lease = f.engine.admit(AdmissionRequest.builder(key, "granite").endpoint(EndpointKind.EMBEDDINGS)
                    .promptTokensEstimate(100).build());
            assertEquals(100, lease.admission().reservedTokens());
            RateLimitStatus status = lease.admission().rateLimits();
            assertEquals(900, status.remainingTokens());
        }
    }

    @Test
    void refusedRequestLeavesNoTraceInOtherBuckets() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice", KeyLimits.builder().requestsPerMinute(100).build());
            Lease big = f.admit(key, "granite", 600, 300);
            assertTrue(big.allowed());
            assertFalse(f.admit(key, "granite", 100, 100).allowed(), "only 100 tokens are left in the window");
            Lease next = f.admit(key, "granite", 50, 50);
            assertTrue(next.allowed());
            assertEquals(98, next.admission().rateLimits().remainingRequests(),
                    "the refused request gave its request back");
        }
    }
}
