package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An API key's metadata, never its secret: Open Data Hub's {@code ApiKey} plus maas4j's
 * {@code keyPrefix}, {@code limits}, {@code labels} and {@code revokedAt}.
 *
 * @param id             the key id
 * @param name           its name
 * @param description    its description
 * @param username       its owner
 * @param subscription   the subscription it is bound to
 * @param groups         the owner's groups when it was created
 * @param creationDate   creation time
 * @param expirationDate expiry time
 * @param status         active, revoked or expired
 * @param lastUsedAt     last successful use
 * @param ephemeral      whether it is an ephemeral key
 * @param keyPrefix      a prefix safe to display (maas4j)
 * @param limits         its own limits (maas4j)
 * @param labels         labels (maas4j)
 * @param revokedAt      revocation time (maas4j)
 * @param extra          properties this version does not know
 */
public record ApiKey(String id, String name, Optional<String> description, Optional<String> username,
                     Optional<String> subscription, List<String> groups, Instant creationDate,
                     Optional<Instant> expirationDate, KeyStatus status, Optional<Instant> lastUsedAt,
                     boolean ephemeral, Optional<String> keyPrefix, Optional<KeyLimits> limits,
                     Map<String, String> labels, Optional<Instant> revokedAt,
                     @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public ApiKey {
        Values.notBlank(id, "id");
        name = Values.text(name);
        description = Values.opt(description);
        username = Values.opt(username);
        subscription = Values.opt(subscription);
        groups = Values.list(groups);
        Objects.requireNonNull(creationDate, "creationDate");
        expirationDate = Values.opt(expirationDate);
        Objects.requireNonNull(status, "status");
        lastUsedAt = Values.opt(lastUsedAt);
        keyPrefix = Values.opt(keyPrefix);
        limits = Values.opt(limits);
        labels = Values.strings(labels);
        revokedAt = Values.opt(revokedAt);
        extra = Values.extra(extra);
    }
}
