package dev.maas4j.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas4j.api.DurationText;
import dev.maas4j.api.Secret;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One section of the merged configuration tree, read setting by setting into typed values. Each
 * read names the setting; a value of the wrong type or out of range is a {@link ConfigException}
 * naming its path (or the environment variable that set it), and {@link #end()} refuses the
 * settings that were never read: unknown ones. Not thread-safe; used once, while loading.
 */
final class ConfigSection {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,19}");

    private final JsonNode node;
    private final String path;
    private final Origins origins;
    private final Set<String> read = new LinkedHashSet<>();

    ConfigSection(JsonNode node, String path, Origins origins) {
        this.node = node;
        this.path = path;
        this.origins = origins;
    }

    /** The path of {@code key} in this section, e.g. {@code server.port}. */
    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private JsonNode get(String key) {
        read.add(key);
        JsonNode value = node.get(key);
        if (value == null) {
            // every setting has a default: a missing one is a missing line in defaults.yaml
            throw new IllegalStateException(GatewayConfig.DEFAULTS_RESOURCE + " has no " + pathOf(key));
        }
        return value;
    }

    /** The section under {@code key}. */
    ConfigSection section(String key) {
        JsonNode value = get(key);
        if (!value.isObject()) {
            throw origins.invalid(pathOf(key), value, "a section of settings");
        }
        return new ConfigSection(value, pathOf(key), origins);
    }

    /** The section under {@code key}, or empty when it is {@code null}. */
    Optional<ConfigSection> optionalSection(String key) {
        return get(key).isNull() ? Optional.empty() : Optional.of(section(key));
    }

    /** Whether {@code key} is in this section (it counts as read: a section that may be absent). */
    boolean present(String key) {
        read.add(key);
        return node.has(key);
    }

    /** The value under {@code key} as it is (a catalog document, a list of them). */
    JsonNode raw(String key) {
        return get(key);
    }

    /** Non-blank text. */
    String text(String key) {
        JsonNode value = get(key);
        if (!value.isValueNode() || value.isNull() || value.asText().isBlank()) {
            throw origins.invalid(pathOf(key), value, "a text");
        }
        return value.asText();
    }

    /** Non-blank text, or empty when {@code null}. */
    Optional<String> optionalText(String key) {
        return get(key).isNull() ? Optional.empty() : Optional.of(text(key));
    }

    /** A whole number from {@code min} to {@code max}. */
    long number(String key, long min, long max) {
        JsonNode value = get(key);
        Long n = null;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            n = value.longValue();
        } else if (value.isTextual() && INTEGER.matcher(value.asText().strip()).matches()) {
            try {
                n = Long.parseLong(value.asText().strip());
            } catch (NumberFormatException e) {
                // beyond a long: out of range below
            }
        }
        if (n == null || n < min || n > max) {
            throw origins.invalid(pathOf(key), value, numbers(min, max));
        }
        return n;
    }

    /** A whole number from {@code min} to {@code max}. */
    int integer(String key, int min, int max) {
        return (int) number(key, min, max);
    }

    private static String numbers(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return "a number, " + min + " or more";
        }
        return "a number from " + min + " to " + max;
    }

    /** {@code true} or {@code false}. */
    boolean flag(String key) {
        JsonNode value = get(key);
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.isTextual() ? value.asText().strip().toLowerCase(Locale.ROOT) : "";
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw origins.invalid(pathOf(key), value, "true or false");
    }

    /**
     * A duration ({@link DurationText}) of at least {@code min}; {@code min} of one nanosecond
     * means "longer than zero".
     */
    Duration duration(String key, Duration min) {
        JsonNode value = get(key);
        Duration d = value.isTextual() && DurationText.isDuration(value.asText())
                ? DurationText.parse(value.asText(), pathOf(key)) : null;
        if (d == null || d.compareTo(min) < 0) {
            throw origins.invalid(pathOf(key), value, durations(min));
        }
        return d;
    }

    /** A duration of at least {@code min}, or empty when {@code null}. */
    Optional<Duration> optionalDuration(String key, Duration min) {
        return get(key).isNull() ? Optional.empty() : Optional.of(duration(key, min));
    }

    static String durations(Duration min) {
        if (min.isZero()) {
            return DurationText.EXPECTED;
        }
        if (min.equals(Duration.ofNanos(1))) {
            return "a duration longer than 0 (e.g. 30s, 5m)";
        }
        return "a duration of " + DurationText.format(min) + " or more (e.g. 30s, 5m)";
    }

    /** One of {@code type}'s constants, by its {@code toString()}, in any case. */
    <E extends Enum<E>> E choice(String key, Class<E> type) {
        JsonNode value = get(key);
        if (value.isTextual()) {
            for (E constant : type.getEnumConstants()) {
                if (constant.toString().equalsIgnoreCase(value.asText().strip())) {
                    return constant;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.toString());
        }
        throw origins.invalid(pathOf(key), value, "one of " + String.join(", ", names));
    }

    /**
     * A secret: text, or {@code ${VARIABLE}} for the environment variable's value; empty when
     * {@code null}. Messages never show the value.
     */
    Optional<Secret> secret(String key, Map<String, String> env) {
        JsonNode value = get(key);
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode() || value.asText().isBlank()) {
            throw origins.invalidSecret(pathOf(key), "must be text, or ${VARIABLE} to read it from the environment");
        }
        return Optional.of(Secret.of(resolve(value.asText(), pathOf(key), env)));
    }

    /** {@code text}, or the environment's value if it is {@code ${VARIABLE}}. */
    static String resolve(String text, String path, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(text.strip());
        if (!m.matches()) {
            return text;
        }
        String value = env.get(m.group(1));
        if (value == null || value.isBlank()) {
            throw new ConfigException(path + ": ${" + m.group(1) + "} is not set in the environment");
        }
        return value;
    }

    /** A list of non-blank texts. */
    List<String> texts(String key) {
        JsonNode value = get(key);
        if (!value.isArray()) {
            throw origins.invalid(pathOf(key), value, "a list");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
                throw origins.invalid(pathOf(key) + "[" + i + "]", item, "a text");
            }
            texts.add(item.asText().strip());
        }
        return List.copyOf(texts);
    }

    /**
     * The list under {@code key}, each entry a section of its own laid over {@code entryDefaults}
     * (a list's entries do not merge with the defaults file, so their defaults are given here).
     */
    List<ConfigSection> sections(String key, ObjectNode entryDefaults) {
        JsonNode value = get(key);
        if (!value.isArray()) {
            throw origins.invalid(pathOf(key), value, "a list");
        }
        List<ConfigSection> sections = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String at = pathOf(key) + "[" + i + "]";
            if (!item.isObject()) {
                throw origins.invalid(at, item, "a section of settings");
            }
            sections.add(new ConfigSection(over(entryDefaults, item), at, origins));
        }
        return sections;
    }

    /**
     * The section under {@code key} laid over {@code defaults}, or empty when it is {@code null}:
     * a section whose defaults apply only once it is written.
     */
    Optional<ConfigSection> optionalSection(String key, ObjectNode defaults) {
        JsonNode value = get(key);
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw origins.invalid(pathOf(key), value, "a section of settings");
        }
        return Optional.of(new ConfigSection(over(defaults, value), pathOf(key), origins));
    }

    private static ObjectNode over(ObjectNode defaults, JsonNode section) {
        ObjectNode merged = defaults.deepCopy();
        section.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
        return merged;
    }

    /** Refuses the settings of this section that were not read: they are unknown. */
    void end() {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!read.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException(pathOf(unknown.get(0)) + ": unknown setting; "
                    + (path.isEmpty() ? "the sections are " : path + " has ") + String.join(", ", read));
        }
    }

    /** Where the values came from: the file, or an environment variable. */
    static final class Origins {
        private final Map<String, String> fromEnvironment;

        /** @param fromEnvironment the path of each value an environment variable set, and that variable */
        Origins(Map<String, String> fromEnvironment) {
            this.fromEnvironment = Map.copyOf(fromEnvironment);
        }

        private Optional<EnvironmentOverride> override(String path) {
            for (EnvironmentOverride o : EnvironmentOverride.values()) {
                if (fromEnvironment.containsKey(o.variable())
                        && (path.equals(o.path()) || path.startsWith(o.path() + "["))) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }

        /** {@code path}'s value is not {@code expected}: one line naming the variable, else the path. */
        ConfigException invalid(String path, JsonNode value, String expected) {
            Optional<EnvironmentOverride> o = override(path);
            if (o.isPresent()) {
                return new ConfigException(o.get().variable() + "=" + shorten(fromEnvironment.get(o.get().variable()))
                        + ": " + path + " must be " + expected);
            }
            return new ConfigException(path + ": " + shown(value) + " is not " + expected);
        }

        /** A secret's {@code problem}, never showing the value. */
        ConfigException invalidSecret(String path, String problem) {
            Optional<EnvironmentOverride> o = override(path);
            return new ConfigException(path + (o.map(v -> " (" + v.variable() + ")").orElse("")) + " " + problem);
        }

        private static String shown(JsonNode value) {
            if (value.isNull()) {
                return "null";
            }
            if (value.isArray()) {
                return "a list";
            }
            if (value.isObject()) {
                return "a section";
            }
            if (value.isTextual()) {
                return '"' + shorten(value.asText()).replace("\"", "\\\"") + '"';
            }
            return value.asText();
        }

        private static String shorten(String text) {
            String line = text.replaceAll("[\\r\\n]+", " ");
            return line.length() > 40 ? line.substring(0, 37) + "..." : line;
        }
    }
}
