package dev.maas4j.store.k8s;

import static dev.maas4j.store.k8s.MockCluster.GOVERNANCE_NS;
import static dev.maas4j.store.k8s.MockCluster.MODELS_NS;
import static dev.maas4j.store.k8s.MockCluster.PREMIUM_MODEL;
import static dev.maas4j.store.k8s.MockCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.store.k8s.internal.ResourceKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With write-back on, the store writes {@code status.phase} and its condition; with it off, nothing. */
class StatusWriteBackTest {
    private static final Duration WITHIN = Duration.ofSeconds(2);
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private MockCluster cluster;
    private KubernetesCatalogStore catalog;

    @BeforeEach
    void load() {
        cluster = new MockCluster().withSamples();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Map<String, Object> status(ResourceKind kind, String namespace, String name) {
        GenericKubernetesResource r = cluster.get(kind, namespace, name);
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) r.getAdditionalProperties().get("status");
        return status == null ? Map.of() : status;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> condition(Map<String, Object> status, String type) {
        Object conditions = status.get("conditions");
        if (!(conditions instanceof List<?> list)) {
            return Map.of();
        }
        return list.stream().map(c -> (Map<String, Object>) c).filter(c -> type.equals(c.get("type"))).findFirst()
                .orElse(Map.of());
    }

    @Test
    void validSubscriptionsAndPoliciesBecomeActive() {
        catalog = cluster.store(b -> b.statusWriteBack(true).clock(Clock.fixed(NOW, ZoneOffset.UTC)));

        await("the premium subscription is Active", WITHIN, () -> "Active".equals(
                status(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "premium-simulator-subscription").get("phase")));
        await("the premium policy is Active", WITHIN, () -> "Active".equals(
                status(ResourceKind.POLICY, GOVERNANCE_NS, "premium-simulator-access").get("phase")));
        Map<String, Object> accepted = condition(
                status(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "premium-simulator-subscription"),
                "maas4j.dev/Accepted");
        assertEquals("True", accepted.get("status"));
        assertEquals("Valid", accepted.get("reason"));
        assertEquals("2026-11-23T10:00:00Z", accepted.get("lastTransitionTime"));
    }

    @Test
    void modelsGetTheConditionButKeepThePhaseTheControllerOwns() {
        cluster.patchStatus(ResourceKind.MODEL, MODELS_NS, PREMIUM_MODEL, """
                {"status": {"phase": "Ready", "conditions": [{"type": "Ready", "status": "True", "reason": "Reconciled",
                 "message": "ok", "lastTransitionTime": "2026-01-01T00:00:00Z"}]}}""");
        catalog = cluster.store(b -> b.statusWriteBack(true));

        await("the model has the maas4j condition", WITHIN, () -> "True".equals(
                condition(status(ResourceKind.MODEL, MODELS_NS, PREMIUM_MODEL), "maas4j.dev/Accepted").get("status")));
        Map<String, Object> status = status(ResourceKind.MODEL, MODELS_NS, PREMIUM_MODEL);
        assertEquals("Ready", status.get("phase"));
        assertEquals("Reconciled", condition(status, "Ready").get("reason"), "the controller's condition is kept");
    }

    @Test
    void invalidSubscriptionFailsWithTheReasonInItsCondition() {
        cluster.applyFile("invalid/subscription-window-in-days.yaml");
        catalog = cluster.store(b -> b.statusWriteBack(true));

        await("the invalid subscription is Failed", WITHIN, () -> "Failed".equals(
                status(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "bad-window").get("phase")));
        Map<String, Object> accepted = condition(status(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "bad-window"),
                "maas4j.dev/Accepted");
        assertEquals("False", accepted.get("status"));
        assertEquals("InvalidSpec", accepted.get("reason"));
        assertTrue(((String) accepted.get("message")).startsWith(
                "spec.modelRefs[0].tokenRateLimits[0].window: Invalid value: \"1d\""), accepted.toString());
    }

    @Test
    void fixingAResourceTurnsItsStatusActive() {
        cluster.applyFile("invalid/subscription-limit-zero.yaml");
        catalog = cluster.store(b -> b.statusWriteBack(true));
        await("Failed", WITHIN, () -> "Failed".equals(
                status(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "zero-limit").get("phase")));

        cluster.replaceSpec(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "zero-limit", """
                owner: {users: [alice]}
                modelRefs:
                  - {name: premium-simulated-simulated-premium, namespace: llm,
                     tokenRateLimits: [{limit: 10, window: 1m}]}
                """);

        await("Active", WITHIN, () -> "Active".equals(
                status(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "zero-limit").get("phase")));
        assertTrue(catalog.findSubscription("zero-limit").isPresent());
    }

    @Test
    void writeBackIsOffByDefault() {
        cluster.applyFile("invalid/subscription-window-in-days.yaml");
        catalog = cluster.store();

        // build() returns after the first rebuild, which is where statuses would have been written
        assertEquals(1, catalog.rejections().size());
        assertNull(status(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "bad-window").get("phase"));
        assertNull(status(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "premium-simulator-subscription").get("phase"));
    }
}
