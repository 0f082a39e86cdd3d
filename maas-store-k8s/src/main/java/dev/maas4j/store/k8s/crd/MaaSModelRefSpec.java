package dev.maas4j.store.k8s.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code MaaSModelRef.spec}.
 *
 * @param modelRef         the backend serving the model (required)
 * @param endpointOverride the endpoint URL to use instead of the one the controller discovers, or {@code null}
 * @param tenantRef        the AITenant the model belongs to, or {@code null} for the default tenant
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MaaSModelRefSpec(BackendRef modelRef, String endpointOverride, String tenantRef) {

    /** The kind of backend: a KServe {@code LLMInferenceService}. */
    public static final String LLM_INFERENCE_SERVICE = "LLMInferenceService";
    /** The kind of backend: an {@code ExternalModel} resource with provider configuration. */
    public static final String EXTERNAL_MODEL = "ExternalModel";

    /**
     * {@code MaaSModelRef.spec.modelRef}.
     *
     * @param kind {@value #LLM_INFERENCE_SERVICE} or {@value #EXTERNAL_MODEL} (required)
     * @param name the name of the backend resource, 1 to 253 characters (required)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BackendRef(String kind, String name) {
    }
}
