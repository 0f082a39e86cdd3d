package dev.maas4j.api;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Argument checks shared by the value types; not part of the API. */
final class Checks {
    private Checks() {
    }

    static String notBlank(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    static long positive(long value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    static long notNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, was " + value);
        }
        return value;
    }

    static <T> List<T> list(Collection<T> values, String field) {
        return List.copyOf(Objects.requireNonNull(values, field));
    }

    static <T> Set<T> set(Collection<T> values, String field) {
        return Set.copyOf(Objects.requireNonNull(values, field));
    }

    static <K, V> Map<K, V> map(Map<K, V> values, String field) {
        return Map.copyOf(Objects.requireNonNull(values, field));
    }
}
