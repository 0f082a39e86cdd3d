package dev.maas4j.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Grants groups or users access to models (Open Data Hub's {@code MaaSAuthPolicy}).
 *
 * @param name             the policy's name, unique in the catalog
 * @param namespace        the namespace it lives in
 * @param subjects         who it grants access to
 * @param modelRefs        the models it grants
 * @param meteringMetadata labels copied to metrics, possibly empty
 */
public record AuthPolicy(String name, String namespace, SubjectSet subjects, List<ModelReference> modelRefs,
                         Map<String, String> meteringMetadata) {

    /** Validates and copies the components. */
    public AuthPolicy {
        name = Checks.notBlank(name, "name");
        namespace = Checks.notBlank(namespace, "namespace");
        Objects.requireNonNull(subjects, "subjects");
        modelRefs = Checks.list(modelRefs, "modelRefs");
        meteringMetadata = Checks.map(meteringMetadata, "meteringMetadata");
    }

    /** A policy in the default namespace granting {@code subjects} the named models (default namespace). */
    public static AuthPolicy of(String name, SubjectSet subjects, String... models) {
        return new AuthPolicy(name, ModelRef.DEFAULT_NAMESPACE, subjects,
                java.util.Arrays.stream(models).map(ModelReference::of).toList(), Map.of());
    }

    /** Whether the policy grants {@code identity} access to {@code model}. */
    public boolean grants(Identity identity, ModelRef model) {
        if (!subjects.includes(identity)) {
            return false;
        }
        for (ModelReference ref : modelRefs) {
            if (ref.refersTo(model)) {
                return true;
            }
        }
        return false;
    }
}
