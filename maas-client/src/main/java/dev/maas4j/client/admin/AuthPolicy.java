package dev.maas4j.client.admin;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.maas4j.client.internal.Values;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Grants groups or users access to models (Open Data Hub's {@code MaaSAuthPolicy} spec), on
 * {@code /policies} (administrators).
 *
 * <pre>{@code
 * AuthPolicy policy = AuthPolicy.of("premium-access", "models-as-a-service", Subjects.groups("premium-user"),
 *         new AuthPolicy.ModelReference("granite-3-8b", "llm"));
 * }</pre>
 *
 * @param name      unique name
 * @param namespace namespace
 * @param subjects  who is granted access
 * @param modelRefs the models granted, at least one
 * @param extra     properties this version does not know
 */
public record AuthPolicy(String name, String namespace, Subjects subjects, List<ModelReference> modelRefs,
                         @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    /** Validates and copies the components. */
    public AuthPolicy {
        Values.notBlank(name, "name");
        Values.notBlank(namespace, "namespace");
        Objects.requireNonNull(subjects, "subjects");
        modelRefs = Values.list(modelRefs);
        extra = Values.extra(extra);
    }

    /** A policy granting {@code subjects} the {@code models}. */
    public static AuthPolicy of(String name, String namespace, Subjects subjects, ModelReference... models) {
        if (models.length == 0) {
            throw new IllegalArgumentException("a policy grants at least one model");
        }
        return new AuthPolicy(name, namespace, subjects, Arrays.asList(models), Map.of());
    }

    /**
     * A model by name and namespace.
     *
     * @param name      the model's name
     * @param namespace the model's namespace
     */
    public record ModelReference(String name, String namespace) {
        /** Validates the components. */
        public ModelReference {
            Values.notBlank(name, "name");
            Values.notBlank(namespace, "namespace");
        }
    }
}
