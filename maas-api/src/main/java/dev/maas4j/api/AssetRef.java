package dev.maas4j.api;

import java.util.Objects;

/**
 * A reference to one asset of a given kind, by name.
 *
 * @param kind the kind of asset
 * @param name its name (for models, {@link ModelRef#name()})
 */
public record AssetRef(AssetKind kind, String name) {

    /** Validates the components. */
    public AssetRef {
        Objects.requireNonNull(kind, "kind");
        name = Checks.notBlank(name, "name");
    }

    /** A reference to a model. */
    public static AssetRef model(String name) {
        return new AssetRef(AssetKind.MODEL, name);
    }
}
