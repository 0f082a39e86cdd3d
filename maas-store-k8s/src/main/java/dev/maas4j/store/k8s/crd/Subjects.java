package dev.maas4j.store.k8s.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Groups and users: {@code MaaSSubscription.spec.owner} and {@code MaaSAuthPolicy.spec.subjects}
 * (the CRDs give both the same shape).
 *
 * @param groups Kubernetes groups, or {@code null}
 * @param users  Kubernetes user names, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Subjects(List<GroupReference> groups, List<String> users) {
}
