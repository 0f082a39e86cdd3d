package dev.maas4j.store.k8s.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A reference to a {@link MaaSModelRef} by name and namespace ({@code MaaSAuthPolicy.spec.modelRefs[]}).
 *
 * @param name      the MaaSModelRef's name, 1 to 63 characters (required)
 * @param namespace its namespace, 1 to 63 characters (required)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelReference(String name, String namespace) {
}
