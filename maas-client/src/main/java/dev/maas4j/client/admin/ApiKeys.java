package dev.maas4j.client.admin;

import java.util.List;

/**
 * The API keys of the management API ({@code /api-keys}, Open Data Hub's shapes), from
 * {@link MaasAdminClient#apiKeys()}. Users manage their own keys; administrators anyone's.
 * Thread-safe; every call throws a {@link dev.maas4j.client.MaasClientException} on failure.
 */
public interface ApiKeys {

    /** Creates a key ({@code POST /api-keys}); the result holds the secret, returned this once. */
    CreatedApiKey create(CreateApiKeyRequest request);

    /** The caller's active keys, first page ({@code POST /api-keys/search} with defaults). */
    ApiKeyList list();

    /** One page of keys matching {@code search} ({@code POST /api-keys/search}). */
    ApiKeyList search(ApiKeySearch search);

    /** Every key matching {@code search}, reading page after page. */
    List<ApiKey> searchAll(ApiKeySearch search);

    /** One key's metadata ({@code GET /api-keys/{id}}); {@link dev.maas4j.client.NotFoundException} if unknown. */
    ApiKey get(String id);

    /** Revokes a key ({@code DELETE /api-keys/{id}}) and returns it, now {@code revoked}. */
    ApiKey revoke(String id);

    /**
     * Gives a key a new secret ({@code POST /api-keys/{id}/rotate}, maas4j's): the same id, settings
     * and usage history; the result holds the new secret, returned this once. The old secret is
     * still accepted for {@code overlap} (whole seconds; zero: it stops at once), and
     * {@code extra().get("previousKeyValidUntil")} says until when.
     */
    CreatedApiKey rotate(String id, java.time.Duration overlap);

    /** Revokes every active key of a user and/or subscription ({@code POST /api-keys/bulk-revoke}). */
    BulkRevokeResult bulkRevoke(BulkRevokeRequest request);

    /** A key's usage over {@code range} ({@code GET /api-keys/{id}/usage?range=...}). */
    KeyUsage usage(String id, UsageRange range);

    /** The limits that apply when creating keys ({@code GET /api-keys/config}). */
    ApiKeyConfig config();
}
