package dev.maas4j.client.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Normalizes record components. Jackson passes {@code null} for absent lists, maps and strings;
 * the public types promise no nulls, so every compact constructor funnels through here.
 */
public final class Values {

    private Values() {
    }

    /** An unmodifiable copy that keeps insertion order and tolerates JSON {@code null} values. */
    public static Map<String, Object> extra(Map<String, Object> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** An unmodifiable copy of a string map, empty for {@code null}. */
    public static Map<String, String> strings(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** An unmodifiable copy without {@code null} elements, empty for {@code null}. */
    public static <T> List<T> list(List<T> list) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        return list.stream().filter(Objects::nonNull).toList();
    }

    /** {@code value}, or the empty string for {@code null}. */
    public static String text(String value) {
        return value == null ? "" : value;
    }

    /** {@code value}, or empty for {@code null}. */
    public static <T> Optional<T> opt(Optional<T> value) {
        return value == null ? Optional.empty() : value;
    }

    /** Fails with a message naming the setting if {@code value} is blank. */
    public static String notBlank(String value, String setting) {
        Objects.requireNonNull(value, setting);
        if (value.isBlank()) {
            throw new IllegalArgumentException(setting + " must not be blank");
        }
        return value;
    }
}
