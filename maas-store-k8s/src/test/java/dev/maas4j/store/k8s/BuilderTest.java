package dev.maas4j.store.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.maas4j.api.StoreException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The builder fails fast naming the setting; a store that cannot sync fails to build. */
class BuilderTest {
    /** A client for an address where nothing listens; building it connects nowhere. */
    private final KubernetesClient nowhere = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
            Config.empty()).withMasterUrl("http://127.0.0.1:9").withRequestTimeout(500).withConnectionTimeout(500)
            .build()).build();

    @AfterEach
    void close() {
        nowhere.close();
    }

    @Test
    void settingsAreValidatedWhenGiven() {
        KubernetesCatalogStore.Builder b = KubernetesCatalogStore.builder(nowhere);
        assertEquals("resyncPeriod must be zero (off) or at least 1s, was PT0.5S",
                assertThrows(IllegalArgumentException.class, () -> b.resyncPeriod(Duration.ofMillis(500))).getMessage());
        assertEquals("startTimeout must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> b.startTimeout(Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.namespaces(" "));
        assertThrows(IllegalArgumentException.class, () -> b.namespaces(java.util.List.of()));
        b.namespaces("llm");
        assertTrue(assertThrows(IllegalStateException.class, b::allNamespaces).getMessage()
                .startsWith("namespaces were already set to [llm]"));
    }

    @Test
    void aClientWithoutNamespaceNeedsNamespacesOrAll() {
        assertTrue(assertThrows(IllegalStateException.class, () -> KubernetesCatalogStore.builder(nowhere).build())
                .getMessage().startsWith("namespaces: none given"));
    }

    @Test
    void anUnreachableApiServerFailsTheBuildAfterTheStartTimeout() {
        StoreException e = assertThrows(StoreException.class, () -> KubernetesCatalogStore.builder(nowhere)
                .namespaces("llm").startTimeout(Duration.ofMillis(700)).build());
        assertTrue(e.getMessage().contains("the informers did not sync within PT0.7S"), e.getMessage());
    }

    @Test
    void everyMutatorRefusesWithAHint() {
        // the contract test covers the exceptions; here, the message tells the operator what to do instead
        try (MockCluster cluster = new MockCluster()) {
            KubernetesCatalogStore store = cluster.store();
            assertTrue(store.readOnly());
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> store.removePolicy("p"));
            assertEquals("the Kubernetes catalog is read-only: change the MaaSAuthPolicy custom resources instead "
                    + "(kubectl apply)", e.getMessage());
        }
    }
}
