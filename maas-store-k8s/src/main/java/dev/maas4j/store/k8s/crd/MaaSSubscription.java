package dev.maas4j.store.k8s.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A plan granting groups or users token quotas on models
 * ({@code maassubscriptions.maas.opendatahub.io}, namespaced).
 *
 * <p>Not thread-safe (a fabric8 bean).
 */
@Group(MaaSModelRef.GROUP)
@Version(MaaSModelRef.VERSION)
@Kind("MaaSSubscription")
@Plural("maassubscriptions")
@Singular("maassubscription")
@JsonIgnoreProperties(ignoreUnknown = true)
public class MaaSSubscription extends CustomResource<MaaSSubscriptionSpec, GovernanceStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;

    /** An empty resource; set its metadata and spec. */
    public MaaSSubscription() {
    }
}
