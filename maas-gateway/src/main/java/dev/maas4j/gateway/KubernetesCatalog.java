package dev.maas4j.gateway;

import dev.maas4j.store.k8s.KubernetesCatalogStore;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The gateway's catalog from Kubernetes: a client (in-cluster service account or a kubeconfig) and
 * a {@link KubernetesCatalogStore} over it, closed together. Thread-safe.
 */
final class KubernetesCatalog implements AutoCloseable {
    private final KubernetesClient client;
    private final KubernetesCatalogStore store;

    private KubernetesCatalog(KubernetesClient client, KubernetesCatalogStore store) {
        this.client = client;
        this.store = store;
    }

    /** Connects and waits for the first list of the MaaS resources. */
    static KubernetesCatalog open(GatewayConfig.Kubernetes k8s) {
        String context = k8s.context().orElse(null);
        Config clientConfig = k8s.kubeconfig().isPresent()
                ? Config.fromKubeconfig(context, k8s.kubeconfig().get().toFile())
                : Config.autoConfigure(context);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
        try {
            KubernetesCatalogStore.Builder builder = KubernetesCatalogStore.builder(client)
                    .resyncPeriod(k8s.resyncPeriod())
                    .statusWriteBack(k8s.statusWriteBack())
                    .requireReadyPhase(k8s.requireReadyPhase());
            if (k8s.allNamespaces()) {
                builder.allNamespaces();
            } else if (!k8s.namespaces().isEmpty()) {
                builder.namespaces(k8s.namespaces());
            }
            return new KubernetesCatalog(client, builder.build());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    KubernetesCatalogStore store() {
        return store;
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            client.close();
        }
    }
}
