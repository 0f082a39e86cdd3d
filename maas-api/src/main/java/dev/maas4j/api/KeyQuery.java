package dev.maas4j.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which keys to find, in which order, which page: what {@link KeyStore#search} answers.
 *
 * @param owner         only this owner's keys, if given
 * @param statuses      only keys in one of these states (at the query's time)
 * @param subscription  only keys bound to this subscription, if given
 * @param labels        only keys whose metadata has each of these entries
 * @param withoutLabels only keys whose metadata has none of these entries
 * @param sort          the order
 * @param ascending     whether ascending (else descending); keys without the sorted value come last either way
 * @param offset        how many matching keys to skip
 * @param limit         the most keys to return, at least 1
 */
public record KeyQuery(Optional<Subject> owner, Set<KeyStatus> statuses, Optional<String> subscription,
                       Map<String, String> labels, Map<String, String> withoutLabels, Sort sort, boolean ascending,
                       int offset, int limit) {

    /** What keys are sorted by; ties are broken by key id, so pages never overlap or skip a key. */
    public enum Sort {
        /** Creation time. */
        CREATED_AT,
        /** Expiry (keys without one last). */
        EXPIRES_AT,
        /** Last use (keys never used last). */
        LAST_USED_AT,
        /** Name, ignoring case. */
        NAME
    }

    /** Validates and copies the components. */
    public KeyQuery {
        Objects.requireNonNull(owner, "owner");
        statuses = Set.copyOf(Objects.requireNonNull(statuses, "statuses"));
        Objects.requireNonNull(subscription, "subscription");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
        withoutLabels = Map.copyOf(Objects.requireNonNull(withoutLabels, "withoutLabels"));
        Objects.requireNonNull(sort, "sort");
        Checks.notNegative(offset, "offset");
        Checks.positive(limit, "limit");
    }

    /** Whether {@code key} matches, at {@code now}. */
    public boolean matches(ApiKey key, java.time.Instant now) {
        if (owner.isPresent() && !owner.get().equals(key.owner())) {
            return false;
        }
        if (!statuses.contains(key.status(now))) {
            return false;
        }
        if (subscription.isPresent() && !key.subscription().map(subscription.get()::equals).orElse(false)) {
            return false;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!label.getValue().equals(key.metadata().get(label.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, String> label : withoutLabels.entrySet()) {
            if (label.getValue().equals(key.metadata().get(label.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The order, ties broken by id. */
    public java.util.Comparator<ApiKey> comparator() {
        java.util.Comparator<java.time.Instant> instants = ascending ? java.util.Comparator.naturalOrder()
                : java.util.Comparator.reverseOrder();
        java.util.Comparator<ApiKey> primary = switch (sort) {
            case NAME -> java.util.Comparator.comparing(ApiKey::name, String.CASE_INSENSITIVE_ORDER);
            case EXPIRES_AT -> java.util.Comparator.comparing(k -> k.expiresAt().orElse(null),
                    java.util.Comparator.nullsLast(instants));
            case LAST_USED_AT -> java.util.Comparator.comparing(k -> k.lastUsedAt().orElse(null),
                    java.util.Comparator.nullsLast(instants));
            case CREATED_AT -> java.util.Comparator.comparing(ApiKey::createdAt);
        };
        if ((sort == Sort.NAME || sort == Sort.CREATED_AT) && !ascending) {
            primary = primary.reversed();
        }
        java.util.Comparator<ApiKey> tie = java.util.Comparator.comparing(ApiKey::id);
        return primary.thenComparing(ascending ? tie : tie.reversed());
    }

    /** One page of matching keys. */
    public record Page(java.util.List<ApiKey> keys, boolean hasMore) {
        /** Copies the keys. */
        public Page {
            keys = java.util.List.copyOf(keys);
        }
    }
}
