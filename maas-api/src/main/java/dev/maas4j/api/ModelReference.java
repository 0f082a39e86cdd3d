package dev.maas4j.api;

/**
 * A reference to a model by name and namespace, as in {@code MaaSAuthPolicy.spec.modelRefs[]}.
 *
 * @param name      the model's name
 * @param namespace the model's namespace
 */
public record ModelReference(String name, String namespace) {

    /** Validates the components. */
    public ModelReference {
        name = Checks.notBlank(name, "name");
        namespace = Checks.notBlank(namespace, "namespace");
    }

    /** A reference to a model in the default namespace. */
    public static ModelReference of(String name) {
        return new ModelReference(name, ModelRef.DEFAULT_NAMESPACE);
    }

    /** Whether this reference names {@code model}. */
    public boolean refersTo(ModelRef model) {
        return name.equals(model.name()) && namespace.equals(model.namespace());
    }
}
