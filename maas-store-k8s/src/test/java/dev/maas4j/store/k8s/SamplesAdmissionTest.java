package dev.maas4j.store.k8s;

import static dev.maas4j.store.k8s.MockCluster.FREE_MODEL;
import static dev.maas4j.store.k8s.MockCluster.GOVERNANCE_NS;
import static dev.maas4j.store.k8s.MockCluster.MODELS_NS;
import static dev.maas4j.store.k8s.MockCluster.PREMIUM_MODEL;
import static dev.maas4j.store.k8s.MockCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.AdmissionRequest;
import dev.maas4j.api.DenialReason;
import dev.maas4j.api.Subject;
import dev.maas4j.api.TokenUsage;
import dev.maas4j.core.InMemoryStore;
import dev.maas4j.core.KeyRequest;
import dev.maas4j.core.Lease;
import dev.maas4j.core.MaasEngine;
import dev.maas4j.core.ReservationStrategy;
import dev.maas4j.store.k8s.internal.ResourceKind;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Open Data Hub's six sample resources, read from a mock API server, govern a real engine: keys and
 * usage in memory, the catalog from Kubernetes. Changes made with the Kubernetes API reach the
 * engine within a second, with the engine's own periodic refresh pushed out to an hour.
 */
class SamplesAdmissionTest {
    private static final Duration WITHIN = Duration.ofSeconds(1);

    private MockCluster cluster;
    private KubernetesCatalogStore catalog;
    private MaasEngine engine;
    private String alice;   // premium-user
    private String bob;     // authenticated only

    @BeforeEach
    void start() {
        cluster = new MockCluster().withSamples();
        catalog = cluster.store();
        InMemoryStore keys = new InMemoryStore()
                .setGroups("alice", "system:authenticated", "premium-user")
                .setGroups("bob", "system:authenticated");
        engine = MaasEngine.builder().catalogStore(catalog).keyStore(keys).ledger(keys).directory(keys)
                .reservationStrategy(ReservationStrategy.WORST_CASE)
                .catalogRefreshInterval(Duration.ofHours(1)).build();
        alice = engine.createKey(KeyRequest.builder(Subject.user("alice"), "test").build()).secret().reveal();
        bob = engine.createKey(KeyRequest.builder(Subject.user("bob"), "test").build()).secret().reveal();
    }

    @AfterEach
    void stop() {
        engine.close();
        cluster.close();
    }

    private Lease admit(String key, String model, long tokens) {
        return engine.admit(AdmissionRequest.builder(key, model).promptTokensEstimate(tokens / 2)
                .maxOutputTokens(tokens - tokens / 2).build());
    }

    /** Whether a request of {@code tokens} is admitted; if it is, it uses them all. */
    private boolean allowed(String key, String model, long tokens) {
        return outcome(key, model, tokens) == null;
    }

    /** Why a request of {@code tokens} is denied, or {@code null} if it is admitted (and uses them all). */
    private DenialReason outcome(String key, String model, long tokens) {
        try (Lease lease = admit(key, model, tokens)) {
            if (lease.allowed()) {
                lease.complete(TokenUsage.reported(tokens / 2, tokens - tokens / 2), 200);
                return null;
            }
            return lease.admission().denial().orElseThrow().reason();
        }
    }

    private DenialReason denial(String key, String model, long tokens) {
        DenialReason reason = outcome(key, model, tokens);
        assertNotNull(reason, "expected a denial");
        return reason;
    }

    @Test
    void premiumUserGetsThePremiumModel() {
        assertTrue(allowed(alice, PREMIUM_MODEL, 10));
    }

    @Test
    void freeUserIsNotAuthorizedForThePremiumModel() {
        assertEquals(DenialReason.NOT_AUTHORIZED, denial(bob, PREMIUM_MODEL, 10));
    }

    @Test
    void everyAuthenticatedUserGetsTheFreeModel() {
        assertTrue(allowed(bob, FREE_MODEL, 10));
        assertTrue(allowed(alice, FREE_MODEL, 10));
    }

    @Test
    void unknownModelIsNotFound() {
        assertEquals(DenialReason.MODEL_NOT_FOUND, denial(alice, "no-such-model", 10));
    }

    @Test
    void premiumSubscriptionEnforcesOneThousandTokensPerMinute() {
        try (Lease first = admit(alice, PREMIUM_MODEL, 600)) {
            assertTrue(first.allowed());
            // the first request's reservation of 600 leaves 400 of the 1000
            assertEquals(DenialReason.QUOTA_EXCEEDED, denial(alice, PREMIUM_MODEL, 600));
            first.complete(TokenUsage.reported(300, 300), 200);
        }
        assertTrue(allowed(alice, PREMIUM_MODEL, 400));
        assertEquals(DenialReason.QUOTA_EXCEEDED, denial(alice, PREMIUM_MODEL, 2));
    }

    @Test
    void freeSubscriptionEnforcesOneHundredTokensPerMinute() {
        assertTrue(allowed(bob, FREE_MODEL, 60));
        assertEquals(DenialReason.QUOTA_EXCEEDED, denial(bob, FREE_MODEL, 42));
        assertTrue(allowed(bob, FREE_MODEL, 40));
    }

    @Test
    void removedAuthPolicyRevokesAccessWithinASecond() {
        assertTrue(allowed(alice, PREMIUM_MODEL, 10));

        cluster.delete(ResourceKind.POLICY, GOVERNANCE_NS, "premium-simulator-access");

        await("the premium model is refused", WITHIN,
                () -> outcome(alice, PREMIUM_MODEL, 10) == DenialReason.NOT_AUTHORIZED);
        assertTrue(allowed(alice, FREE_MODEL, 10), "the free tier is unaffected");
    }

    @Test
    void loweredLimitTakesEffectWithinASecond() {
        assertTrue(allowed(alice, PREMIUM_MODEL, 10));

        cluster.replaceSpec(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "premium-simulator-subscription", """
                owner: {groups: [{name: premium-user}]}
                priority: 20
                modelRefs:
                  - name: premium-simulated-simulated-premium
                    namespace: llm
                    tokenRateLimits: [{limit: 50, window: 1m}]
                """);

        // under WORST_CASE a 100-token request can never fit a window of 50: refused as too large
        // (400) as soon as the lowered limit applies, rather than waiting for the window (429)
        await("a 100-token request exceeds the lowered limit", WITHIN,
                () -> outcome(alice, PREMIUM_MODEL, 100) == DenialReason.REQUEST_EXCEEDS_LIMIT);
        assertEquals(50, catalog.findSubscription("premium-simulator-subscription").orElseThrow().modelRefs().get(0)
                .tokenRateLimits().get(0).limit());
    }

    @Test
    void addedGroupToAPolicyGrantsAccessWithinASecond() {
        assertEquals(DenialReason.NOT_AUTHORIZED, denial(bob, PREMIUM_MODEL, 10));

        cluster.replaceSpec(ResourceKind.POLICY, GOVERNANCE_NS, "premium-simulator-access", """
                modelRefs: [{name: premium-simulated-simulated-premium, namespace: llm}]
                subjects: {groups: [{name: premium-user}], users: [bob]}
                """);
        cluster.replaceSpec(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "premium-simulator-subscription", """
                owner: {groups: [{name: premium-user}], users: [bob]}
                modelRefs:
                  - name: premium-simulated-simulated-premium
                    namespace: llm
                    tokenRateLimits: [{limit: 1000, window: 1m}]
                """);

        await("bob gets the premium model", WITHIN, () -> allowed(bob, PREMIUM_MODEL, 10));
    }

    @Test
    void deletedModelIsNotFoundWithinASecond() {
        cluster.delete(ResourceKind.MODEL, MODELS_NS, FREE_MODEL);

        await("the free model is gone", WITHIN, () -> outcome(bob, FREE_MODEL, 10) == DenialReason.MODEL_NOT_FOUND);
    }

    @Test
    void modelWhosePhaseIsNotReadyIsDisabledUntilItIs() {
        cluster.patchStatus(ResourceKind.MODEL, MODELS_NS, PREMIUM_MODEL, "{\"status\":{\"phase\":\"Pending\"}}");
        await("the premium model is disabled", WITHIN,
                () -> outcome(alice, PREMIUM_MODEL, 10) == DenialReason.MODEL_DISABLED);

        cluster.patchStatus(ResourceKind.MODEL, MODELS_NS, PREMIUM_MODEL,
                "{\"status\":{\"phase\":\"Ready\",\"endpoint\":\"https://maas.example.com/llm/premium\"}}");
        await("the premium model is enabled again", WITHIN, () -> allowed(alice, PREMIUM_MODEL, 10));
        assertEquals("https://maas.example.com/llm/premium",
                catalog.findModel(PREMIUM_MODEL).orElseThrow().endpoints().get(0).toString());
    }

    @Test
    void newSubscriptionWithHigherPriorityIsChosenWithinASecond() {
        cluster.apply("""
                apiVersion: maas.opendatahub.io/v1alpha1
                kind: MaaSSubscription
                metadata: {name: vip, namespace: models-as-a-service}
                spec:
                  owner: {users: [alice]}
                  priority: 99
                  modelRefs:
                    - name: premium-simulated-simulated-premium
                      namespace: llm
                      tokenRateLimits: [{limit: 5000, window: 1h}]
                """);

        await("alice's requests use the vip subscription", WITHIN, () -> {
            try (Lease lease = admit(alice, PREMIUM_MODEL, 10)) {
                return lease.allowed() && lease.admission().grant().orElseThrow().subscription().name().equals("vip");
            }
        });
    }
}
