package dev.maas4j.store.k8s.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code MaaSAuthPolicy.spec}.
 *
 * @param modelRefs        the models the policy grants (required, at least one)
 * @param subjects         who it grants them to, any match grants (required, at least one group or user)
 * @param meteringMetadata billing and tracking information, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MaaSAuthPolicySpec(List<ModelReference> modelRefs, Subjects subjects,
                                 MeteringMetadata meteringMetadata) {

    /**
     * {@code MaaSAuthPolicy.spec.meteringMetadata}.
     *
     * @param organizationId the organization billed, or {@code null}
     * @param costCenter     the cost center billed, or {@code null}
     * @param labels         labels for tracking, or {@code null}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MeteringMetadata(String organizationId, String costCenter, Map<String, String> labels) {
    }
}
