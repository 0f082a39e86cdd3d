package dev.maas4j.client.admin;

import dev.maas4j.client.internal.Values;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The query of {@code GET /audit?from&to&actor&action&resourceType&resourceId&limit&offset}.
 *
 * @param from         events at or after
 * @param to           events before
 * @param actor        events by this user
 * @param action       events of this action
 * @param resourceType events on this resource type
 * @param resourceId   events on this resource
 * @param limit        events per page, 1 to 500
 * @param offset       events to skip
 */
public record AuditQuery(Optional<Instant> from, Optional<Instant> to, Optional<String> actor, Optional<String> action,
                         Optional<String> resourceType, Optional<String> resourceId, int limit, int offset) {

    /** Validates the components. */
    public AuditQuery {
        from = Values.opt(from);
        to = Values.opt(to);
        actor = Values.opt(actor);
        action = Values.opt(action);
        resourceType = Values.opt(resourceType);
        resourceId = Values.opt(resourceId);
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be between 1 and 500, was " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }

    /** The newest 100 events. */
    public static AuditQuery latest() {
        return builder().build();
    }

    /** A builder: no filter, 100 per page. */
    public static Builder builder() {
        return new Builder();
    }

    /** The same query one page further. */
    public AuditQuery nextPage() {
        return new AuditQuery(from, to, actor, action, resourceType, resourceId, limit, offset + limit);
    }

    /** The query parameters, absent ones left out. */
    public Map<String, String> toQueryParameters() {
        Map<String, String> q = new LinkedHashMap<>();
        from.ifPresent(v -> q.put("from", v.toString()));
        to.ifPresent(v -> q.put("to", v.toString()));
        actor.ifPresent(v -> q.put("actor", v));
        action.ifPresent(v -> q.put("action", v));
        resourceType.ifPresent(v -> q.put("resourceType", v));
        resourceId.ifPresent(v -> q.put("resourceId", v));
        q.put("limit", Integer.toString(limit));
        q.put("offset", Integer.toString(offset));
        return q;
    }

    /** Builds an {@link AuditQuery}; not thread-safe. */
    public static final class Builder {
        private Optional<Instant> from = Optional.empty();
        private Optional<Instant> to = Optional.empty();
        private Optional<String> actor = Optional.empty();
        private Optional<String> action = Optional.empty();
        private Optional<String> resourceType = Optional.empty();
        private Optional<String> resourceId = Optional.empty();
        private int limit = 100;
        private int offset;

        private Builder() {
        }

        /** Events at or after {@code value}. */
        public Builder from(Instant value) {
            this.from = Optional.of(Objects.requireNonNull(value, "from"));
            return this;
        }

        /** Events before {@code value}. */
        public Builder to(Instant value) {
            this.to = Optional.of(Objects.requireNonNull(value, "to"));
            return this;
        }

        /** Events by this user. */
        public Builder actor(String value) {
            this.actor = Optional.of(Values.notBlank(value, "actor"));
            return this;
        }

        /** Events of this action. */
        public Builder action(String value) {
            this.action = Optional.of(Values.notBlank(value, "action"));
            return this;
        }

        /** Events on this resource type and, optionally, id. */
        public Builder resource(String type, String id) {
            this.resourceType = Optional.of(Values.notBlank(type, "resourceType"));
            this.resourceId = Optional.of(Values.notBlank(id, "resourceId"));
            return this;
        }

        /** Events on this resource type. */
        public Builder resourceType(String type) {
            this.resourceType = Optional.of(Values.notBlank(type, "resourceType"));
            return this;
        }

        /** Events per page, 1 to 500. */
        public Builder limit(int value) {
            this.limit = value;
            return this;
        }

        /** Events to skip. */
        public Builder offset(int value) {
            this.offset = value;
            return this;
        }

        /** Builds the query. */
        public AuditQuery build() {
            return new AuditQuery(from, to, actor, action, resourceType, resourceId, limit, offset);
        }
    }
}
