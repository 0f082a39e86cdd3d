package dev.maas4j.store.k8s;

import static dev.maas4j.store.k8s.MockCluster.FREE_MODEL;
import static dev.maas4j.store.k8s.MockCluster.PREMIUM_MODEL;
import static dev.maas4j.store.k8s.MockCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.Identity;
import dev.maas4j.api.ModelPrice;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Upstream credentials from Secrets, and the group, user and model indexes. */
class SecretsAndIndexesTest {
    private static final String KEY = "sk-proj-not-for-logs-0001";
    private static final String EXTERNAL = """
            apiVersion: maas.opendatahub.io/v1alpha1
            kind: MaaSModelRef
            metadata:
              name: gpt-4o-mini
              namespace: llm
              annotations:
                maas4j.dev/price-prompt-per-million: "0.15"
                maas4j.dev/price-completion-per-million: "0.60"
                maas4j.dev/endpoints: https://api.openai.com/v1
                maas4j.dev/upstream-credential-secret: openai-credentials
            spec:
              modelRef: {kind: ExternalModel, name: gpt-4o-mini}
            """;

    private MockCluster cluster;

    @BeforeEach
    void start() {
        cluster = new MockCluster().withSamples();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void externalModelGetsItsPriceEndpointAndCredentialFromTheSecret() {
        cluster.secret("llm", "openai-credentials", Map.of("api-key", KEY + "\n"));
        cluster.apply(EXTERNAL);
        KubernetesCatalogStore catalog = cluster.store();

        ModelRef model = catalog.findModel("gpt-4o-mini").orElseThrow();
        assertEquals(KEY, model.upstreamCredential().orElseThrow().reveal(), "the trailing newline is dropped");
        assertEquals(ModelPrice.usd("0.15", "0.60"), model.price().orElseThrow());
        assertEquals("https://api.openai.com/v1", model.endpoints().get(0).toString());
        assertFalse(model.toString().contains(KEY));
    }

    @Test
    void missingSecretRejectsTheModelUntilItExistsAndTheNextResyncReadsIt() {
        cluster.apply(EXTERNAL);
        KubernetesCatalogStore catalog = cluster.store(b -> b.resyncPeriod(Duration.ofSeconds(1)));

        Rejection rejection = catalog.rejections().get(0);
        assertEquals("SecretNotFound", rejection.reason());
        assertTrue(rejection.message().contains("secret llm/openai-credentials does not exist"), rejection.message());
        assertEquals(List.of(FREE_MODEL, PREMIUM_MODEL), catalog.models().stream().map(ModelRef::name).toList());

        cluster.secret("llm", "openai-credentials", Map.of("api-key", KEY));
        await("the credential is read at the next resync", Duration.ofSeconds(5),
                () -> catalog.findModel("gpt-4o-mini").isPresent());
        assertEquals(KEY, catalog.findModel("gpt-4o-mini").orElseThrow().upstreamCredential().orElseThrow().reveal());
    }

    @Test
    void indexesFindSubscriptionsAndPoliciesByGroupUserAndModel() {
        KubernetesCatalogStore catalog = cluster.store();
        Identity alice = Identity.of("alice", "system:authenticated", "premium-user");
        Identity bob = Identity.of("bob", "system:authenticated");

        assertEquals(List.of("premium-simulator-subscription", "simulator-subscription"),
                catalog.subscriptionsFor(alice).stream().map(Subscription::name).toList(), "by priority");
        assertEquals(List.of("simulator-subscription"),
                catalog.subscriptionsFor(bob).stream().map(Subscription::name).toList());
        assertEquals(List.of("premium-simulator-access", "simulator-access"),
                catalog.policiesFor(alice).stream().map(AuthPolicy::name).toList());
        assertEquals(List.of("simulator-access"), catalog.policiesFor(bob).stream().map(AuthPolicy::name).toList());
        assertEquals(List.of("premium-simulator-subscription"),
                catalog.subscriptionsForModel("llm", PREMIUM_MODEL).stream().map(Subscription::name).toList());
        assertEquals(List.of("simulator-access"),
                catalog.policiesForModel("llm", FREE_MODEL).stream().map(AuthPolicy::name).toList());
        assertEquals(List.of(), catalog.policiesForModel("other", FREE_MODEL));
    }

    @Test
    void indexesFollowChanges() {
        KubernetesCatalogStore catalog = cluster.store();
        cluster.apply("""
                apiVersion: maas.opendatahub.io/v1alpha1
                kind: MaaSAuthPolicy
                metadata: {name: carol-access, namespace: models-as-a-service}
                spec:
                  modelRefs: [{name: premium-simulated-simulated-premium, namespace: llm}]
                  subjects: {users: [carol]}
                """);

        await("carol's policy is indexed", Duration.ofSeconds(1),
                () -> catalog.policiesFor(Identity.of("carol")).size() == 1);
        assertEquals(List.of("carol-access", "premium-simulator-access"),
                catalog.policiesForModel("llm", PREMIUM_MODEL).stream().map(AuthPolicy::name).toList());
    }
}
