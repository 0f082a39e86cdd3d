package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.util.Map;

/**
 * The outcome of a bulk revocation.
 *
 * @param revokedCount keys revoked (or that would be, in a dry run)
 * @param message      a human-readable summary
 * @param dryRun       whether nothing was changed
 * @param extra        properties this version does not know
 */
public record BulkRevokeResult(long revokedCount, String message, boolean dryRun,
                               @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Copies the components. */
    public BulkRevokeResult {
        message = Values.text(message);
        extra = Values.extra(extra);
    }
}
