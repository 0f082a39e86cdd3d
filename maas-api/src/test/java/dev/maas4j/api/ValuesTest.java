package dev.maas4j.api;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValuesTest {

    @Test
    void windowsParseTheCrdSyntaxAndRejectTheRest() {
        assertEquals(Duration.ofSeconds(30), RateLimit.parseWindow("30s"));
        assertEquals(Duration.ofMinutes(1), RateLimit.parseWindow("1m"));
        assertEquals(Duration.ofHours(24), RateLimit.parseWindow("24h"));
        assertEquals(Duration.ofHours(9999), RateLimit.parseWindow("9999h"));
        for (String bad : new String[] {"0s", "01m", "10000s", "1d", "1", "m", " 1m", "1.5h", "-1m"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateLimit.parseWindow(bad));
            assertTrue(e.getMessage().contains("window"), e.getMessage());
        }
        assertEquals("1h", RateLimit.of(5, "60m").windowText());
        assertEquals("90s", RateLimit.of(5, "90s").windowText());
    }

    @Test
    void limitsOutsideTheCrdRangeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> RateLimit.of(0, "1m"));
        assertThrows(IllegalArgumentException.class, () -> RateLimit.of(1_000_000_001L, "1m"));
        assertEquals(1_000_000_000L, RateLimit.of(1_000_000_000L, "1m").limit());
    }

    @Test
    void scopeRestrictsOnlyTheKindsItNames() {
        assertTrue(KeyScope.UNRESTRICTED.allowsModel("anything"));
        KeyScope models = KeyScope.models("a", "b");
        assertTrue(models.allowsModel("a"));
        assertFalse(models.allowsModel("c"));
        assertTrue(models.allows(AssetKind.MCP_SERVER, "tools"), "MCP servers are not restricted by a models scope");
        KeyScope mcpOnly = new KeyScope(Set.of(new AssetRef(AssetKind.MCP_SERVER, "tools")));
        assertTrue(mcpOnly.allowsModel("any-model"));
        assertFalse(mcpOnly.allows(AssetKind.MCP_SERVER, "other"));
    }

    @Test
    void budgetPeriodsFollowTheCalendarInTheGivenZone() {
        Instant sunday = Instant.parse("2026-03-08T22:30:00Z"); // Sunday 23:30 in Paris
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertEquals(Instant.parse("2026-03-01T23:00:00Z"), BudgetPeriod.WEEK.start(sunday, paris).toInstant());
        assertEquals(Instant.parse("2026-03-08T23:00:00Z"), BudgetPeriod.WEEK.end(sunday, paris).toInstant());
        assertEquals(Instant.parse("2026-03-09T00:00:00Z"), BudgetPeriod.DAY.end(sunday, ZoneOffset.UTC).toInstant());
        assertEquals(Instant.parse("2026-03-31T22:00:00Z"), BudgetPeriod.MONTH.end(sunday, paris).toInstant(),
                "April starts in summer time");
        assertEquals(BudgetPeriod.MONTH, BudgetPeriod.parse("Monthly"));
        assertThrows(IllegalArgumentException.class, () -> BudgetPeriod.parse("yearly"));
    }

    @Test
    void secretsNeverShowInToString() {
        Secret secret = Secret.of("sk-oai-abc_def");
        assertFalse(secret.toString().contains("abc"));
        assertEquals(secret, Secret.of("sk-oai-abc_def"));
        AdmissionRequest request = AdmissionRequest.builder("sk-oai-abc_def", "m").build();
        assertFalse(request.toString().contains("abc_def"), request.toString());
        SecretHash hash = SecretHash.of(new byte[32]);
        assertFalse(hash.toString().contains("00"));
        assertEquals(hash, SecretHash.fromHex(hash.toHex()));
    }

    @Test
    void admissionRequestCountsChoicesFromOne() {
        assertEquals(1, AdmissionRequest.builder("sk-oai-x", "m").build().choices());
        assertEquals(50, AdmissionRequest.builder("sk-oai-x", "m").choices(50).build().choices());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdmissionRequest.builder("sk-oai-x", "m").choices(0));
        assertTrue(e.getMessage().contains("choices"), e.getMessage());
        AdmissionRequest old = new AdmissionRequest(Optional.empty(), "m", EndpointKind.CHAT_COMPLETIONS, 1,
                java.util.OptionalLong.of(2), false, Optional.empty(), "r1");
        assertEquals(1, old.choices(), "the constructor without choices asks for one");
    }

    @Test
    void requestExceedingItsLimitIsAClientError() {
        assertEquals(400, DenialReason.REQUEST_EXCEEDS_LIMIT.httpStatus());
        assertEquals("invalid_request_error", DenialReason.REQUEST_EXCEEDS_LIMIT.errorType());
        assertEquals("request_exceeds_limit", DenialReason.REQUEST_EXCEEDS_LIMIT.errorCode());
    }

    @Test
    void totalTokensSaturateInsteadOfTurningNegative() {
        assertEquals(Long.MAX_VALUE, TokenUsage.reported(Long.MAX_VALUE, Long.MAX_VALUE).totalTokens());
        assertEquals(3, TokenUsage.reported(1, 2).totalTokens());
    }

    @Test
    void usageEventIsNotAnomalousUnlessSaidSo() {
        Instant t = Instant.parse("2026-03-02T10:00:00Z");
        UsageEvent plain = new UsageEvent("r1", "k", "u", Set.of(), "s", "m", EndpointKind.CHAT_COMPLETIONS,
                TokenUsage.reported(1, 2), BigDecimal.ZERO, 200, Outcome.SUCCESS, t, t, false, TokenMetadata.NONE);
        assertFalse(plain.anomalous());
        UsageEvent flagged = new UsageEvent("r1", "k", "u", Set.of(), "s", "m", EndpointKind.CHAT_COMPLETIONS,
                TokenUsage.reported(1, 2), BigDecimal.ZERO, 200, Outcome.SUCCESS, t, t, false, TokenMetadata.NONE,
                true);
        assertTrue(flagged.anomalous());
    }

    @Test
    void modelPriceCostIsExact() {
        ModelPrice price = ModelPrice.usd("0.15", "0.60");
        assertEquals(0, new BigDecimal("0.00066").compareTo(price.cost(1_200, 800)));
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < 1_000_000; i++) {
            sum = sum.add(price.cost(1, 1));
        }
        assertEquals(0, new BigDecimal("0.75").compareTo(sum));
    }

    @Test
    void keyStatusRevokedWinsOverExpired() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        ApiKey key = ApiKey.builder().id("id").name("n").owner(Subject.user("u")).secretHash(SecretHash.of(new byte[32]))
                .displayPrefix("sk-oai-id").createdAt(now).expiresAt(now.plusSeconds(60)).build();
        assertEquals(KeyStatus.ACTIVE, key.status(now));
        assertEquals(KeyStatus.EXPIRED, key.status(now.plusSeconds(60)));
        assertEquals(KeyStatus.REVOKED, key.toBuilder().revokedAt(now).build().status(now.plusSeconds(60)));
        assertThrows(IllegalArgumentException.class, () -> key.toBuilder().expiresAt(Optional.of(now.minusSeconds(1)))
                .build());
    }

    @Test
    void admissionHoldsExactlyOneOfGrantAndDenial() {
        assertThrows(IllegalArgumentException.class, () -> new Admission("r", Optional.empty(), Optional.empty(),
                RateLimitStatus.NONE, 0));
        Admission denied = Admission.denied("r", Denial.of(DenialReason.INVALID_KEY, "bad"), RateLimitStatus.NONE);
        assertFalse(denied.allowed());
        assertEquals(401, denied.denial().orElseThrow().httpStatus());
        assertEquals(2, new Denial(DenialReason.QUOTA_EXCEEDED, "x", Duration.ofMillis(1500)).retryAfterSeconds());
    }

    @Test
    void subjectSetsMatchUsersAndGroups() {
        SubjectSet set = SubjectSet.of(Set.of("dev"), Set.of("bob"));
        assertTrue(set.includes(Identity.of("alice", "dev")));
        assertTrue(set.includes(Identity.of("bob")));
        assertFalse(set.includes(Identity.of("carol", "ops")));
        assertThrows(IllegalArgumentException.class, () -> Identity.of(" "));
    }

    @Test
    void endpointKindsFromPaths() {
        assertEquals(EndpointKind.CHAT_COMPLETIONS, EndpointKind.fromPath("/ns/m/v1/chat/completions"));
        assertEquals(EndpointKind.COMPLETIONS, EndpointKind.fromPath("/v1/completions"));
        assertEquals(EndpointKind.EMBEDDINGS, EndpointKind.fromPath("/v1/embeddings"));
        assertEquals(EndpointKind.RESPONSES, EndpointKind.fromPath("/v1/responses"));
        assertEquals(EndpointKind.MESSAGES, EndpointKind.fromPath("/v1/messages"));
        assertFalse(EndpointKind.EMBEDDINGS.generates());
    }
}
