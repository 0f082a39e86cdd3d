package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A key just created: the only time its secret is ever returned. Store {@link #key()} at once;
 * {@link #toString()} masks it so that logging this object does not leak it.
 *
 * @param key          the full secret key ({@code sk-oai-...}), shown once
 * @param keyPrefix    a prefix safe to display
 * @param id           the key id, for get, usage and revoke
 * @param name         the key's name
 * @param subscription the subscription the key is bound to
 * @param createdAt    creation time
 * @param expiresAt    expiry time
 * @param ephemeral    whether it is an ephemeral key
 * @param description  the description, if any (maas4j)
 * @param limits       the key's own limits, if any (maas4j)
 * @param labels       labels (maas4j)
 * @param extra        properties this version does not know
 */
public record CreatedApiKey(String key, String keyPrefix, String id, String name, Optional<String> subscription,
                            Instant createdAt, Optional<Instant> expiresAt, boolean ephemeral,
                            Optional<String> description, Optional<KeyLimits> limits, Map<String, String> labels,
                            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public CreatedApiKey {
        Values.notBlank(key, "key");
        keyPrefix = Values.text(keyPrefix);
        Values.notBlank(id, "id");
        name = Values.text(name);
        subscription = Values.opt(subscription);
        Objects.requireNonNull(createdAt, "createdAt");
        expiresAt = Values.opt(expiresAt);
        description = Values.opt(description);
        limits = Values.opt(limits);
        labels = Values.strings(labels);
        extra = Values.extra(extra);
    }

    /** Everything but the secret, which is masked. */
    @Override
    public String toString() {
        return "CreatedApiKey[key=" + (keyPrefix.isEmpty() ? "" : keyPrefix) + "****, id=" + id + ", name=" + name
                + ", subscription=" + subscription + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt
                + ", ephemeral=" + ephemeral + "]";
    }
}
