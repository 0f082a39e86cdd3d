package dev.maas4j.store.k8s;

import static dev.maas4j.store.k8s.MockCluster.GOVERNANCE_NS;
import static dev.maas4j.store.k8s.MockCluster.PREMIUM_MODEL;
import static dev.maas4j.store.k8s.MockCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import dev.maas4j.store.k8s.internal.ResourceKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resources the CRDs would refuse (the mock API server does not validate, as a cluster with an old
 * CRD would not) are skipped with a reason naming the field, and the rest of the catalog keeps
 * working.
 */
class InvalidResourcesTest {
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static final String SIMULATOR_SPEC = """
            owner: {groups: [{name: "system:authenticated"}]}
            priority: 10
            modelRefs:
              - name: facebook-opt-125m-simulated
                namespace: llm
                tokenRateLimits: [{limit: 100, window: WINDOW}]
            """;

    private MockCluster cluster;
    private KubernetesCatalogStore catalog;

    @BeforeEach
    void start() {
        cluster = new MockCluster().withSamples();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Rejection rejection(String name) {
        return catalog.rejections().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " was not rejected: " + catalog.rejections()));
    }

    private void assertSamplesIntact() {
        assertEquals(List.of(MockCluster.FREE_MODEL, PREMIUM_MODEL),
                catalog.models().stream().map(ModelRef::name).toList());
        assertEquals(List.of("premium-simulator-subscription", "simulator-subscription"),
                catalog.subscriptions().stream().map(Subscription::name).toList());
        assertEquals(2, catalog.policies().size());
    }

    @Test
    void invalidResourcesPresentAtStartAreRejectedWithAReasonAndTheRestLoads() {
        List.of("subscription-window-in-days", "subscription-limit-zero", "subscription-without-model-refs",
                "subscription-limit-not-a-number", "policy-without-subjects", "model-without-kind")
                .forEach(f -> cluster.applyFile("invalid/" + f + ".yaml"));

        catalog = cluster.store();

        assertSamplesIntact();
        assertEquals(6, catalog.rejections().size(), catalog.rejections().toString());
        Rejection window = rejection("bad-window");
        assertEquals("MaaSSubscription", window.kind());
        assertEquals("InvalidSpec", window.reason());
        assertTrue(window.message().contains("spec.modelRefs[0].tokenRateLimits[0].window: Invalid value: \"1d\""),
                window.message());
        assertTrue(rejection("zero-limit").message().contains(
                "spec.modelRefs[0].tokenRateLimits[0].limit: Invalid value: 0: should be greater than or equal to 1"),
                rejection("zero-limit").message());
        assertEquals("spec.modelRefs: Required value", rejection("no-models").message());
        assertEquals("spec.modelRefs[0].tokenRateLimits[0].limit: Invalid value: must be an integer",
                rejection("limit-not-a-number").message());
        assertTrue(rejection("nobody").message().contains("at least one group or user must be specified"),
                rejection("nobody").message());
        assertEquals("MaaSModelRef", rejection("kindless").kind());
        assertEquals("spec.modelRef.kind: Required value", rejection("kindless").message());
    }

    @Test
    void aLimitOfZeroDoesNotTakeOverAliceWithItsHigherPriority() {
        cluster.applyFile("invalid/subscription-limit-zero.yaml");
        catalog = cluster.store();

        assertEquals(Optional.empty(), catalog.findSubscription("zero-limit"));
        assertEquals(List.of("premium-simulator-subscription"),
                catalog.subscriptionsForModel("llm", PREMIUM_MODEL).stream().map(Subscription::name).toList());
    }

    @Test
    void aValidResourceMadeInvalidIsDroppedAloneAndComesBackWhenFixed() {
        catalog = cluster.store();

        cluster.replaceSpec(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "simulator-subscription", SIMULATOR_SPEC
                .replace("WINDOW", "1d"));
        await("the broken subscription is dropped", WITHIN,
                () -> catalog.findSubscription("simulator-subscription").isEmpty());
        assertEquals("InvalidSpec", rejection("simulator-subscription").reason());
        assertTrue(catalog.findSubscription("premium-simulator-subscription").isPresent());
        assertEquals(2, catalog.models().size());

        cluster.replaceSpec(ResourceKind.SUBSCRIPTION, GOVERNANCE_NS, "simulator-subscription", SIMULATOR_SPEC
                .replace("WINDOW", "24h"));
        await("the fixed subscription is back", WITHIN,
                () -> catalog.findSubscription("simulator-subscription").isPresent());
        assertEquals(List.of(), catalog.rejections());
        assertEquals(Duration.ofHours(24), catalog.findSubscription("simulator-subscription").orElseThrow()
                .modelRefs().get(0).tokenRateLimits().get(0).window());
    }

    @Test
    void invalidResourcesAddedLaterAreRejectedWhileTheCatalogKeepsWorking() {
        catalog = cluster.store();

        cluster.applyFile("invalid/subscription-window-in-days.yaml");
        cluster.applyFile("invalid/model-without-kind.yaml");
        cluster.applyFile("invalid/policy-without-subjects.yaml");

        await("three rejections", WITHIN, () -> catalog.rejections().size() == 3);
        assertSamplesIntact();
    }

    @Test
    void duplicateNamesInTwoNamespacesKeepTheOlderOne() {
        cluster.apply("""
                apiVersion: maas.opendatahub.io/v1alpha1
                kind: MaaSModelRef
                metadata: {name: premium-simulated-simulated-premium, namespace: models-as-a-service}
                spec:
                  modelRef: {kind: ExternalModel, name: copy}
                """);
        catalog = cluster.store();

        assertEquals("llm", catalog.findModel(PREMIUM_MODEL).orElseThrow().namespace());
        Rejection duplicate = rejection(PREMIUM_MODEL);
        assertEquals("models-as-a-service", duplicate.namespace());
        assertEquals("DuplicateName", duplicate.reason());
    }
}
