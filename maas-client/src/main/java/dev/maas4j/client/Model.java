package dev.maas4j.client;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.util.Map;

/**
 * A model the caller may use ({@code GET /models}). Gateway-specific details (the maas4j and
 * Open Data Hub gateways add {@code ready}, {@code url}, {@code kind}, {@code subscriptions})
 * are in {@link #extra()}.
 *
 * @param id      the name to put in requests
 * @param object  {@code model}
 * @param created creation time, epoch seconds
 * @param ownedBy the owner (for MaaS: {@code namespace/name})
 * @param extra   properties this version does not know
 */
public record Model(String id, String object, long created, String ownedBy,
                    @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Copies the components. */
    public Model {
        id = Values.text(id);
        object = Values.text(object);
        ownedBy = Values.text(ownedBy);
        extra = Values.extra(extra);
    }
}
