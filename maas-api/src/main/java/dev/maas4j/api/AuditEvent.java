package dev.maas4j.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One change made through the management API: who did what to which resource, when, and how it
 * ended. Never holds a secret.
 *
 * @param id        unique id of the entry
 * @param at        when it happened
 * @param actor     the user who acted
 * @param action    what was done, e.g. {@code api-key.create}, {@code subscription.delete}
 * @param resource  the resource acted on, e.g. {@code api-key/abc}, possibly empty
 * @param outcome   {@code success}, {@code denied} or {@code failed}
 * @param details   extra fields (no secrets)
 */
public record AuditEvent(String id, Instant at, String actor, String action, String resource, String outcome,
                         Map<String, String> details) {

    /** Validates and copies the components. */
    public AuditEvent {
        id = Checks.notBlank(id, "id");
        Objects.requireNonNull(at, "at");
        actor = Checks.notBlank(actor, "actor");
        action = Checks.notBlank(action, "action");
        Objects.requireNonNull(resource, "resource");
        outcome = Checks.notBlank(outcome, "outcome");
        details = Checks.map(details, "details");
    }
}
