package dev.maas4j.core;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.EndpointKind;
import dev.maas4j.api.Granularity;
import dev.maas4j.api.Outcome;
import dev.maas4j.api.SubjectSet;
import dev.maas4j.api.Subscription;
import dev.maas4j.api.SubscriptionModel;
import dev.maas4j.api.TokenMetadata;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.api.UsageDimension;
import dev.maas4j.api.UsageEvent;
import dev.maas4j.api.UsageQuery;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UsageRecordingTest {

    private static List<UsageEvent> events(EngineFixture f) {
        assertTrue(f.engine.usage().flush(Duration.ofSeconds(5)));
        List<UsageEvent> events = new ArrayList<>();
        f.store.forEach(UsageQuery.between(Instant.EPOCH, Instant.MAX), events::add);
        return events;
    }

    @Test
    void settledRequestBecomesOneEventWithEverythingAboutIt() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev")).model("granite")
                    .tokenMetadata(new TokenMetadata("org-1", "cc-42", Map.of("team", "ml"))).build());
            String key = f.key("alice");
            Lease lease = f.engine.admit(AdmissionRequest.builder(key, "granite").stream(true)
                    .endpoint(EndpointKind.CHAT_COMPLETIONS).requestId("req-1").build());
            f.time.advance(Duration.ofMillis(250));
            lease.complete(TokenUsage.reported(1_200, 800), 200);
            UsageEvent event = events(f).get(0);
            assertEquals("req-1", event.requestId());
            assertEquals(f.engine.authenticate(key).key().orElseThrow().id(), event.keyId());
            assertEquals("alice", event.user());
            assertEquals(Set.of("dev"), event.groups());
            assertEquals("free", event.subscription());
            assertEquals("granite", event.model());
            assertEquals(1_200, event.promptTokens());
            assertEquals(800, event.completionTokens());
            assertFalse(event.estimated());
            assertTrue(event.streamed());
            assertEquals(Outcome.SUCCESS, event.outcome());
            assertEquals(Duration.ofMillis(250), Duration.between(event.startedAt(), event.endedAt()));
            // 1,200 × 0.15 / 1e6 + 800 × 0.60 / 1e6 = 0.00018 + 0.00048
            assertEquals(0, new BigDecimal("0.00066").compareTo(event.cost()));
            assertEquals("cc-42", event.chargeback().costCenter());
        }
    }

    @Test
    void estimatedUsageIsFlagged() {
        try (EngineFixture f = new EngineFixture()) {
            f.admit(f.key("alice"), "granite").abort(TokenUsage.estimated(10, 3));
            UsageEvent event = events(f).get(0);
            assertTrue(event.estimated());
            assertEquals(Outcome.CLIENT_ABORTED, event.outcome());
        }
    }

    @Test
    void costIsExactOverManyEvents() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev")).model("granite").build());
            String key = f.key("alice");
            for (int i = 0; i < 10_000; i++) {
                f.admit(key, "granite").complete(TokenUsage.reported(7, 3), 200);
            }
            assertTrue(f.engine.usage().flush(Duration.ofSeconds(10)));
            BigDecimal total = f.store.totals(UsageQuery.between(Instant.EPOCH, Instant.MAX)).cost();
            // 10,000 × (7 × 0.15 + 3 × 0.60) / 1e6 = 0.0285 exactly
            assertEquals(0, new BigDecimal("0.0285").compareTo(total), total.toPlainString());
        }
    }

    @Test
    void subscriptionBillingRateOverridesTheModelPrice() {
        try (EngineFixture f = new EngineFixture()) {
            f.store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev"))
                    .model(new SubscriptionModel("granite", "default", List.of(), List.of(),
                            Optional.of(new BigDecimal("0.000002")))).build());
            f.admit(f.key("alice"), "granite", 100, 50).complete(TokenUsage.reported(100, 50), 200);
            assertEquals(0, new BigDecimal("0.0003").compareTo(events(f).get(0).cost()));
        }
    }

    @Test
    void usageReportGivesTotalsAndAnHourlySeriesPerKey() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice");
            String keyId = f.engine.authenticate(key).key().orElseThrow().id();
            f.admit(key, "granite").complete(TokenUsage.reported(10, 10), 200);
            f.time.advance(Duration.ofHours(1));
            f.admit(key, "granite").complete(TokenUsage.reported(5, 5), 200);
            f.admit(key, "granite").fail(502);
            assertTrue(f.engine.usage().flush(Duration.ofSeconds(5)));
            UsageReport report = f.engine.usage().report(UsageQuery.between(Instant.EPOCH, Instant.MAX)
                    .where(UsageDimension.KEY, keyId), Granularity.HOUR);
            assertEquals(3, report.totals().requests());
            assertEquals(2.0 / 3, report.totals().successRate(), 1e-9);
            assertEquals(30, report.totals().totalTokens());
            assertEquals(2, report.series().size());
            assertEquals(20, report.series().get(0).totals().totalTokens());
        }
    }

    @Test
    void closeFlushesUsage() {
        InMemoryStore store = new InMemoryStore();
        store.setGroups("alice", "dev");
        store.putModel(dev.maas4j.api.ModelRef.builder("granite").build());
        store.putPolicy(dev.maas4j.api.AuthPolicy.of("p", SubjectSet.groups("dev"), "granite"));
        store.putSubscription(Subscription.builder("free").owner(SubjectSet.groups("dev")).model("granite").build());
        MaasEngine engine = MaasEngine.builder().store(store).usageFlushInterval(Duration.ofHours(1)).build();
        String key = engine.createKey(KeyRequest.builder(dev.maas4j.api.Subject.user("alice"), "k").build())
                .secret().reveal();
        for (int i = 0; i < 10; i++) {
            engine.admit(AdmissionRequest.builder(key, "granite").build()).complete(TokenUsage.reported(1, 1), 200);
        }
        assertEquals(0, store.totals(UsageQuery.between(Instant.EPOCH, Instant.MAX)).requests(),
                "nothing is written before the flush interval");
        engine.close();
        assertEquals(10, store.totals(UsageQuery.between(Instant.EPOCH, Instant.MAX)).requests());
    }

    @Test
    void metricsUseKuadrantNames() {
        try (EngineFixture f = new EngineFixture()) {
            String key = f.key("alice", dev.maas4j.api.KeyLimits.builder().requestsPerMinute(1).build());
            f.admit(key, "granite", 30, 12).complete(TokenUsage.reported(30, 12), 200);
            f.admit(key, "granite");
            assertEquals(1.0, f.registry.get("authorized_calls").tag("model", "granite")
                    .tag("subscription", "free").counter().count());
            assertEquals(42.0, f.registry.get("authorized_hits").tag("model", "granite").counter().count());
            assertEquals(1.0, f.registry.get("limited_calls").tag("model", "granite")
                    .tag("reason", "request_rate_limited").counter().count());
            assertEquals(1, f.registry.get("maas.request.duration").timer().count());
        }
    }
}
