package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.Budget;
import dev.maas4j.api.BudgetPeriod;
import dev.maas4j.api.Denial;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.KeyLimits;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageQuery;
import dev.maas4j.api.UsageTotals;
import dev.maas4j.api.RateLimit;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.core.usage.MediaEstimates;
import dev.maas4j.core.usage.RequestInfo;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bound of each strategy: {@code N} requests in flight against a window of 1,000 tokens, each
 * with a prompt of 10 and {@code max_tokens} of 200, each really using all 210 tokens; then the
 * requests whose reservation used to miss what they really use (several choices, a
 * {@code max_tokens} beyond the window, images, non-Latin text), 64 at once with the usage a real
 * model reports.
 */
class ReservationTest {
    private static final int IN_FLIGHT = 20;
    private static final int AT_ONCE = 64;

    /** What a burst of requests in flight together admitted and spent. */
    private record Burst(int admitted, long tokens, BigDecimal cost) {
    }

    /**
     * Sends {@code requests} from as many threads; each admitted request is settled with
     * {@code usage} only once every request was decided, so all admitted requests are in flight
     * together.
     */
    private static Burst atOnce(EngineFixture f, int requests, Supplier<AdmissionRequest> request, TokenUsage usage)
            throws InterruptedException {
        CountDownLatch decided = new CountDownLatch(requests);
        List<Lease> admitted = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            Thread thread = new Thread(() -> {
                Lease lease = f.engine.admit(request.get());
                if (lease.allowed()) {
                    admitted.add(lease);
                }
                decided.countDown();
                try {
                    decided.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                lease.complete(usage, 200);
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(f.engine.usage().flush(Duration.ofSeconds(10)));
        UsageTotals totals = f.store.totals(UsageQuery.between(Instant.EPOCH, Instant.MAX));
        assertEquals(admitted.size(), totals.requests());
        return new Burst(admitted.size(), totals.totalTokens(), totals.cost());
    }

    private static RequestInfo parse(String body) {
        return RequestInfo.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static AdmissionRequest request(String key, RequestInfo info) {
        AdmissionRequest.Builder builder = AdmissionRequest.builder(key, "granite")
                .promptTokensEstimate(info.promptTokensEstimate()).choices(info.choices());
        info.maxOutputTokens().ifPresent(builder::maxOutputTokens);
        return builder.build();
    }

    private static Denial denial(Lease lease) {
        return lease.admission().denial().orElseThrow(() -> new AssertionError("admitted"));
    }

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
            f.engine.usage().flush(Duration.ofSeconds(5));
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
            try (Lease lease = f.admit(key, "granite", 1_000, 1_500)) {
                lease.complete(TokenUsage.reported(1_000, 1_500), 200);
            }
            assertEquals(DenialReason.QUOTA_EXCEEDED, f.admit(key, "granite").admission().denial().orElseThrow().reason());
            f.time.advance(Duration.ofMinutes(1));
            // 2,500 used against 1,000: a debt of 1,000 once the settlement's charge is capped at two
            // windows beyond its reservation of nothing, more than one window refills
            assertFalse(f.admit(key, "granite").allowed(), "the debt outlasts one window");
            f.time.advance(Duration.ofMinutes(1));
            assertTrue(f.admit(key, "granite").allowed());
        }
    }

    @Test
    void expectedAdmitsARequestLargerThanTheWholeWindowOnlyIntoAFullWindow() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.EXPECTED)
                .expectedOutputTokens(8_000))) {
            String key = f.key("alice");
            Lease huge = f.admit(key, "granite", 100, 8_000);
            assertTrue(huge.allowed(), "EXPECTED caps its reservation at the window: big requests are not locked out");
            assertFalse(f.admit(key, "granite", 1, 1).allowed());
        }
    }

    // ----------------------------------------------------------------- what a request asks for

    @Test
    void worstCaseCountsEveryChoiceOfN() throws InterruptedException {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice");
            RequestInfo info = parse("{\"model\":\"granite\",\"n\":50,\"max_tokens\":15,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Name a colour.\"}]}");
            long prompt = info.promptTokensEstimate();
            // a real model answers 50 choices of up to 15 tokens each
            Burst burst = atOnce(f, AT_ONCE, () -> request(key, info), TokenUsage.reported(prompt, 50 * 15));

            assertEquals(1, burst.admitted(), "one worst case of " + (prompt + 50 * 15) + " fits in 1,000");
            assertTrue(burst.tokens() <= 1_000, "WORST_CASE with exact prompts stays within the window: "
                    + burst.tokens());
        }
    }

    @Test
    void worstCaseRefusesAMaxTokensLargerThanTheWindowAsAClientError() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice");
            Lease huge = f.admit(key, "granite", 10, 5_000);

            Denial denial = denial(huge);
            assertEquals(DenialReason.REQUEST_EXCEEDS_LIMIT, denial.reason());
            assertEquals(400, denial.httpStatus());
            assertEquals(Duration.ZERO, denial.retryAfter(), "waiting does not help");
            assertEquals("This request can never be admitted: it reserves 5010 tokens (a prompt estimate of 10"
                    + " + max_tokens 5000), more than the whole of the subscription 'free' quota of 1000 tokens"
                    + " per 1m; the largest max_tokens that fits is 990", denial.message());
            assertEquals(0, f.admit(key, "granite", 10, 990).admission().rateLimits().remainingTokens(),
                    "the refusal took nothing, and the largest max_tokens it named fits exactly");
        }
    }

    @Test
    void worstCaseRefusalNamesTheLargestMaxTokensPerChoiceAndTheDefaultAssumed() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice");
            String perChoice = denial(f.engine.admit(AdmissionRequest.builder(key, "granite").promptTokensEstimate(10)
                    .maxOutputTokens(15).choices(100).build())).message();
            assertTrue(perChoice.contains("max_tokens 15 x 100 choices") && perChoice.endsWith(
                    "the largest max_tokens that fits is 9 per choice"), perChoice);

            String absent = denial(f.engine.admit(AdmissionRequest.builder(key, "granite").promptTokensEstimate(10)
                    .build())).message();
            assertTrue(absent.contains("max_tokens 4096 (the default: the request sets none)"), absent);

            Denial prompt = denial(f.admit(key, "granite", 1_500, 1));
            assertEquals(DenialReason.REQUEST_EXCEEDS_LIMIT, prompt.reason());
            assertTrue(prompt.message().endsWith("the prompt alone does not fit"), prompt.message());
        }
    }

    @Test
    void worstCaseRefusesARequestLargerThanTheWholeBudget() {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(1_000_000, "1m")).build());
            // 0.60 per million completion tokens: one cent buys 16,666 of them
            String key = f.key("alice", KeyLimits.builder().budget(Budget.of("0.01", BudgetPeriod.MONTH)).build());

            Denial denial = denial(f.admit(key, "granite", 100, 20_000));

            assertEquals(DenialReason.REQUEST_EXCEEDS_LIMIT, denial.reason());
            // 100 prompt tokens cost 0.000015: 0.009985 is left for 16,641.67 completion tokens
            assertTrue(denial.message().contains("the API key's budget of 0.01 per month"), denial.message());
            assertTrue(denial.message().endsWith("the largest max_tokens that fits is 16641"), denial.message());
            assertTrue(f.admit(key, "granite", 100, 16_641).allowed());
        }
    }

    @Test
    void imageGivenAsADataUrlReservesItsEstimate() throws InterruptedException {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice");
            String body = "{\"model\":\"granite\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
                    + "{\"type\":\"text\",\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":"
                    + "{\"url\":\"data:image/png;base64," + "iVBORw0KGgo".repeat(2_000) + "\"}}]}]}";
            // GPT-4o counts a 1024 x 1024 image at high detail as 765 tokens
            RequestInfo info = RequestInfo.parse(body.getBytes(StandardCharsets.UTF_8), new MediaEstimates(765, 0, 0));
            Burst burst = atOnce(f, AT_ONCE, () -> request(key, info), TokenUsage.reported(765 + 14, 10));

            assertEquals(1, burst.admitted());
            assertTrue(info.promptTokensEstimate() >= 765, "estimate " + info.promptTokensEstimate());
            f.time.advance(Duration.ofMinutes(1));
            assertEquals(info.promptTokensEstimate() + 10,
                    f.engine.admit(request(key, info)).admission().reservedTokens());
            assertTrue(burst.tokens() <= 1_000, "spent " + burst.tokens());
            assertEquals(DenialReason.REQUEST_EXCEEDS_LIMIT, denial(f.engine.admit(request(key, parse(body)))).reason(),
                    "at the default 1,600 tokens an image, this request never fits a window of 1,000");
        }
    }

    @Test
    void nonLatinPromptIsNotUndercounted() throws InterruptedException {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.WORST_CASE))) {
            String key = f.key("alice");
            String cjk = "\u8bf7\u603b\u7ed3\u8fd9\u6bb5\u6587\u5b57\u3002".repeat(50); // 400 characters
            RequestInfo info = parse("{\"model\":\"granite\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"" + cjk + "\"}]}");
            assertTrue(info.promptTokensEstimate() >= 400, "estimate " + info.promptTokensEstimate());

            // a tokenizer of the GPT-4o family counts about one token per such character
            Burst burst = atOnce(f, AT_ONCE, () -> request(key, info), TokenUsage.reported(400, 10));

            assertEquals(2, burst.admitted());
            assertTrue(burst.tokens() <= 1_000, "spent " + burst.tokens());
        }
    }

    @Test
    void expectedOnAKeyBudgetStaysWithinItsStatedBoundIncludingChoices() throws InterruptedException {
        try (EngineFixture f = new EngineFixture(b -> b.reservationStrategy(ReservationStrategy.EXPECTED)
                .expectedOutputTokens(10))) {
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model("granite", RateLimit.of(1_000_000, "1m")).build());
            BigDecimal budget = new BigDecimal("0.001");
            String key = f.key("alice", KeyLimits.builder().budget(new Budget(budget, BudgetPeriod.MONTH)).build());
            long prompt = 10;
            long maxTokens = 100;
            int choices = 4;

            Burst burst = atOnce(f, AT_ONCE, () -> AdmissionRequest.builder(key, "granite").promptTokensEstimate(prompt)
                    .maxOutputTokens(maxTokens).choices(choices).build(),
                    TokenUsage.reported(prompt, maxTokens * choices));

            // the README: N x price of (max_tokens - min(max_tokens, expectedOutputTokens)) x choices, plus the
            // prompt estimation error (none here), with N the requests in flight
            BigDecimal unreserved = dev.maas4j.api.ModelPrice.usd("0.15", "0.60").cost(0, (maxTokens - 10) * choices);
            BigDecimal bound = budget.add(unreserved.multiply(BigDecimal.valueOf(burst.admitted())));
            assertTrue(burst.cost().compareTo(budget) > 0, "EXPECTED does overshoot a budget: " + burst.cost());
            assertTrue(burst.cost().compareTo(bound) <= 0, "spent " + burst.cost() + " beyond the bound " + bound);
            assertEquals(39, burst.admitted(), "each reserves the price of 10 + 10 x 4 tokens: 39 fit in 0.001");
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
            f.engine.usage().flush(Duration.ofSeconds(5));
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
            f.engine.usage().flush(Duration.ofSeconds(5));
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
            f.engine.usage().flush(Duration.ofSeconds(5));
            List<dev.maas4j.api.UsageEvent> events = new ArrayList<>();
            f.store.forEach(UsageQuery.between(Instant.EPOCH, Instant.MAX), events::add);
            assertEquals(1, events.size());
            assertEquals(Outcome.ABANDONED, events.get(0).outcome());
            assertTrue(events.get(0).estimated());
            assertEquals(70, events.get(0).promptTokens());
        }
    }
}
