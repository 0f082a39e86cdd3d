package dev.maas4j.store.k8s.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * The status of a {@link MaaSSubscription} or a {@link MaaSAuthPolicy}. Both CRDs have
 * {@code phase} and {@code conditions}; the lists of generated policies differ and are each present
 * only on their kind. Every field may be {@code null}.
 *
 * @param phase                  {@code Pending}, {@code Active}, {@code Degraded}, {@code Failed} or {@code Invalid}
 * @param conditions             the latest observations
 * @param modelRefStatuses       (MaaSSubscription) the status of each referenced MaaSModelRef
 * @param tokenRateLimitStatuses (MaaSSubscription) the status of each generated TokenRateLimitPolicy
 * @param authPolicies           (MaaSAuthPolicy) the status of each generated Kuadrant AuthPolicy
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GovernanceStatus(String phase, List<Condition> conditions, List<ModelRefStatus> modelRefStatuses,
                               List<TokenRateLimitStatus> tokenRateLimitStatuses,
                               List<AuthPolicyRefStatus> authPolicies) {

    /** Phase: not yet reconciled. */
    public static final String PENDING = "Pending";
    /** Phase: valid and in force. */
    public static final String ACTIVE = "Active";
    /** Phase: partly in force. */
    public static final String DEGRADED = "Degraded";
    /** Phase: not in force; a condition says why. */
    public static final String FAILED = "Failed";
    /** Phase: the spec is invalid. */
    public static final String INVALID = "Invalid";

    /**
     * {@code MaaSSubscription.status.modelRefStatuses[]}.
     *
     * @param name      the referenced resource
     * @param namespace its namespace
     * @param ready     whether it is valid and healthy
     * @param reason    a machine-readable reason code
     * @param message   a human-readable description
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModelRefStatus(String name, String namespace, Boolean ready, String reason, String message) {
    }

    /**
     * {@code MaaSSubscription.status.tokenRateLimitStatuses[]}.
     *
     * @param model     the MaaSModelRef the TokenRateLimitPolicy targets
     * @param name      the referenced resource
     * @param namespace its namespace
     * @param ready     whether it is valid and healthy
     * @param reason    a machine-readable reason code
     * @param message   a human-readable description
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TokenRateLimitStatus(String model, String name, String namespace, Boolean ready, String reason,
                                       String message) {
    }

    /**
     * {@code MaaSAuthPolicy.status.authPolicies[]}.
     *
     * @param model          the MaaSModelRef the AuthPolicy targets
     * @param modelNamespace the MaaSModelRef's namespace
     * @param name           the referenced resource
     * @param namespace      its namespace
     * @param ready          whether it is valid and healthy
     * @param reason         a machine-readable reason code
     * @param message        a human-readable description
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AuthPolicyRefStatus(String model, String modelNamespace, String name, String namespace,
                                      Boolean ready, String reason, String message) {
    }
}
