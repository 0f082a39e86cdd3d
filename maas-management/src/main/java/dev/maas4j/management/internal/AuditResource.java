package dev.maas4j.management.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.maas4j.api.AuditEvent;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * {@code GET /audit}: the audit trail, newest first, for readers of everything, filtered by actor,
 * action, resource type and id, and paged. The {@link dev.maas4j.api.AuditLog} SPI lists by time
 * only, so filters apply to the latest {@value #SCAN} entries of the period at most. Thread-safe.
 */
final class AuditResource {
    /** The most entries read from the log per request: bounds the work of one request. */
    static final int SCAN = 10_000;
    private static final int MAX_LIMIT = 500;

    private final Audit audit;

    AuditResource(Audit audit) {
        this.audit = audit;
    }

    /** One audit entry. */
    @JsonPropertyOrder({"id", "time", "actor", "action", "resourceType", "resourceId", "outcome", "details"})
    record Entry(String id, String time, String actor, String action, String resourceType, String resourceId,
                 String outcome, Map<String, String> details) {
        static Entry of(AuditEvent e) {
            String resource = e.resource();
            int slash = resource.indexOf('/');
            return new Entry(e.id(), e.at().toString(), e.actor(), e.action(),
                    slash < 0 ? resource : resource.substring(0, slash),
                    slash < 0 || slash == resource.length() - 1 ? null : resource.substring(slash + 1), e.outcome(),
                    new TreeMap<>(e.details()));
        }
    }

    /** A page of entries. */
    @JsonPropertyOrder({"object", "data", "has_more"})
    record Page(String object, List<Entry> data, @JsonProperty("has_more") boolean hasMore) {
    }

    void routes(Router router) {
        router.add("GET", "/audit", this::list);
    }

    private void list(Call call) throws IOException {
        Access.requireReadAll(call.caller, "reading the audit log");
        Instant to = call.query("to").map(t -> Text.parseInstant(t, "to")).orElse(call.now.plusMillis(1));
        Instant from = call.query("from").map(t -> Text.parseInstant(t, "from")).orElse(Instant.EPOCH);
        if (!from.isBefore(to)) {
            throw ApiException.invalid("from", "from must be before to");
        }
        int limit = call.intQuery("limit", 100, 1, MAX_LIMIT);
        int offset = call.intQuery("offset", 0, 0, SCAN);
        Predicate<Entry> filter = equal(call, "actor", Entry::actor).and(equal(call, "action", Entry::action))
                .and(equal(call, "resourceType", Entry::resourceType))
                .and(equal(call, "resourceId", Entry::resourceId));
        List<Entry> matching = audit.log().list(from, to, SCAN).stream().map(Entry::of).filter(filter).toList();
        int start = Math.min(offset, matching.size());
        int end = Math.min(start + limit, matching.size());
        call.json(200, new Page("list", matching.subList(start, end), end < matching.size()));
    }

    private static Predicate<Entry> equal(Call call, String parameter, java.util.function.Function<Entry, String> field) {
        Optional<String> wanted = call.query(parameter);
        return wanted.isEmpty() ? e -> true : e -> wanted.get().equals(field.apply(e));
    }
}
