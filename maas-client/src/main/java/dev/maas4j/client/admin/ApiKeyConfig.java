package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.maas4j.client.internal.Values;

import java.util.Map;

/**
 * The limits that apply when creating keys ({@code GET /api-keys/config}, snake_case as in Open Data Hub).
 *
 * @param maxExpirationDays      the longest lifetime of a regular key, in days
 * @param ephemeralMaxExpiration the longest lifetime of an ephemeral key, e.g. {@code 1h}
 * @param extra                  properties this version does not know
 */
public record ApiKeyConfig(@JsonProperty("max_expiration_days") int maxExpirationDays,
                           @JsonProperty("ephemeral_max_expiration") String ephemeralMaxExpiration,
                           @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Copies the components. */
    public ApiKeyConfig {
        ephemeralMaxExpiration = Values.text(ephemeralMaxExpiration);
        extra = Values.extra(extra);
    }
}
