package dev.maas4j.management.internal;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of {@code /api-keys}. Where Open Data Hub's maas-api has the operation, the
 * shapes are its own (field names included); fields it lacks are additions. Request records are
 * read by {@link Json#read(byte[], Class)} (unknown fields are ignored, wrong types refused);
 * {@code null} means absent.
 */
final class KeyJson {
    private KeyJson() {
    }

    /** {@code POST /api-keys}. */
    record CreateRequest(String name, String description, String subscription, List<String> models,
                         String expiresAt, String expiresIn, Map<String, String> labels, Limits limits,
                         Boolean ephemeral, Owner owner) {
    }

    /** Who owns a key: {@code {"type": "user" | "group" | "serviceAccount", "name": "..."}}. */
    record Owner(String type, String name) {
    }

    /** A key's own limits. */
    @JsonPropertyOrder({"requestsPerMinute", "tokensPerMinute", "maxParallelRequests", "budget", "budgetPeriod"})
    record Limits(Long requestsPerMinute, Long tokensPerMinute, Integer maxParallelRequests,
                  @Money BigDecimal budget, String budgetPeriod) {
    }

    /** The answer to {@code POST /api-keys}: the only time {@code key} is ever shown. */
    @JsonPropertyOrder({"key", "keyPrefix", "id", "name", "subscription", "createdAt", "expiresAt", "ephemeral",
            "description", "models", "limits", "labels"})
    record Created(String key, String keyPrefix, String id, String name, String subscription, String createdAt,
                   String expiresAt, boolean ephemeral, String description, List<String> models, Limits limits,
                   Map<String, String> labels) {
        @Override
        public String toString() {
            return "Created[id=" + id + ", key=redacted]";
        }
    }

    /** A key's metadata (Open Data Hub's {@code ApiKey}, plus prefix, owner type, scope, labels, limits, revocation). */
    @JsonPropertyOrder({"id", "name", "description", "username", "ownerType", "subscription", "groups",
            "creationDate", "expirationDate", "status", "lastUsedAt", "ephemeral", "keyPrefix", "limits", "labels",
            "revokedAt", "models"})
    record Key(String id, String name, String description, String username, String ownerType, String subscription,
               List<String> groups, String creationDate, String expirationDate, String status, String lastUsedAt,
               boolean ephemeral, String keyPrefix, Limits limits, Map<String, String> labels, String revokedAt,
               List<String> models) {
    }

    /** {@code GET /api-keys/{id}}: the metadata, the assets the key reaches and what governs it. */
    @JsonPropertyOrder({"assets", "policies"})
    record Details(@JsonUnwrapped Key key, Assets assets, List<Policy> policies) {
    }

    /** The assets a key reaches, by kind (only models are governed today). */
    record Assets(List<ModelAsset> models) {
    }

    /** A model a key may call, where to call it, and the subscriptions that cover it, best first. */
    @JsonPropertyOrder({"id", "name", "displayName", "namespace", "endpoint", "subscriptions"})
    record ModelAsset(String id, String name, String displayName, String namespace, String endpoint,
                      List<String> subscriptions) {
    }

    /** Something that governs a key: an auth policy, a subscription, or the key's own limits. */
    @JsonPropertyOrder({"id", "name", "kind", "description"})
    record Policy(String id, String name, String kind, String description) {
    }

    /** A page of keys (Open Data Hub's {@code ApiKeyListResponse}). */
    @JsonPropertyOrder({"object", "data", "has_more"})
    record KeyList(String object, List<Key> data, @JsonProperty("has_more") boolean hasMore) {
        KeyList(List<Key> data, boolean hasMore) {
            this("list", data, hasMore);
        }
    }

    /** {@code POST /api-keys/{id}/rotate}: how long the old secret is still accepted (default {@code 0s}). */
    record RotateRequest(String overlap) {
    }

    /**
     * The answer to a rotation: the key's new secret, shown this once, in the creation's shape, and
     * until when the old secret is accepted (absent without an overlap).
     */
    @JsonPropertyOrder({"previousKeyValidUntil"})
    record Rotated(@JsonUnwrapped Created created, String previousKeyValidUntil) {
        @Override
        public String toString() {
            return "Rotated[id=" + created.id() + ", key=redacted]";
        }
    }

    /** {@code POST /api-keys/search}. */
    record SearchRequest(SearchFilters filters, Sort sort, Pagination pagination) {
    }

    /**
     * Search filters: Open Data Hub's, plus subscription and labels (keys holding every one of
     * them), which Open Data Hub names {@code labelsContain}; maas4j's earlier {@code labels} is
     * read too.
     */
    record SearchFilters(String username, List<String> status, Boolean includeEphemeral, String subscription,
                         @JsonProperty("labelsContain") @JsonAlias("labels") Map<String, String> labels) {
    }

    /** Sort order. */
    record Sort(String by, String order) {
    }

    /** A page. */
    record Pagination(Integer limit, Integer offset) {
    }

    /** {@code GET /api-keys/config} (Open Data Hub's {@code ApiKeyConfig}). */
    @JsonPropertyOrder({"max_expiration_days", "ephemeral_max_expiration"})
    record Config(@JsonProperty("max_expiration_days") Long maxExpirationDays,
                  @JsonProperty("ephemeral_max_expiration") String ephemeralMaxExpiration) {
    }

    /** {@code POST /api-keys/bulk-revoke}. */
    record BulkRevokeRequest(String username, String subscription, Boolean dryRun) {
    }

    /** The answer to a bulk revocation. */
    @JsonPropertyOrder({"revokedCount", "message", "dryRun"})
    record BulkRevokeResult(int revokedCount, String message, boolean dryRun) {
    }
}
