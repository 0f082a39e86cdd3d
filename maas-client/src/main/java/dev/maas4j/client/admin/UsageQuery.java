package dev.maas4j.client.admin;

import dev.maas4j.client.internal.Values;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The query of {@code GET /usage?from&to&groupBy&user&model&subscription} (administrators).
 *
 * <pre>{@code
 * UsageQuery q = UsageQuery.builder().from(Instant.parse("2026-03-01T00:00:00Z"))
 *         .to(Instant.parse("2026-04-01T00:00:00Z")).groupBy(UsageDimension.MODEL).subscription("premium").build();
 * }</pre>
 *
 * @param from         start, inclusive; the server's default (24 hours before {@code to}) when absent
 * @param to           end, exclusive; now when absent
 * @param groupBy      dimensions to group by, possibly none (totals only)
 * @param user         only this user's usage
 * @param model        only this model's usage
 * @param subscription only this subscription's usage
 */
public record UsageQuery(Optional<Instant> from, Optional<Instant> to, List<UsageDimension> groupBy,
                         Optional<String> user, Optional<String> model, Optional<String> subscription) {

    /** Validates and copies the components. */
    public UsageQuery {
        from = Values.opt(from);
        to = Values.opt(to);
        groupBy = Values.list(groupBy);
        user = Values.opt(user);
        model = Values.opt(model);
        subscription = Values.opt(subscription);
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("from (" + from.get() + ") must be before to (" + to.get() + ")");
        }
    }

    /** An empty builder: the last 24 hours, totals only. */
    public static Builder builder() {
        return new Builder();
    }

    /** The query parameters, in order, absent ones left out. */
    public Map<String, String> toQueryParameters() {
        Map<String, String> q = new LinkedHashMap<>();
        from.ifPresent(v -> q.put("from", v.toString()));
        to.ifPresent(v -> q.put("to", v.toString()));
        if (!groupBy.isEmpty()) {
            q.put("groupBy", groupBy.stream().map(UsageDimension::wire).collect(Collectors.joining(",")));
        }
        user.ifPresent(v -> q.put("user", v));
        model.ifPresent(v -> q.put("model", v));
        subscription.ifPresent(v -> q.put("subscription", v));
        return q;
    }

    /** Builds a {@link UsageQuery}; not thread-safe. */
    public static final class Builder {
        private Optional<Instant> from = Optional.empty();
        private Optional<Instant> to = Optional.empty();
        private final Set<UsageDimension> groupBy = new LinkedHashSet<>();
        private Optional<String> user = Optional.empty();
        private Optional<String> model = Optional.empty();
        private Optional<String> subscription = Optional.empty();

        private Builder() {
        }

        /** Start, inclusive. */
        public Builder from(Instant value) {
            this.from = Optional.of(Objects.requireNonNull(value, "from"));
            return this;
        }

        /** End, exclusive. */
        public Builder to(Instant value) {
            this.to = Optional.of(Objects.requireNonNull(value, "to"));
            return this;
        }

        /** Groups by these dimensions, in this order. */
        public Builder groupBy(UsageDimension... values) {
            groupBy.clear();
            groupBy.addAll(List.of(values));
            return this;
        }

        /** Only this user. */
        public Builder user(String value) {
            this.user = Optional.of(Values.notBlank(value, "user"));
            return this;
        }

        /** Only this model. */
        public Builder model(String value) {
            this.model = Optional.of(Values.notBlank(value, "model"));
            return this;
        }

        /** Only this subscription. */
        public Builder subscription(String value) {
            this.subscription = Optional.of(Values.notBlank(value, "subscription"));
            return this;
        }

        /** Builds the query; fails if {@code from} is not before {@code to}. */
        public UsageQuery build() {
            return new UsageQuery(from, to, new ArrayList<>(groupBy), user, model, subscription);
        }
    }
}
