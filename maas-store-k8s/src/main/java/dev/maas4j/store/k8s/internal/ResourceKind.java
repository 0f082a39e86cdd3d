package dev.maas4j.store.k8s.internal;

import dev.maas4j.store.k8s.crd.MaaSAuthPolicy;
import dev.maas4j.store.k8s.crd.MaaSModelRef;
import dev.maas4j.store.k8s.crd.MaaSSubscription;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The three custom-resource kinds the store reads. */
public enum ResourceKind {
    /** {@code MaaSModelRef}. */
    MODEL(MaaSModelRef.class),
    /** {@code MaaSSubscription}. */
    SUBSCRIPTION(MaaSSubscription.class),
    /** {@code MaaSAuthPolicy}. */
    POLICY(MaaSAuthPolicy.class);

    private final ResourceDefinitionContext context;

    ResourceKind(Class<? extends KubernetesResource> type) {
        this.context = ResourceDefinitionContext.fromResourceType(type);
    }

    /** The group, version, kind and plural, for the generic client. */
    public ResourceDefinitionContext context() {
        return context;
    }

    /** The kind's name, e.g. {@code MaaSSubscription}. */
    public String kindName() {
        return context.getKind();
    }
}
