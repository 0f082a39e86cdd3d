package dev.maas4j.gateway;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The configuration as a tree, before anything is typed: the file's YAML read strictly (a key
 * twice is an error, decimals stay exact), the environment's overrides written into it, and the
 * result laid over the defaults file. Stateless; the defaults are read once.
 */
final class ConfigTree {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /** The defaults, read once. */
    private static final ObjectNode DEFAULTS = readDefaults();

    private ConfigTree() {
    }

    /** The sections of {@code yaml}; nothing for an empty file. */
    static ObjectNode read(String yaml, String source) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + syntaxError(e));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!tree.isObject()) {
            throw new ConfigException(source + ": the configuration must be sections of settings (server:, "
                    + "models:, ...), not a single value or a list");
        }
        return (ObjectNode) tree;
    }

    /** {@code , line 3, column 7: mapping values are not allowed here}: the problem without the text quoted. */
    private static String syntaxError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String problem = e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException yaml
                && yaml.getProblem() != null ? yaml.getProblem() : String.valueOf(e.getOriginalMessage());
        problem = problem.lines().findFirst().orElse("").strip()
                // a quoted token may be a pasted secret
                .replaceAll("'[^']{17,}'", "'…'");
        String where = at == null || at.getLineNr() < 1 ? ""
                : ", line " + at.getLineNr() + ", column " + at.getColumnNr();
        return where + ": " + (problem.isEmpty() ? "not valid YAML" : problem);
    }

    private static ObjectNode readDefaults() {
        try (InputStream in = GatewayConfig.class.getResourceAsStream(GatewayConfig.DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(GatewayConfig.DEFAULTS_RESOURCE + " is missing from the class path");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(GatewayConfig.DEFAULTS_RESOURCE + " cannot be read", e);
        }
    }

    /**
     * Writes each {@link EnvironmentOverride} that {@code env} sets into {@code file}, and puts the
     * variable and its value into {@code fromEnvironment}.
     */
    static void override(ObjectNode file, Map<String, String> env, Map<String, String> fromEnvironment) {
        for (EnvironmentOverride o : EnvironmentOverride.values()) {
            String value = env.get(o.variable());
            if (value == null) {
                continue;
            }
            JsonNode node = TextNode.valueOf(value);
            if (o == EnvironmentOverride.MAAS_K8S_NAMESPACES) {
                ArrayNode namespaces = JsonNodeFactory.instance.arrayNode();
                Arrays.stream(value.split(",")).map(String::strip).filter(n -> !n.isEmpty()).forEach(namespaces::add);
                if (namespaces.isEmpty()) {
                    throw new ConfigException(o.variable() + "=" + value + ": " + o.path()
                            + " must be namespaces separated by commas (e.g. llm,models-as-a-service)");
                }
                node = namespaces;
            }
            put(file, o.path(), node);
            fromEnvironment.put(o.variable(), value);
        }
    }

    private static void put(ObjectNode root, String path, JsonNode value) {
        String[] keys = path.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode next = at.get(keys[i]);
            if (next == null || next.isNull()) {
                next = at.putObject(keys[i]);
            } else if (!next.isObject()) {
                return; // the file's value is wrong already: reading it says so
            }
            at = (ObjectNode) next;
        }
        at.set(keys[keys.length - 1], value);
    }

    /** {@code file} laid over the defaults. */
    static ObjectNode overDefaults(ObjectNode file) {
        return merge(DEFAULTS, file);
    }

    /** {@code file} laid over {@code defaults}: sections merge, any other value replaces. */
    private static ObjectNode merge(ObjectNode defaults, ObjectNode file) {
        ObjectNode merged = defaults.deepCopy();
        file.fields().forEachRemaining(e -> {
            JsonNode base = merged.get(e.getKey());
            JsonNode value = e.getValue();
            if (base != null && base.isObject() && value.isObject()) {
                merged.set(e.getKey(), merge((ObjectNode) base, (ObjectNode) value));
            } else if (!(base != null && base.isObject() && value.isNull())) {
                // a section left empty ("server:" and comments) keeps its defaults
                merged.set(e.getKey(), value);
            }
        });
        return merged;
    }
}
