package dev.maas4j.client.admin;

import dev.maas4j.client.internal.Values;

import java.util.Optional;

/**
 * The body of {@code POST /api-keys/bulk-revoke}: revokes every active key of a user and/or a
 * subscription; {@code dryRun} only counts them.
 *
 * <pre>{@code
 * admin.apiKeys().bulkRevoke(BulkRevokeRequest.forUser("alice").asDryRun());
 * }</pre>
 *
 * @param username     keys of this user
 * @param subscription keys bound to this subscription (administrators only)
 * @param dryRun       count without revoking
 */
public record BulkRevokeRequest(Optional<String> username, Optional<String> subscription, Optional<Boolean> dryRun) {

    /** Validates the components: at least one of username and subscription. */
    public BulkRevokeRequest {
        username = Values.opt(username);
        subscription = Values.opt(subscription);
        dryRun = Values.opt(dryRun);
        if (username.isEmpty() && subscription.isEmpty()) {
            throw new IllegalArgumentException("at least one of username and subscription is required");
        }
    }

    /** Every active key of {@code username}. */
    public static BulkRevokeRequest forUser(String username) {
        return new BulkRevokeRequest(Optional.of(Values.notBlank(username, "username")), Optional.empty(),
                Optional.empty());
    }

    /** Every active key bound to {@code subscription}. */
    public static BulkRevokeRequest forSubscription(String subscription) {
        return new BulkRevokeRequest(Optional.empty(), Optional.of(Values.notBlank(subscription, "subscription")),
                Optional.empty());
    }

    /** Narrows to keys also bound to {@code value}. */
    public BulkRevokeRequest inSubscription(String value) {
        return new BulkRevokeRequest(username, Optional.of(Values.notBlank(value, "subscription")), dryRun);
    }

    /** The same request as a dry run. */
    public BulkRevokeRequest asDryRun() {
        return new BulkRevokeRequest(username, subscription, Optional.of(true));
    }
}
