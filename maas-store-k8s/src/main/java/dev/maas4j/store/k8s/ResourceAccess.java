package dev.maas4j.store.k8s;

import java.util.Objects;

/**
 * An action on a kind of Kubernetes resource, as a {@code SubjectAccessReview} asks about it:
 * may this user {@code verb} the {@code resource} of API {@code group} in {@code namespace}?
 *
 * <pre>{@code
 * ResourceAccess clusterWide = ResourceAccess.MAAS_ADMIN;   // update maasauthpolicies.maas.opendatahub.io anywhere
 * ResourceAccess inOneNamespace = ResourceAccess.of("update", "maas.opendatahub.io", "maasauthpolicies")
 *         .inNamespace("models-as-a-service");
 * }</pre>
 *
 * @param verb      the verb, e.g. {@code update}, {@code create}, {@code get}
 * @param group     the API group, e.g. {@code maas.opendatahub.io}; empty for the core group
 * @param resource  the plural resource name, e.g. {@code maasauthpolicies}
 * @param namespace the namespace; empty for all namespaces (Kubernetes reads an empty namespace as
 *                  "in every namespace", which takes a cluster-wide grant)
 */
public record ResourceAccess(String verb, String group, String resource, String namespace) {

    /**
     * Updating {@code MaaSAuthPolicy} resources in every namespace: who may change who can use which
     * model may administer the gateway.
     */
    public static final ResourceAccess MAAS_ADMIN = of("update", "maas.opendatahub.io", "maasauthpolicies");

    /** Validates the components. */
    public ResourceAccess {
        verb = notBlank(verb, "verb");
        Objects.requireNonNull(group, "group");
        resource = notBlank(resource, "resource");
        Objects.requireNonNull(namespace, "namespace");
    }

    /** The access in every namespace. */
    public static ResourceAccess of(String verb, String group, String resource) {
        return new ResourceAccess(verb, group, resource, "");
    }

    /** This access in {@code namespace} only. */
    public ResourceAccess inNamespace(String namespace) {
        return new ResourceAccess(verb, group, resource, notBlank(namespace, "namespace"));
    }

    private static String notBlank(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }
}
