package dev.maas4j.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas4j.api.AuthPolicy;
import dev.maas4j.api.ModelRef;
import dev.maas4j.api.ModelReference;
import dev.maas4j.api.Subscription;
import dev.maas4j.management.CatalogDocuments;
import dev.maas4j.management.CatalogDocuments.InvalidDocumentException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The catalog in the configuration file ({@code models:}, {@code policies:},
 * {@code subscriptions:}), each document read by the management API's {@link CatalogDocuments},
 * so the file and the API share one vocabulary; names are unique per list, every model has an
 * endpoint (but the in-process demo), and policies and subscriptions name only known models.
 * Immutable: the lists are unmodifiable.
 *
 * @param models        the models
 * @param policies      the auth policies
 * @param subscriptions the subscriptions
 */
record ConfigCatalog(List<ModelRef> models, List<AuthPolicy> policies, List<Subscription> subscriptions) {

    /**
     * Reads the three lists of {@code root}, in this order.
     *
     * @param demoServed whether the built-in demo model is served, which is the one model without an endpoint
     */
    static ConfigCatalog read(ConfigSection root, boolean demoServed, Map<String, String> env) {
        List<ModelRef> models = models(root.raw("models"), demoServed, env);
        Set<ModelReference> known = new LinkedHashSet<>();
        models.forEach(m -> known.add(new ModelReference(m.name(), m.namespace())));
        if (demoServed) {
            known.add(ModelReference.of(DemoModelServlet.NAME));
        }
        List<AuthPolicy> policies = list(root.raw("policies"), "policies",
                (node, path) -> CatalogDocuments.policy(node, path, known::contains), AuthPolicy::name);
        List<Subscription> subscriptions = list(root.raw("subscriptions"), "subscriptions",
                (node, path) -> CatalogDocuments.subscription(node, path, known::contains), Subscription::name);
        return new ConfigCatalog(models, policies, subscriptions);
    }

    /** Whether the file has no catalog at all. */
    boolean isEmpty() {
        return models.isEmpty() && policies.isEmpty() && subscriptions.isEmpty();
    }

    private static List<ModelRef> models(JsonNode node, boolean demoServed, Map<String, String> env) {
        List<ModelRef> models = list(node, "models", (document, path) -> CatalogDocuments.model(
                withCredential(document, path, env), path), ModelRef::name);
        for (int i = 0; i < models.size(); i++) {
            ModelRef m = models.get(i);
            boolean inProcess = demoServed && m.name().equals(DemoModelServlet.NAME);
            if (m.endpoints().isEmpty() && !inProcess) {
                throw new ConfigException("models[" + i + "].endpoints: model '" + m.name() + "' has no endpoint: "
                        + "give it its upstream's base URL (http://host:8000/v1)");
            }
        }
        return models;
    }

    /** The document with its {@code upstreamCredential} read from the environment if it is {@code ${VARIABLE}}. */
    private static JsonNode withCredential(JsonNode document, String path, Map<String, String> env) {
        JsonNode credential = document.path("upstreamCredential");
        if (!credential.isTextual()) {
            return document;
        }
        String value = ConfigSection.resolve(credential.asText(), path + ".upstreamCredential", env);
        if (value.equals(credential.asText())) {
            return document;
        }
        ObjectNode copy = ((ObjectNode) document).deepCopy();
        copy.put("upstreamCredential", value);
        return copy;
    }

    /** Reads one document. */
    private interface Reader<T> {
        T read(JsonNode document, String path);
    }

    /** The list at {@code section}, each document read by {@code reader}; two of one name are an error. */
    private static <T> List<T> list(JsonNode node, String section, Reader<T> reader,
                                    Function<T, String> name) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ConfigException(section + ": must be a list of documents (- name: ...)");
        }
        List<T> values = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = section + "[" + i + "]";
            T value;
            try {
                value = reader.read(node.get(i), path);
            } catch (InvalidDocumentException e) {
                throw new ConfigException(e.getMessage());
            }
            Integer before = seen.putIfAbsent(name.apply(value), i);
            if (before != null) {
                throw new ConfigException(path + ".name: '" + name.apply(value) + "' is " + section + "[" + before
                        + "]'s name too: names are unique");
            }
            values.add(value);
        }
        return List.copyOf(values);
    }
}
