package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maas4j.client.internal.Values;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The body of {@code POST /api-keys/search} (Open Data Hub's shape):
 * {@code {"filters": {"username", "status", "includeEphemeral"}, "sort": {"by", "order"},
 * "pagination": {"limit", "offset"}}}.
 *
 * <pre>{@code
 * ApiKeySearch search = ApiKeySearch.builder().username("alice")
 *         .status(KeyStatus.ACTIVE, KeyStatus.REVOKED).sortBy(ApiKeySearch.SortField.NAME, true).limit(20).build();
 * }</pre>
 *
 * @param filters    which keys
 * @param sort       their order
 * @param pagination which page
 */
public record ApiKeySearch(Filters filters, Optional<Sort> sort, Pagination pagination) {

    /** Validates the components. */
    public ApiKeySearch {
        Objects.requireNonNull(filters, "filters");
        sort = Values.opt(sort);
        Objects.requireNonNull(pagination, "pagination");
    }

    /** The default search: active keys of the caller, first page of 50. */
    public static ApiKeySearch defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The same search one page further. */
    public ApiKeySearch nextPage() {
        return new ApiKeySearch(filters, sort,
                new Pagination(pagination.limit(), pagination.offset() + pagination.limit()));
    }

    /**
     * Filters.
     *
     * @param username         keys of this user (administrators only)
     * @param status           statuses to include; the server's default (active) when empty
     * @param includeEphemeral whether to include ephemeral keys
     */
    public record Filters(Optional<String> username,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<KeyStatus> status,
                          Optional<Boolean> includeEphemeral) {
        /** Copies the components. */
        public Filters {
            username = Values.opt(username);
            status = Values.list(status);
            includeEphemeral = Values.opt(includeEphemeral);
        }
    }

    /**
     * Sort order.
     *
     * @param by    the field
     * @param order {@code asc} or {@code desc}
     */
    public record Sort(SortField by, String order) {
        /** Validates the components. */
        public Sort {
            Objects.requireNonNull(by, "by");
            if (!"asc".equals(order) && !"desc".equals(order)) {
                throw new IllegalArgumentException("order must be asc or desc, was " + order);
            }
        }
    }

    /**
     * A page.
     *
     * @param limit  keys per page, 1 to 100
     * @param offset keys to skip
     */
    public record Pagination(int limit, int offset) {
        /** Validates the components. */
        public Pagination {
            if (limit < 1 || limit > 100) {
                throw new IllegalArgumentException("limit must be between 1 and 100, was " + limit);
            }
            if (offset < 0) {
                throw new IllegalArgumentException("offset must not be negative, was " + offset);
            }
        }
    }

    /** The fields keys can be sorted by. */
    public enum SortField {
        /** Creation time. */
        CREATED_AT,
        /** Expiry time. */
        EXPIRES_AT,
        /** Last use. */
        LAST_USED_AT,
        /** Name. */
        NAME;

        /** The wire value, e.g. {@code created_at}. */
        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a wire value. */
        @JsonCreator
        public static SortField parse(String value) {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        }
    }

    /** Builds an {@link ApiKeySearch}; not thread-safe. */
    public static final class Builder {
        private Optional<String> username = Optional.empty();
        private final Set<KeyStatus> status = EnumSet.noneOf(KeyStatus.class);
        private Optional<Boolean> includeEphemeral = Optional.empty();
        private Optional<Sort> sort = Optional.empty();
        private int limit = 50;
        private int offset;

        private Builder() {
        }

        /** Keys of {@code value} (administrators only). */
        public Builder username(String value) {
            this.username = Optional.of(Values.notBlank(value, "username"));
            return this;
        }

        /** Keys in any of these statuses. */
        public Builder status(KeyStatus... values) {
            status.clear();
            status.addAll(List.of(values));
            return this;
        }

        /** Whether to include ephemeral keys. */
        public Builder includeEphemeral(boolean value) {
            this.includeEphemeral = Optional.of(value);
            return this;
        }

        /** Sorts by {@code field}, ascending or descending. */
        public Builder sortBy(SortField field, boolean ascending) {
            this.sort = Optional.of(new Sort(field, ascending ? "asc" : "desc"));
            return this;
        }

        /** Keys per page, 1 to 100 (default 50). */
        public Builder limit(int value) {
            this.limit = value;
            return this;
        }

        /** Keys to skip. */
        public Builder offset(int value) {
            this.offset = value;
            return this;
        }

        /** Builds the search. */
        public ApiKeySearch build() {
            return new ApiKeySearch(new Filters(username, List.copyOf(status), includeEphemeral), sort,
                    new Pagination(limit, offset));
        }
    }
}
