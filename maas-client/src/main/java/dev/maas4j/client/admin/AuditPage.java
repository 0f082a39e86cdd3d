package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.maas4j.client.internal.Values;

import java.util.List;
import java.util.Map;

/**
 * One page of audit events, newest first.
 *
 * @param object  {@code list}
 * @param data    the events
 * @param hasMore whether a further page exists
 * @param extra   properties this version does not know
 */
public record AuditPage(String object, List<AuditEvent> data, @JsonProperty("has_more") boolean hasMore,
                        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Copies the components. */
    public AuditPage {
        object = Values.text(object);
        data = Values.list(data);
        extra = Values.extra(extra);
    }
}
