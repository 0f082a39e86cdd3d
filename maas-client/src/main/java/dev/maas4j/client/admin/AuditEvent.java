package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the audit log ({@code GET /audit}): who did what to which resource, and whether
 * it was allowed. Never contains a secret.
 *
 * @param id           the event id
 * @param time         when it happened
 * @param actor        the user name of who did it
 * @param action       what, e.g. {@code api_key.create}, {@code model.update}
 * @param resourceType {@code api_key}, {@code model}, {@code subscription} or {@code policy}
 * @param resourceId   the key id or the resource name
 * @param outcome      {@code success}, {@code denied} or {@code failed}
 * @param details      action-specific details
 * @param extra        properties this version does not know
 */
public record AuditEvent(String id, Instant time, String actor, String action, String resourceType,
                         String resourceId, String outcome, Map<String, Object> details,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public AuditEvent {
        id = Values.text(id);
        Objects.requireNonNull(time, "time");
        actor = Values.text(actor);
        action = Values.text(action);
        resourceType = Values.text(resourceType);
        resourceId = Values.text(resourceId);
        outcome = Values.text(outcome);
        details = Values.extra(details);
        extra = Values.extra(extra);
    }
}
