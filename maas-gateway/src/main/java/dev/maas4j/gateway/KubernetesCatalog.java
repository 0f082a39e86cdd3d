package dev.maas4j.gateway;

import dev.maas4j.store.k8s.KubernetesCatalogStore;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;

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

    /**
     * Connects and waits for the first list of the MaaS resources.
     *
     * @throws IllegalArgumentException if the file also configures models, subscriptions or policies
     */
    static KubernetesCatalog open(GatewayConfig config) {
        GatewayConfig.Kubernetes k8s = config.kubernetes();
        if (!config.models().isEmpty() || !config.subscriptions().isEmpty() || !config.policies().isEmpty()) {
            // two sources of one catalog would disagree silently: refuse rather than merge
            throw new IllegalArgumentException("kubernetes: the catalog comes from the MaaS custom resources; remove "
                    + "models, subscriptions and policies from the configuration file");
        }
        Config clientConfig = k8s.kubeconfig() != null
                ? Config.fromKubeconfig(k8s.context(), new File(k8s.kubeconfig()))
                : Config.autoConfigure(k8s.context());
        KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
        try {
            KubernetesCatalogStore.Builder builder = KubernetesCatalogStore.builder(client)
                    .resyncPeriod(GatewayConfig.duration(k8s.resyncPeriod(), "kubernetes.resyncPeriod"))
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
