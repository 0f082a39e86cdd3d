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
 * A model published through MaaS ({@code maasmodelrefs.maas.opendatahub.io}, namespaced): a
 * reference to the backend that serves it ({@code spec.modelRef}) and, in its status, the phase and
 * endpoint that the Open Data Hub controller observed.
 *
 * <p>Not thread-safe (a fabric8 bean).
 */
@Group(MaaSModelRef.GROUP)
@Version(MaaSModelRef.VERSION)
@Kind("MaaSModelRef")
@Plural("maasmodelrefs")
@Singular("maasmodelref")
@JsonIgnoreProperties(ignoreUnknown = true)
public class MaaSModelRef extends CustomResource<MaaSModelRefSpec, MaaSModelRefStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;

    /** The API group of the three MaaS kinds. */
    public static final String GROUP = "maas.opendatahub.io";
    /** The API version this module reads. */
    public static final String VERSION = "v1alpha1";

    /** An empty resource; set its metadata and spec. */
    public MaaSModelRef() {
    }
}
