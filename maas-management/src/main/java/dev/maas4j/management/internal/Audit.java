package dev.maas4j.management.internal;

import dev.maas4j.api.AuditEvent;
import dev.maas4j.api.AuditLog;
import dev.maas4j.management.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Writes one {@link AuditEvent} per change attempted through the management API: who (the caller),
 * what (an action such as {@code api-key.revoke} and the resource), when, and how it ended
 * ({@code success}, {@code denied}, {@code failed}). Details never carry a secret: callers pass
 * names, ids and counts only. Thread-safe when the log is.
 */
final class Audit {
    static final String SUCCESS = "success";
    static final String DENIED = "denied";
    static final String FAILED = "failed";
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

    private final AuditLog log;

    Audit(AuditLog log) {
        this.log = log;
    }

    AuditLog log() {
        return log;
    }

    void record(Call call, String action, String resource, String outcome, Map<String, String> details) {
        Map<String, String> all = new LinkedHashMap<>(details);
        String remote = call.request.getRemoteAddr();
        if (remote != null) {
            all.putIfAbsent("remoteAddress", remote);
        }
        record(call.caller, call.now, action, resource, outcome, all);
    }

    void record(Caller caller, Instant at, String action, String resource, String outcome,
                Map<String, String> details) {
        AuditEvent event = new AuditEvent(UUID.randomUUID().toString(), at, caller.user(), action, resource, outcome,
                details);
        try {
            log.append(event);
        } catch (RuntimeException e) {
            // the change is already made; refusing the response would hide it from the caller, so
            // the entry goes to the application log instead, where operators alert on ERROR
            LOG.error("audit log append failed; lost entry: actor={} action={} resource={} outcome={} details={}",
                    event.actor(), event.action(), event.resource(), event.outcome(), event.details(), e);
        }
    }

    /** {@code denied} for 401 and 403, {@code failed} for any other error. */
    static String outcomeOf(ApiException e) {
        return e.status() == 401 || e.status() == 403 ? Audit.DENIED : Audit.FAILED;
    }

    /** The details with the refusal's status and reason added. */
    static Map<String, String> withReason(Map<String, String> details, ApiException e) {
        Map<String, String> copy = new LinkedHashMap<>(details);
        copy.put("status", Integer.toString(e.status()));
        copy.put("reason", e.getMessage());
        return copy;
    }
}
