package dev.maas4j.management.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the catalog. Each element carries Open Data Hub's read-only properties
 * ({@code Model}, {@code SubscriptionListItem}, snake_case where ODH spells them so) and, for
 * callers who read everything, the administrators' properties, which mirror the
 * {@code MaaSModelRef}, {@code MaaSSubscription} and {@code MaaSAuthPolicy} CRDs in camelCase. Inputs
 * accept the read-only properties back and ignore them, so that a client can send what it read;
 * any other unknown property is refused. Money is a decimal string.
 */
final class CatalogJson {
    private CatalogJson() {
    }

    /** A list: {@code {"object": "list", "data": [...]}}. */
    @JsonPropertyOrder({"object", "data"})
    record Listing<T>(String object, List<T> data) {
        Listing(List<T> data) {
            this("list", data);
        }
    }

    /** A limit per window: {@code {"limit": 50000, "window": "1h"}}. */
    @JsonPropertyOrder({"limit", "window"})
    record Window(Long limit, String window) {
    }

    /** A price per million tokens. */
    @JsonPropertyOrder({"promptPerMillion", "completionPerMillion", "currency"})
    record Price(@Money BigDecimal promptPerMillion, @Money BigDecimal completionPerMillion, String currency) {
    }

    /** A group named in a CRD's subject list: {@code {"name": "premium-user"}}. */
    record GroupRef(String name) {
    }

    /** Groups and users, as the CRDs spell them: groups as objects, users as strings. */
    @JsonPropertyOrder({"groups", "users"})
    record Subjects(List<GroupRef> groups, List<String> users) {
    }

    /** A reference to a model. */
    @JsonPropertyOrder({"name", "namespace"})
    record ModelRefJson(String name, String namespace) {
    }

    // ------------------------------------------------------------------ models

    /**
     * A model: Open Data Hub's {@code Model} (for everyone) and the {@code ModelRef} properties (for
     * readers of everything; {@code null} otherwise). Upstream credentials are never shown.
     */
    @JsonPropertyOrder({"id", "object", "created", "owned_by", "ready", "url", "kind", "modelDetails",
            "subscriptions", "name", "namespace", "displayName", "endpoints", "enabled", "price",
            "hasUpstreamCredential", "upstreamModel", "maxResponseDuration", "maxResponseBytes", "metadata"})
    record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy, boolean ready,
                 String url, String kind, ModelDetails modelDetails, List<SubscriptionInfo> subscriptions,
                 String name, String namespace, String displayName, List<String> endpoints, Boolean enabled,
                 Price price, Boolean hasUpstreamCredential, String upstreamModel, String maxResponseDuration,
                 Long maxResponseBytes, Map<String, String> metadata) {
    }

    /** Open Data Hub's {@code modelDetails}, from the model's metadata. */
    @JsonPropertyOrder({"displayName", "description", "genaiUseCase", "contextWindow", "modelCapabilities"})
    record ModelDetails(String displayName, String description, String genaiUseCase, String contextWindow,
                        List<String> modelCapabilities) {
    }

    /** Open Data Hub's {@code SubscriptionInfo}. */
    @JsonPropertyOrder({"name", "displayName", "description"})
    record SubscriptionInfo(String name, String displayName, String description) {
    }

    /**
     * A model as written by administrators; {@code upstreamCredential} is write-only. The proxy's
     * settings for the model ({@code upstreamModel}, {@code maxResponseDuration} as a duration
     * such as 2h, {@code maxResponseBytes}) are kept in its metadata under {@link dev.maas4j.api.ModelRef}'s keys.
     */
    @JsonIgnoreProperties({"id", "object", "created", "owned_by", "ready", "url", "kind", "modelDetails",
            "subscriptions", "hasUpstreamCredential"})
    record ModelInput(String name, String namespace, String displayName, List<String> endpoints, Boolean enabled,
                      Price price, String upstreamCredential, String upstreamModel, String maxResponseDuration,
                      Long maxResponseBytes, Map<String, String> metadata) {
        @Override
        public String toString() {
            return "ModelInput[name=" + name + ", upstreamCredential=" + (upstreamCredential == null ? "absent"
                    : "redacted") + "]";
        }
    }

    // ------------------------------------------------------------------ subscriptions

    /**
     * A subscription: Open Data Hub's {@code SubscriptionListItem} (for everyone) and the
     * {@code MaaSSubscription} properties plus {@code budget} (for readers of everything).
     */
    @JsonPropertyOrder({"subscription_id_header", "subscription_description", "display_name", "priority",
            "model_refs", "organization_id", "cost_center", "labels", "name", "namespace", "owner", "modelRefs",
            "tokenMetadata", "budget"})
    record Subscription(@JsonProperty("subscription_id_header") String subscriptionIdHeader,
                        @JsonProperty("subscription_description") String subscriptionDescription,
                        @JsonProperty("display_name") String displayName, int priority,
                        @JsonProperty("model_refs") List<ModelRefInfo> modelRefsInfo,
                        @JsonProperty("organization_id") String organizationId,
                        @JsonProperty("cost_center") String costCenter, Map<String, String> labels,
                        String name, String namespace, Subjects owner, List<SubscriptionModel> modelRefs,
                        TokenMetadata tokenMetadata, BudgetJson budget) {
    }

    /** Open Data Hub's {@code ModelRefInfo}. */
    @JsonPropertyOrder({"name", "display_name", "description", "source", "token_rate_limits", "billing_rate"})
    record ModelRefInfo(String name, @JsonProperty("display_name") String displayName, String description,
                        String source, @JsonProperty("token_rate_limits") List<Window> tokenRateLimits,
                        @JsonProperty("billing_rate") BillingRateInfo billingRate) {
    }

    /** Open Data Hub's {@code billing_rate}. */
    record BillingRateInfo(@JsonProperty("per_token") String perToken) {
    }

    /** A subscription as written by administrators. */
    @JsonIgnoreProperties({"subscription_id_header", "subscription_description", "display_name", "model_refs",
            "organization_id", "cost_center", "labels"})
    record SubscriptionInput(String name, String namespace, Integer priority, Subjects owner,
                             List<SubscriptionModel> modelRefs, TokenMetadata tokenMetadata, BudgetJson budget) {
    }

    /** One model of a subscription with its quotas. */
    @JsonPropertyOrder({"name", "namespace", "tokenRateLimits", "requestRateLimits", "billingRate"})
    record SubscriptionModel(String name, String namespace, List<Window> tokenRateLimits,
                             List<Window> requestRateLimits, BillingRate billingRate) {
    }

    /** A chargeback rate per token. */
    record BillingRate(@Money BigDecimal perToken) {
    }

    /** An amount per calendar period ({@code day}, {@code week}, {@code month}). */
    @JsonPropertyOrder({"amount", "period"})
    record BudgetJson(@Money BigDecimal amount, String period) {
    }

    /** Chargeback metadata. */
    @JsonPropertyOrder({"organizationId", "costCenter", "labels"})
    record TokenMetadata(String organizationId, String costCenter, Map<String, String> labels) {
    }

    // ------------------------------------------------------------------ policies

    /** An auth policy ({@code MaaSAuthPolicy}: name, namespace, subjects, modelRefs, plus metering metadata). */
    @JsonPropertyOrder({"name", "namespace", "subjects", "modelRefs", "meteringMetadata"})
    record Policy(String name, String namespace, Subjects subjects, List<ModelRefJson> modelRefs,
                  Map<String, String> meteringMetadata) {
    }
}
