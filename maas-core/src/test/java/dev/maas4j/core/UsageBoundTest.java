package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.core.usage.MalformedRequestException;
import dev.maas4j.core.usage.RequestInfo;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reported usage is believed up to what the request could produce (prompt estimate × 4 + 4,096,
 * {@code max_tokens × choices}); beyond, it is charged at that bound, flagged, logged and counted.
 * And whatever is charged, a window's debt and a {@code Retry-After} stay bounded.
 */
class UsageBoundTest {
    private static final ModelPrice PRICE = ModelPrice.usd("0.15", "0.60");

    private static UsageEvent onlyEvent(EngineFixture f) {
        assertTrue(f.engine.usage().flush(Duration.ofSeconds(5)));
        List<UsageEvent> events = new ArrayList<>();
        f.store.forEach(UsageQuery.between(Instant.EPOCH, Instant.MAX), events::add);
        assertEquals(1, events.size());
        return events.get(0);
    }

    private static double anomalies(EngineFixture f) {
        Counter counter = f.registry.find("maas.usage.anomalies").tag("model", "granite").tag("subscription", "free")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static Denial denial(Lease lease) {
        return lease.admission().denial().orElseThrow(() -> new AssertionError("admitted"));
    }

    /** What the engine writes to the log (slf4j-simple, standard error) while {@code action} runs. */
    private static String logOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void upstreamReportingATrillionTokensIsChargedTheBoundFlaggedLoggedAndCounted() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice");
            Lease lease = f.engine.admit(AdmissionRequest.builder(key, "granite").promptTokensEstimate(100)
                    .maxOutputTokens(256).requestId("req-anomaly").build());

            String log = logOf(() -> lease.complete(TokenUsage.reported(1_000_000_000_000L, 1_000_000_000_000L), 200));

            UsageEvent event = onlyEvent(f);
            assertTrue(event.anomalous());
            assertEquals(100 * 4 + 4_096, event.promptTokens());
            assertEquals(256, event.completionTokens());
            assertEquals(0, PRICE.cost(4_496, 256).compareTo(event.cost()), "cost " + event.cost());
            assertTrue(event.cost().compareTo(new BigDecimal("0.001")) < 0, "not $2,000,000: " + event.cost());
            assertEquals(1, anomalies(f));
            assertEquals(4_752, f.registry.find("authorized_hits").counter().count(), "metrics count the bound too");
            assertTrue(log.contains("WARN") && log.contains("req-anomaly") && log.contains("granite")
                    && log.contains("1000000000000") && log.contains("4496"), log);
            assertFalse(log.contains(key), "no secret in the log");

            Denial next = denial(f.admit(key, "granite"));
            assertEquals(DenialReason.QUOTA_EXCEEDED, next.reason());
            assertTrue(next.retryAfter().compareTo(Duration.ZERO) > 0
                    && next.retryAfter().compareTo(Duration.ofMinutes(3)) <= 0, "Retry-After " + next.retryAfter());
            f.time.advance(next.retryAfter());
            assertTrue(f.admit(key, "granite").allowed(), "admitted again once Retry-After has passed");
        }
    }

    @Test
    void usageUpToTheBoundIsChargedAsReported() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice");
            f.engine.admit(AdmissionRequest.builder(key, "granite").promptTokensEstimate(100).maxOutputTokens(20)
                    .choices(3).build()).complete(TokenUsage.reported(4_496, 60), 200);

            UsageEvent event = onlyEvent(f);
            assertFalse(event.anomalous());
            assertEquals(4_496, event.promptTokens());
            assertEquals(60, event.completionTokens(), "three choices of 20");
            assertEquals(0, anomalies(f));
        }
    }

    @Test
    void anEstimateBeyondTheBoundIsClampedButNotAnAnomaly() {
        try (EngineFixture f = new EngineFixture()) {
            f.admit(f.key("alice"), "granite", 10, 10).abort(TokenUsage.estimated(10, 40));

            UsageEvent event = onlyEvent(f);
            assertEquals(10, event.completionTokens(), "the model cannot have produced more than max_tokens");
            assertTrue(event.estimated());
            assertFalse(event.anomalous(), "the gateway's own estimate is no upstream anomaly");
            assertEquals(0, anomalies(f));
        }
    }

    @Test
    void theBoundFollowsTheEngineSettingsAndTheChoices() {
        try (EngineFixture f = new EngineFixture(b -> b.usageBoundPromptFactor(2).usageBoundPromptSlack(0)
                .usageBoundCompletionCeiling(5_000).defaultMaxOutputTokens(100))) {
            // no max_tokens: each of the 3 choices is believed up to the ceiling
            f.engine.admit(AdmissionRequest.builder(f.key("alice"), "granite").promptTokensEstimate(100).choices(3)
                    .build()).complete(TokenUsage.reported(500, 20_000), 200);

            UsageEvent event = onlyEvent(f);
            assertTrue(event.anomalous());
            assertEquals(200, event.promptTokens());
            assertEquals(15_000, event.completionTokens());
        }
    }

    @Test
    void builderChecksTheBoundSettings() {
        assertThrows(IllegalArgumentException.class, () -> MaasEngine.builder().usageBoundPromptFactor(0));
        assertThrows(IllegalArgumentException.class, () -> MaasEngine.builder().usageBoundPromptSlack(-1));
        assertThrows(IllegalArgumentException.class, () -> MaasEngine.builder().usageBoundCompletionCeiling(0));
        assertThrows(IllegalStateException.class,
                () -> MaasEngine.builder().usageBoundPromptSlack(1).usageBoundPromptSlack(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaasEngine.builder()
                .usageBoundCompletionCeiling(1_000).defaultMaxOutputTokens(2_000).build());
        assertEquals("usageBoundCompletionCeiling (1000) must not be below defaultMaxOutputTokens (2000)",
                e.getMessage());
    }

    @Test
    void maxTokensOfLongMaxValueIsAMalformedRequest() {
        MalformedRequestException e = assertThrows(MalformedRequestException.class, () -> RequestInfo.parse(
                "{\"model\":\"granite\",\"max_tokens\":9223372036854775807}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("'max_tokens' must be at most 10000000", e.getMessage());
    }

    @Test
    void absurdFiguresInAnAdmissionRequestAreRefusedOrBoundedNeverAnError() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice", KeyLimits.builder().budget(Budget.of("5", BudgetPeriod.MONTH)).build());
            Lease lease = f.engine.admit(AdmissionRequest.builder(key, "granite").promptTokensEstimate(Long.MAX_VALUE)
                    .maxOutputTokens(Long.MAX_VALUE).choices(Integer.MAX_VALUE).build());
            assertEquals(DenialReason.REQUEST_EXCEEDS_LIMIT, denial(lease).reason());
            assertEquals(400, denial(lease).httpStatus());
        }
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.EXPECTED))) {
            String key = f.key("alice", KeyLimits.builder().budget(Budget.of("5", BudgetPeriod.MONTH)).build());
            Lease lease = f.engine.admit(AdmissionRequest.builder(key, "granite").promptTokensEstimate(10)
                    .maxOutputTokens(Long.MAX_VALUE).choices(128).build());
            assertTrue(lease.allowed());
            assertTrue(lease.admission().reservedTokens() > 0);

            lease.complete(TokenUsage.reported(Long.MAX_VALUE, Long.MAX_VALUE), 200);

            UsageEvent event = onlyEvent(f);
            assertTrue(event.anomalous());
            assertEquals(10 * 4 + 4_096, event.promptTokens());
            assertEquals(RequestInfo.MAX_OUTPUT_TOKENS * 128, event.completionTokens(),
                    "max_tokens is believed up to the parser's ceiling");
            assertTrue(event.totalTokens() > 0);
            assertNull(f.admit(key, "granite").admission().denial().filter(d -> d.httpStatus() >= 500).orElse(null));
        }
    }

    @Test
    void oneSettlementPutsAWindowAtMostTwoWindowsIntoDebt() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.POST_PAID))) {
            String key = f.key("alice");
            // no max_tokens, so 900,000 completion tokens are plausible: not clamped
            f.engine.admit(AdmissionRequest.builder(key, "granite").promptTokensEstimate(10).build())
                    .complete(TokenUsage.reported(10, 900_000), 200);
            assertFalse(onlyEvent(f).anomalous());
            assertEquals(900_010, onlyEvent(f).totalTokens(), "the ledger is charged in full");

            Denial next = denial(f.admit(key, "granite"));
            assertEquals(DenialReason.QUOTA_EXCEEDED, next.reason());
            assertTrue(next.retryAfter().compareTo(Duration.ofMinutes(3)) <= 0,
                    "not the 900 minutes the debt would take to refill: " + next.retryAfter());
            f.time.advance(Duration.ofMinutes(3));
            assertTrue(f.admit(key, "granite").allowed());
        }
    }

    @Test
    void aChargeFarBeyondABudgetStillSpendsIt() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.POST_PAID))) {
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(1_000_000_000, "1m")).build());
            String key = f.key("alice", KeyLimits.builder().budget(Budget.of("0.01", BudgetPeriod.MONTH)).build());
            // 128 choices with no max_tokens may produce 128,000,000 tokens: 100,000,000 is believed
            f.engine.admit(AdmissionRequest.builder(key, "granite").promptTokensEstimate(10).choices(128).build())
                    .complete(TokenUsage.reported(10, 100_000_000), 200);
            UsageEvent event = onlyEvent(f);
            assertFalse(event.anomalous());
            assertEquals(0, PRICE.cost(10, 100_000_000).compareTo(event.cost()), "$60 in the ledger");

            // 6,000 budgets at once is a debt bucket4j cannot express; it used to be dropped whole
            assertEquals(DenialReason.BUDGET_EXCEEDED, denial(f.admit(key, "granite")).reason());
        }
    }
}
