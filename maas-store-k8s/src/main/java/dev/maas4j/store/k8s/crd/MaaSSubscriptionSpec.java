package dev.maas4j.store.k8s.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code MaaSSubscription.spec}.
 *
 * @param owner         who owns the subscription (required)
 * @param modelRefs     the models it covers with their token limits (required, at least one)
 * @param priority      higher wins when a user has several subscriptions; {@code null} means 0
 * @param tokenMetadata metering and billing attribution, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MaaSSubscriptionSpec(Subjects owner, List<ModelSubscriptionRef> modelRefs, Integer priority,
                                   TokenMetadata tokenMetadata) {

    /**
     * {@code MaaSSubscription.spec.modelRefs[]}.
     *
     * @param name            the MaaSModelRef's name, 1 to 63 characters (required)
     * @param namespace       the MaaSModelRef's namespace, 1 to 63 characters (required)
     * @param tokenRateLimits the token limits (required, at least one)
     * @param billingRate     the chargeback rate, or {@code null}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModelSubscriptionRef(String name, String namespace, List<TokenRateLimit> tokenRateLimits,
                                       BillingRate billingRate) {
    }

    /**
     * {@code MaaSSubscription.spec.modelRefs[].tokenRateLimits[]}.
     *
     * @param limit  tokens per window, 1 to 1,000,000,000 (required)
     * @param window the window, matching {@code ^[1-9]\d{0,3}(s|m|h)$}, e.g. {@code 1m} (required)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TokenRateLimit(Long limit, String window) {
    }

    /**
     * {@code MaaSSubscription.spec.modelRefs[].billingRate}.
     *
     * @param perToken the cost per token, a decimal number as a string (required)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BillingRate(String perToken) {
    }

    /**
     * {@code MaaSSubscription.spec.tokenMetadata}.
     *
     * @param organizationId the organization billed, or {@code null}
     * @param costCenter     the cost center billed, or {@code null}
     * @param labels         labels for tracking and metrics, or {@code null}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TokenMetadata(String organizationId, String costCenter, Map<String, String> labels) {
    }
}
